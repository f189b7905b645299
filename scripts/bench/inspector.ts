/**
 * The Worker's own isolate, reached from outside: wrangler dev's runtime workerd listens for the Chrome DevTools
 * Protocol on a local port (`--inspector-addr=localhost:0`) even while the bench keeps wrangler's own inspector proxy
 * off. We find that port among the runtime's listening sockets (/proc) and pick the user Worker's target from
 * `/json/list` (`core:user:<name>`). The bench uses it for the full-GC marks of the GC trace (gc-trace.ts) and the
 * sampling heap profile. Polling `Runtime.getHeapUsage` here was tried for the heap figure and dropped: workerd answers
 * the inspector only between the isolate's busy stretches, so an import got a handful of samples, mostly after it.
 *
 * The WebSocket client is the `ws` package wrangler and miniflare already install (Node 20 has no global WebSocket
 * without `--experimental-websocket`); no package is added for it.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createRequire } from "node:module";

/** The part of `ws` (or the WHATWG WebSocket) used here. */
interface Socket {
  on?(event: string, fn: (...a: unknown[]) => void): void;
  addEventListener?(event: string, fn: (e: { data?: unknown }) => void): void;
  send(data: string): void;
  close(): void;
}

/** Listening TCP ports of a process: its socket inodes (/proc/<pid>/fd) matched in /proc/<pid>/net/tcp{,6}. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const ports: number[] = [];
  for (const table of ["tcp", "tcp6"]) {
    let lines: string[] = [];
    try {
      lines = readFileSync(`/proc/${pid}/net/${table}`, "utf8").split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const c = line.trim().split(/\s+/);
      // st 0A = LISTEN; c[9] is the socket inode.
      if (c[3] === "0A" && inodes.has(c[9]!)) ports.push(parseInt(c[1]!.split(":")[1]!, 16));
    }
  }
  return [...new Set(ports)];
}

interface Target {
  id: string;
  webSocketDebuggerUrl: string;
}

/** The DevTools WebSocket URL of the user Worker (`core:user:<name>`) in the runtime workerd `pid`. */
export async function findWorkerInspector(pid: number, workerName: string): Promise<{ url: string; port: number }> {
  const tried: string[] = [];
  for (const port of listeningPorts(pid)) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) {
        tried.push(`${port}: HTTP ${res.status}`);
        continue;
      }
      const targets = (await res.json()) as Target[];
      const t = targets.find((x) => x.id === `core:user:${workerName}`);
      if (t) return { url: t.webSocketDebuggerUrl, port };
      tried.push(`${port}: no core:user:${workerName} among ${targets.map((x) => x.id).join(", ")}`);
    } catch (err) {
      tried.push(`${port}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no DevTools target for the Worker in workerd ${pid} (${tried.join("; ") || "no listening ports"})`);
}

