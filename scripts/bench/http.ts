/**
 * Plain node:http clients for the benchmark. Not fetch: undici's fetch adds `Accept-Encoding: gzip, deflate`
 * on its own and decompresses, which would hide what the Worker really sends and cost client CPU.
 */
import http from "node:http";
import { createGunzip } from "node:zlib";

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface JsonResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** Sends a JSON request (or none) and parses the JSON answer; rejects on network errors only. */
export function requestJson(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, base),
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // Keep the text: an error page from the runtime is not JSON.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export interface StreamResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** ms from sending the request to the response headers. */
  headersMs: number;
  /** ms from sending the request to the first body byte. */
  ttfbMs: number;
  /** ms from sending the request to the end of the body. */
  totalMs: number;
  /** Bytes on the wire (compressed when the response says Content-Encoding: gzip). */
  wireBytes: number;
  /** Bytes after decoding (equal to wireBytes for an identity response). */
  decodedBytes: number;
  contentEncoding: string | null;
  /** True when the transfer ended without the body completing (aborted stream). */
  aborted: boolean;
}

/**
 * GETs `path` and reads the body to nowhere, counting bytes. A gzip body is decoded on the side (only to count
 * its decoded size and to prove it is valid gzip). Times are from before the request is written.
 */
export function streamToNull(base: string, path: string, headers: Record<string, string>): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(new URL(path, base), { method: "GET", agent, headers }, (res) => {
      const headersMs = performance.now() - t0;
      let ttfbMs = -1;
      let wireBytes = 0;
      let decodedBytes = 0;
      let aborted = false;
      const encoding = (res.headers["content-encoding"] as string | undefined) ?? null;
      const gunzip = encoding === "gzip" ? createGunzip() : null;
      let wireDone = false;
      let decodeDone = gunzip === null;
      const finish = () => {
        if (!wireDone || !decodeDone) return;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          headersMs,
          ttfbMs: ttfbMs < 0 ? performance.now() - t0 : ttfbMs,
          totalMs: wireEnd - t0,
          wireBytes,
          decodedBytes: gunzip ? decodedBytes : wireBytes,
          contentEncoding: encoding,
          aborted,
        });
      };
      let wireEnd = 0;
      if (gunzip) {
        gunzip.on("data", (c: Buffer) => (decodedBytes += c.length));
        gunzip.on("end", () => {
          decodeDone = true;
          finish();
        });
        gunzip.on("error", (err) => {
          // A broken transfer also truncates the gzip stream: report it as aborted, not as a bad encoding.
          if (!res.complete) {
            aborted = true;
            decodeDone = true;
            finish();
          } else reject(new Error(`invalid gzip body: ${err.message}`));
        });
      }
      res.on("data", (c: Buffer) => {
        if (ttfbMs < 0) ttfbMs = performance.now() - t0;
        wireBytes += c.length;
        gunzip?.write(c);
      });
      res.on("aborted", () => (aborted = true));
      res.on("error", () => (aborted = true));
      res.on("close", () => {
        if (wireDone) return;
        wireEnd = performance.now();
        wireDone = true;
        if (!res.complete) aborted = true;
        if (gunzip) gunzip.end();
        finish();
      });
    });
    req.on("error", reject);
    req.end();
  });
}
