/**
 * One HTTP request with node:http(s) over keep-alive agents (many small uploads reuse a few sockets). Rejects only
 * on network failures and timeouts, with a NetworkError saying which; any HTTP status resolves.
 */
import http from "node:http";
import https from "node:https";

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 32 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

export class NetworkError extends Error {
  /** @param {string} message @param {string | undefined} code */
  constructor(message, code) {
    super(message);
    this.name = "NetworkError";
    this.code = code;
  }
}

/**
 * @typedef {object} HttpResponse
 * @property {number} status
 * @property {import("node:http").IncomingHttpHeaders} headers
 * @property {string} text
 * @property {unknown} json   the parsed body, or null when it is not JSON
 */

/**
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: Buffer | string, timeoutMs?: number }} [options]
 * @returns {Promise<HttpResponse>}
 */
export function httpRequest(url, options = {}) {
  const target = new URL(url);
  const lib = target.protocol === "https:" ? https : http;
  const agent = target.protocol === "https:" ? agents["https:"] : agents["http:"];
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method: options.method ?? "GET",
        agent,
        headers: { "user-agent": "evalport-cli", ...options.headers, ...(body ? { "content-length": String(body.length) } : {}) },
        timeout: options.timeoutMs ?? 120_000,
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("error", (err) => reject(new NetworkError(`the connection broke while reading the answer (${err.message})`, "ECONNRESET")));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON (a proxy's error page): the caller shows the status.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", (/** @type {NodeJS.ErrnoException} */ err) => reject(new NetworkError(describeNetworkError(err, target), err.code)));
    req.end(body);
  });
}

/** @param {NodeJS.ErrnoException} err @param {URL} target */
function describeNetworkError(err, target) {
  const where = target.host;
  switch (err.code) {
    case "ECONNREFUSED":
      return `nothing is listening at ${where} (connection refused)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve ${target.hostname}`;
    case "ETIMEDOUT":
      return `${where} did not answer in time`;
    case "ECONNRESET":
    case "EPIPE":
      return `${where} closed the connection`;
    default:
      return `cannot reach ${where} (${err.code ?? err.message})`;
  }
}
