/**
 * The review workbench's speed targets, measured (issue: "Review page with a 1,000-message session renders in
 * under 300 ms server time; list pages with 100,000 sessions (search, filters, totals) under 200 ms"):
 *
 * - the HTML list pages GET /sessions and /evals on a large workspace, with the query strings the web view itself
 *   builds (its filter form's GET, its page links, its column-header sort links), each beside the JSON API query
 *   that reads the same rows (GET /api/sessions, /api/evals) timed in the same run, alternately;
 * - the review page GET /review/:id of a 1,000-message session shaped like a coding agent's transcript (markdown
 *   with code fences to highlight, tool calls with their results), and of a 20-message one as the reference, beside
 *   GET /api/sessions/:id of the same session.
 *
 * The browser's way in: GET / (the sign-in form: its CSRF token and pre-sign-in cookie), POST /signin with the API
 * key, then the session cookie on every page. Times are client times on localhost (request written → last body
 * byte, through wrangler dev's proxy): the pages are rendered whole before the first byte, so this is the server's
 * time plus two loopback hops; the Worker sends no Server-Timing header (noted when it does).
 */
import http from "node:http";
import { createGenerator, reviewSession, type BenchSession } from "./data";
import { agent, requestJson } from "./http";
import { median, resolveListPath, timeList } from "./lists";
import type { BenchServer } from "./server";

export interface Target {
  target: string;
  figure: string;
  result: "PASS" | "FAIL" | "SKIP" | "INFO";
}

export interface PageResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** ms from writing the request to the response headers (≈ the render: pages are strings sent whole). */
  ttfbMs: number;
  /** ms from writing the request to the last body byte. */
  totalMs: number;
  bytes: number;
  body: string;
}

