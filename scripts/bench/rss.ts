/**
 * Resident memory of the workerd processes, from /proc: a sampler on its own thread (every ~20 ms, unaffected by
 * the main thread being busy reading a 100 MB response), plus the kernel's exact high-water mark (VmHWM, reset
 * through /proc/<pid>/clear_refs) as a cross-check on what sampling could miss between two reads.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

/** VmRSS of a process in bytes, or 0 once it is gone. */
export function rssBytes(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0); false when the kernel or permissions say no. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

const SAMPLER = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { pids, intervalMs } = workerData;
const read = (pid) => {
  try {
    const m = /^VmRSS:\\s+(\\d+) kB/m.exec(readFileSync("/proc/" + pid + "/status", "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch { return 0; }
};
const peak = pids.map(() => 0);
let peakSum = 0, samples = 0;
const tick = () => {
  let sum = 0;
  pids.forEach((pid, i) => { const v = read(pid); sum += v; if (v > peak[i]) peak[i] = v; });
  if (sum > peakSum) peakSum = sum;
  samples++;
};
tick();
const timer = setInterval(tick, intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  tick();
  parentPort.postMessage({ peak, peakSum, samples });
});
`;

export interface RssPeak {
  /** Sampled peak per pid, bytes. */
  peak: number[];
  /** Sampled peak of the sum over pids (same instant), bytes. */
  peakSum: number;
  samples: number;
}

export interface Sampler {
  stop(): Promise<RssPeak>;
}

export function startSampler(pids: number[], intervalMs = 20): Sampler {
  const worker = new Worker(SAMPLER, { eval: true, workerData: { pids, intervalMs } });
  return {
    stop: () =>
      new Promise<RssPeak>((resolve, reject) => {
        worker.once("message", (m: RssPeak) => {
          void worker.terminate();
          resolve(m);
        });
        worker.once("error", reject);
        worker.postMessage("stop");
      }),
  };
}

/** Idle RSS: the median of a few reads over `ms`, so one allocation burst does not set the baseline. */
export async function idleRss(pid: number, ms = 400): Promise<number> {
  const reads: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    reads.push(rssBytes(pid));
    await new Promise((r) => setTimeout(r, 40));
  }
  reads.sort((a, b) => a - b);
  return reads[Math.floor(reads.length / 2)] ?? rssBytes(pid);
}