function openSocket(url: string): Socket {
  const g = globalThis as { WebSocket?: new (url: string) => Socket };
  if (g.WebSocket) return new g.WebSocket(url);
  const require = createRequire(import.meta.url);
  const WS = require("ws") as new (url: string, opts?: { perMessageDeflate?: boolean; maxPayload?: number }) => Socket;
  return new WS(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
}

/** A minimal Chrome DevTools Protocol client: `send` resolves with the result, rejects with the protocol error. */
export class Cdp {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private listeners = new Map<string, ((params: unknown) => void)[]>();
  private closed = false;
  private constructor(private socket: Socket) {}

  static connect(url: string, timeoutMs = 5000): Promise<Cdp> {
    const socket = openSocket(url);
    const cdp = new Cdp(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`DevTools WebSocket ${url}: no connection within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (raw: unknown) => cdp.onMessage(typeof raw === "string" ? raw : String(raw));
      const onClose = () => cdp.fail(new Error("DevTools WebSocket closed"));
      if (socket.on) {
        socket.on("open", () => (clearTimeout(timer), resolve(cdp)));
        socket.on("error", (e) => (clearTimeout(timer), reject(e as Error)));
        socket.on("message", (data) => onMessage(data));
        socket.on("close", onClose);
      } else {
        socket.addEventListener!("open", () => (clearTimeout(timer), resolve(cdp)));
        socket.addEventListener!("error", () => (clearTimeout(timer), reject(new Error(`DevTools WebSocket ${url} failed`))));
        socket.addEventListener!("message", (e) => onMessage(e.data));
        socket.addEventListener!("close", onClose);
      }
    });
  }

  private onMessage(text: string) {
    let msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.id === undefined) {
      for (const fn of this.listeners.get(msg.method ?? "") ?? []) fn(msg.params);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  }

  private fail(err: Error) {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Calls `fn` with the params of every event `method` (e.g. Runtime.executionContextCreated). */
  on(method: string, fn: (params: unknown) => void) {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), fn]);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error("DevTools WebSocket closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close() {
    this.closed = true;
    this.socket.close();
  }
}

export interface HeapUsage {
  /** V8 heap in use (live objects and garbage not yet collected), bytes. */
  usedSize: number;
  /** V8 heap committed, bytes. */
  totalSize: number;
  /** ArrayBuffer backing stores outside the V8 heap (request/response chunks), bytes; 0 when V8 does not report it. */
  backingStorageSize: number;
}

export const heapUsage = async (cdp: Cdp): Promise<HeapUsage> => {
  const r = await cdp.send<{ usedSize: number; totalSize: number; backingStorageSize?: number }>("Runtime.getHeapUsage");
  return { usedSize: r.usedSize, totalSize: r.totalSize, backingStorageSize: r.backingStorageSize ?? 0 };
};

/** The sampling heap profile's live allocations by function (self size), largest first: where the heap went. */
export interface AllocationSite {
  functionName: string;
  url: string;
  line: number;
  selfBytes: number;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

export function topAllocationSites(head: ProfileNode, n = 8): AllocationSite[] {
  const by = new Map<string, AllocationSite>();
  const walk = (node: ProfileNode) => {
    if (node.selfSize > 0) {
      const f = node.callFrame;
      const k = `${f.functionName}@${f.url}:${f.lineNumber}`;
      const site = by.get(k) ?? { functionName: f.functionName || "(anonymous)", url: f.url, line: f.lineNumber + 1, selfBytes: 0 };
      site.selfBytes += node.selfSize;
      by.set(k, site);
    }
    for (const c of node.children) walk(c);
  };
  walk(head);
  return [...by.values()].sort((a, b) => b.selfBytes - a.selfBytes).slice(0, n);
}

/**
 * Sampling heap profiler around `work`, by allocation site. With `includeCollected` every sampled allocation counts,
 * collected or not (where the allocation volume comes from); without, only what was still live when it ended.
 */
export async function sampleAllocations<T>(cdp: Cdp, work: () => Promise<T>, includeCollected: boolean, samplingInterval = 64 * 1024): Promise<{ value: T; sites: AllocationSite[]; totalBytes: number }> {
  await cdp.send("HeapProfiler.enable");
  await cdp.send("HeapProfiler.startSampling", {
    samplingInterval,
    includeObjectsCollectedByMajorGC: includeCollected,
    includeObjectsCollectedByMinorGC: includeCollected,
  });
  let value: T;
  try {
    value = await work();
  } catch (err) {
    await cdp.send("HeapProfiler.stopSampling").catch(() => undefined);
    throw err;
  }
  const { profile } = await cdp.send<{ profile: { head: ProfileNode } }>("HeapProfiler.stopSampling");
  await cdp.send("HeapProfiler.disable").catch(() => undefined);
  const sites = topAllocationSites(profile.head, 10);
  let totalBytes = 0;
  const sum = (node: ProfileNode) => {
    totalBytes += node.selfSize;
    node.children.forEach(sum);
  };
  sum(profile.head);
  return { value, sites, totalBytes };
}