/** A plain node:http request (identity encoding, keep-alive agent), the body kept as text. */
export function requestPage(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<PageResponse> {
  const payload = body === undefined ? undefined : Buffer.from(body);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      new URL(path, base),
      {
        method,
        agent,
        headers: {
          "accept-encoding": "identity",
          accept: "text/html",
          ...headers,
          ...(payload ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(payload.length) } : {}),
        },
      },
      (res) => {
        const ttfbMs = performance.now() - t0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const totalMs = performance.now() - t0;
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, ttfbMs, totalMs, bytes: buf.length, body: buf.toString("utf8") });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** `name=value` of each Set-Cookie, by name. */
function cookiesOf(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of h["set-cookie"] ?? []) {
    const pair = line.split(";")[0]!;
    const eq = pair.indexOf("=");
    if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Signs in as a browser does: GET / for the form's `_csrf` and the pre-sign-in cookie (double submit), POST
 * /signin with the key and an Origin of this site, keep the session cookie. Returns the Cookie header to send.
 */
export async function signIn(base: string, key: string): Promise<string> {
  const form = await requestPage(base, "GET", "/", {});
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const pre = cookiesOf(form.headers).evalport_signin;
  if (form.status !== 200 || !csrf || !pre) throw new Error(`GET / gave no sign-in form (HTTP ${form.status}, csrf ${csrf ? "yes" : "no"}, cookie ${pre ? "yes" : "no"})`);
  const body = new URLSearchParams({ _csrf: csrf, key, next: "" }).toString();
  const res = await requestPage(base, "POST", "/signin", { cookie: `evalport_signin=${pre}`, origin: base, referer: `${base}/` }, body);
  const session = cookiesOf(res.headers).evalport_session;
  if (res.status !== 303 || !session) throw new Error(`POST /signin answered ${res.status} without a session cookie: ${res.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 200)}`);
  return `evalport_session=${session}`;
}

/** A page and the JSON API query that reads the same rows (its reference); `CURSOR:` = the API's second page. */
export interface WebCase {
  name: string;
  html: string;
  api: string;
}

/** The filter form's GET as a browser sends it: every field, the empty ones included. */
function formQuery(view: "sessions" | "evals", f: { q?: string; status?: string[]; tag?: string[]; reviewed?: string; source?: string; model?: string; ready?: string }): string {
  const p = new URLSearchParams();
  p.append("q", f.q ?? "");
  for (const s of f.status ?? []) p.append("status", s);
  for (const t of f.tag ?? []) p.append("tag", t);
  p.append("tag", ""); // the form's empty "another tag" field
  p.append("reviewed", f.reviewed ?? "");
  p.append("source", f.source ?? "");
  p.append("model", f.model ?? "");
  if (view === "sessions") p.append("ready", f.ready ?? "");
  return `/${view}?${p.toString().replace(/\+/g, "%20")}`;
}

/**
 * The list pages measured. Page links and sort links are spelled as the pages build them (src/web/filters.ts
 * pageHref / sortHref: only values other than the default, `page` last); filters as the filter form submits them.
 * The JSON API has one order (newest first) and keyset cursors, so a sorted page and a deep page by offset are
 * shown beside the API's nearest query (first page, or its second page by cursor).
 */
export function webListCases(total: number): WebCase[] {
  const mid = Math.max(2, Math.floor(total / 50 / 2));
  const last = Math.max(2, Math.ceil(total / 50));
  return [
    { name: "sessions, first page", html: "/sessions", api: "/api/sessions" },
    { name: "sessions, page 2", html: "/sessions?page=2", api: "CURSOR:/api/sessions" },
    { name: `sessions, page ${mid.toLocaleString("en-US")} (offset ${((mid - 1) * 50).toLocaleString("en-US")})`, html: `/sessions?page=${mid}`, api: "CURSOR:/api/sessions" },
    { name: `sessions, last page (${last.toLocaleString("en-US")})`, html: `/sessions?page=${last}`, api: "CURSOR:/api/sessions" },
    { name: "sessions, size=100", html: "/sessions?size=100", api: "/api/sessions?limit=100" },
    { name: "sessions, size=100 page 3", html: "/sessions?size=100&page=3", api: "CURSOR:/api/sessions?limit=100" },
    { name: "sort created ↑ (oldest first)", html: "/sessions?dir=asc", api: "/api/sessions" },
    { name: "sort title ↑", html: "/sessions?sort=title", api: "/api/sessions" },
    { name: "sort title ↓", html: "/sessions?sort=title&dir=desc", api: "/api/sessions" },
    { name: "sort messages ↓", html: "/sessions?sort=messages", api: "/api/sessions" },
    { name: "sort tokens ↓", html: "/sessions?sort=tokens", api: "/api/sessions" },
    { name: "sort cost ↓", html: "/sessions?sort=cost", api: "/api/sessions" },
    { name: "sort cost ↑ page 2", html: "/sessions?sort=cost&dir=asc&page=2", api: "CURSOR:/api/sessions" },
    { name: "status=golden", html: formQuery("sessions", { status: ["golden"] }), api: "/api/sessions?status=golden" },
    { name: "status=incorrect,needs_review", html: formQuery("sessions", { status: ["incorrect", "needs_review"] }), api: "/api/sessions?status=incorrect,needs_review" },
    { name: "tag=auth", html: formQuery("sessions", { tag: ["auth"] }), api: "/api/sessions?tag=auth" },
    { name: "tag=auth + tag=sql", html: formQuery("sessions", { tag: ["auth", "sql"] }), api: "/api/sessions?tag=auth&tag=sql" },
    { name: "reviewed=false", html: formQuery("sessions", { reviewed: "false" }), api: "/api/sessions?reviewed=false" },
    { name: "reviewed=true", html: formQuery("sessions", { reviewed: "true" }), api: "/api/sessions?reviewed=true" },
    { name: "source=codex + model=o3", html: formQuery("sessions", { source: "codex", model: "o3" }), api: "/api/sessions?source=codex&model=o3" },
    { name: "ready=true", html: formQuery("sessions", { ready: "true" }), api: "/api/sessions?evalReady=true" },
    { name: "q=zeppelin (no match)", html: formQuery("sessions", { q: "zeppelin" }), api: "/api/sessions?q=zeppelin" },
    { name: "q=login (common word)", html: formQuery("sessions", { q: "login" }), api: "/api/sessions?q=login" },
    { name: "q=login redirect (two words)", html: formQuery("sessions", { q: "login redirect" }), api: "/api/sessions?q=login%20redirect" },
    { name: 'q="login redirect" (phrase)', html: formQuery("sessions", { q: '"login redirect"' }), api: "/api/sessions?q=%22login%20redirect%22" },
    { name: "q=login page 2", html: "/sessions?q=login&page=2", api: "CURSOR:/api/sessions?q=login" },
    { name: "q=login sort cost ↓", html: "/sessions?q=login&sort=cost", api: "/api/sessions?q=login" },
    { name: "q=login + status=golden + tag=auth", html: formQuery("sessions", { q: "login", status: ["golden"], tag: ["auth"] }), api: "/api/sessions?q=login&status=golden&tag=auth" },
    { name: "q=login + source + model + reviewed", html: formQuery("sessions", { q: "login", source: "codex", model: "o3", reviewed: "true" }), api: "/api/sessions?q=login&source=codex&model=o3&reviewed=true" },
    { name: "evals, first page (chart)", html: "/evals", api: "/api/evals" },
    { name: "evals, page 2", html: "/evals?page=2", api: "CURSOR:/api/evals" },
    { name: "evals, sort tokens ↓", html: "/evals?sort=tokens", api: "/api/evals" },
    { name: "evals status=golden,correct + reviewed=true", html: formQuery("evals", { status: ["golden", "correct"], reviewed: "true" }), api: "/api/evals?status=golden,correct&reviewed=true" },
    { name: "evals tag=sql", html: formQuery("evals", { tag: ["sql"] }), api: "/api/evals?tag=sql" },
    { name: "evals source=cursor + model=gpt-4.1", html: formQuery("evals", { source: "cursor", model: "gpt-4.1" }), api: "/api/sessions?evalReady=true&source=cursor&model=gpt-4.1" },
    { name: "evals q=cursor + tag=sql", html: formQuery("evals", { q: "cursor", tag: ["sql"] }), api: "/api/evals?q=cursor&tag=sql" },
    { name: "evals q=zeppelin (no match)", html: formQuery("evals", { q: "zeppelin" }), api: "/api/evals?q=zeppelin" },
    { name: 'evals q="login redirect" + status=golden', html: formQuery("evals", { q: '"login redirect"', status: ["golden"] }), api: "/api/evals?q=%22login%20redirect%22&status=golden" },
  ];
}

export interface WebFigure {
  group: "list" | "review";
  workspace: string;
  name: string;
  path: string;
  status: number;
  /** Median over the runs, request written → last byte. */
  medianMs: number;
  runsMs: number[];
  ttfbMedianMs: number;
  bytes: number;
  /** The page's own count (data-total of its match line), for lists. */
  total: number | null;
  serverTiming: string | null;
  targetMs: number;
  ref: { path: string; status: number; medianMs: number; runsMs: number[]; total: number | null };
}

const int = (s: string | undefined) => (s === undefined ? null : Number(s.replace(/,/g, "")));

/** Times `html` (with the cookie) and its reference `api` (with the key) alternately, `runs` each; medians. */
async function timePair(base: string, key: string, cookie: string, html: string, api: string, runs: number, refParse: "list" | "none") {
  const apiPath = await resolveListPath(base, key, api);
  const pageRuns: number[] = [];
  const ttfbRuns: number[] = [];
  const refRuns: number[] = [];
  let page: PageResponse | null = null;
  let ref = { ms: 0, status: 0, total: null as number | null };
  for (let i = 0; i < runs; i++) {
    if (refParse === "list") ref = await timeList(base, key, apiPath);
    else {
      const r = await requestPage(base, "GET", apiPath, { authorization: `Bearer ${key}`, accept: "application/json" });
      ref = { ms: r.totalMs, status: r.status, total: null };
    }
    refRuns.push(ref.ms);
    page = await requestPage(base, "GET", html, { cookie });
    pageRuns.push(page.totalMs);
    ttfbRuns.push(page.ttfbMs);
  }
  return { apiPath, page: page!, pageRuns, ttfbRuns, ref, refRuns };
}

export interface WebListsOptions {
  base: string;
  key: string;
  workspace: string;
  sessions: number;
  runs?: number;
  say: (line: string) => void;
}

/** Every list case on one workspace; each printed as it is measured. */
export async function measureWebLists(o: WebListsOptions): Promise<WebFigure[]> {
  const cookie = await signIn(o.base, o.key);
  const out: WebFigure[] = [];
  for (const c of webListCases(o.sessions)) {
    const r = await timePair(o.base, o.key, cookie, c.html, c.api, o.runs ?? 5, "list");
    if (r.page.status === 302) throw new Error(`GET ${c.html} redirected to ${r.page.headers.location}: the sign-in did not hold`);
    const total = int(/data-total="([\d,]+)"/.exec(r.page.body)?.[1]);
    const f: WebFigure = {
      group: "list", workspace: o.workspace, name: c.name, path: c.html, status: r.page.status,
      medianMs: median(r.pageRuns), runsMs: r.pageRuns, ttfbMedianMs: median(r.ttfbRuns), bytes: r.page.bytes, total,
      serverTiming: (r.page.headers["server-timing"] as string | undefined) ?? null, targetMs: 200,
      ref: { path: r.apiPath, status: r.ref.status, medianMs: median(r.refRuns), runsMs: r.refRuns, total: r.ref.total },
    };
    out.push(f);
    o.say(webLine(f));
  }
  return out;
}

const f1 = (n: number) => n.toFixed(1);

/** One measured page as a line: page figure, then the JSON reference. */
export function webLine(f: WebFigure): string {
  const mismatch = f.group === "list" && f.total !== null && f.ref.total !== null && f.total !== f.ref.total ? `  ! page total ≠ API total ${f.ref.total.toLocaleString("en-US")}` : "";
  const bad = f.status !== 200 ? `  ! HTTP ${f.status}` : f.ref.status !== 200 ? `  ! API HTTP ${f.ref.status}` : "";
  return (
    `  ${f.medianMs < f.targetMs && f.status === 200 ? "PASS" : "FAIL"}  ${f.name.padEnd(44)} ${f1(f.medianMs).padStart(7)} ms (first byte ${f1(f.ttfbMedianMs).padStart(6)})` +
    `  ${(f.bytes / 1024).toFixed(0).padStart(5)} KB   API ${f1(f.ref.medianMs).padStart(6)} ms` +
    `${f.total !== null ? `   total ${f.total.toLocaleString("en-US")}` : ""}${f.serverTiming ? `   Server-Timing: ${f.serverTiming}` : ""}${mismatch}${bad}`
  );
}

export interface WebReviewOptions {
  server: BenchServer;
  say: (line: string) => void;
  baseTime: number;
  /** Put the review sessions into this workspace (the large one) too, beside the small workspace of their own. */
  large?: { workspace: string; key: string; sessions: number };
  runs?: number;
}

async function postSession(base: string, key: string, s: BenchSession): Promise<string> {
  const body = JSON.stringify({ sessions: [s] });
  const res = await requestJson(base, "POST", "/api/sessions/batch", { authorization: `Bearer ${key}` }, body);
  const id = (res.body as { results?: { id: string }[] } | null)?.results?.[0]?.id;
  if (res.status !== 200 || !id) throw new Error(`POST /api/sessions/batch answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return id;
}

/**
 * The review page of a 1,000-message and of a 20-message session (the reference), in a small workspace of their
 * own (the page's queue counts and tag summary cost nothing there) and, when given, in the large workspace (where
 * they count 100,000 sessions), opened from the plain Sessions list and from a filtered, searched Evals list.
 */
export async function benchWebReview(o: WebReviewOptions): Promise<{ figures: WebFigure[]; targets: Target[]; sessionBytes: number }> {
  const { server, say } = o;
  const long = reviewSession({ externalId: "review-1000", messages: 1000, seed: 51, baseTime: o.baseTime });
  const short = reviewSession({ externalId: "review-20", messages: 20, seed: 52, baseTime: o.baseTime + 60_000 });
  const sessionBytes = Buffer.byteLength(JSON.stringify(long));
  const fences = long.messages.reduce((n, m) => n + (m.content.match(/^```/gm)?.length ?? 0) / 2, 0);
  const calls = long.messages.reduce((n, m) => n + (m.toolCalls?.length ?? 0), 0);
  say(`  review-1000: ${long.messages.length} messages, ${(sessionBytes / 1e6).toFixed(2)} MB as JSON, ${Math.round(fences)} code fences, ${calls} tool calls with results; review-20 the same shape`);
  const spaces: { workspace: string; key: string; note: string }[] = [];
  const smallWs = "web-review";
  const smallKey = await server.createKey(smallWs);
  // A few ordinary sessions around them, so the queue has neighbours.
  const gen = createGenerator({ messages: 6, readyFraction: 1, seed: 53, baseTime: o.baseTime });
  const neighbours = Array.from({ length: 20 }, (_, i) => gen(i, smallWs));
  const res = await requestJson(server.base, "POST", "/api/sessions/batch", { authorization: `Bearer ${smallKey}` }, { sessions: neighbours });
  if (res.status !== 200) throw new Error(`POST /api/sessions/batch answered ${res.status}`);
  spaces.push({ workspace: smallWs, key: smallKey, note: "22 sessions" });
  if (o.large) spaces.push({ workspace: o.large.workspace, key: o.large.key, note: `${o.large.sessions.toLocaleString("en-US")} sessions` });

  const figures: WebFigure[] = [];
  const targets: Target[] = [];
  for (const w of spaces) {
    const ids = { long: await postSession(server.base, w.key, long), short: await postSession(server.base, w.key, short) };
    const cookie = await signIn(server.base, w.key);
    const queues: [string, string][] = [["from Sessions", "?view=sessions"]];
    if (w.workspace !== smallWs) queues.push(["from Evals, q=login + status=golden", `?view=evals&q=login&status=golden`]);
    for (const [which, id] of [["review-1000", ids.long], ["review-20", ids.short]] as const) {
      for (const [qName, query] of queues) {
        const html = `/review/${encodeURIComponent(id)}${query}`;
        await requestPage(server.base, "GET", html, { cookie }); // warm-up: the first render of a session loads its messages cold
        const r = await timePair(server.base, w.key, cookie, html, `/api/sessions/${encodeURIComponent(id)}`, o.runs ?? 5, "none");
        if (r.page.status === 302) throw new Error(`GET ${html} redirected to ${r.page.headers.location}: the sign-in did not hold`);
        const f: WebFigure = {
          group: "review", workspace: w.workspace, name: `${which} ${qName} (${w.note})`, path: html, status: r.page.status,
          medianMs: median(r.pageRuns), runsMs: r.pageRuns, ttfbMedianMs: median(r.ttfbRuns), bytes: r.page.bytes, total: null,
          serverTiming: (r.page.headers["server-timing"] as string | undefined) ?? null, targetMs: 300,
          ref: { path: r.apiPath, status: r.ref.status, medianMs: median(r.refRuns), runsMs: r.refRuns, total: null },
        };
        figures.push(f);
        say(webLine(f).replace(" API ", " API (JSON of the session) "));
        targets.push({
          target: `review page < 300 ms: ${f.name}`,
          figure: `${f1(f.medianMs)} ms (first byte ${f1(f.ttfbMedianMs)}; ${(f.bytes / 1024).toFixed(0)} KB; GET /api/sessions/:id ${f1(f.ref.medianMs)} ms)`,
          result: which === "review-20" ? "INFO" : f.status === 200 && f.medianMs < 300 ? "PASS" : "FAIL",
        });
      }
    }
  }
  return { figures, targets, sessionBytes };
}

/** The list targets: the worst page against 200 ms, and each page over it on a row of its own. */
export function listTargets(figures: WebFigure[], sessions: number): Target[] {
  const lists = figures.filter((f) => f.group === "list");
  if (lists.length === 0) return [];
  const worst = lists.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  const failing = lists.filter((f) => !(f.status === 200 && f.medianMs < 200));
  const n = sessions.toLocaleString("en-US");
  return [
    {
      target: `HTML list pages < 200 ms at ${n} sessions (${lists.length} pages, worst shown)`,
      figure: `${lists.length - failing.length}/${lists.length} pass; worst ${f1(worst.medianMs)} ms: ${worst.name} (API ${f1(worst.ref.medianMs)} ms)`,
      result: failing.length === 0 ? "PASS" : "FAIL",
    },
    ...failing.map((f): Target => ({
      target: `HTML list page < 200 ms at ${n} sessions: ${f.name}`,
      figure: `${f1(f.medianMs)} ms${f.status !== 200 ? ` HTTP ${f.status}` : ""} (API ${f1(f.ref.medianMs)} ms; ${f.path})`,
      result: "FAIL",
    })),
  ];
}
