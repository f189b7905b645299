/**
 * A tiny hand-rolled "browser" for the web routes: it keeps cookies, sends forms the way a page would (with the
 * page's Origin), records every response (so a test can check a key never came back), and never follows
 * redirects (the Worker's fetch handler is called directly through `call`).
 */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { Scope } from "../../src/db/schema";
import { BASE, call } from "../helpers";
import { ADMIN_TOKEN, newKey } from "../routes/_support";

export { ADMIN_TOKEN, newKey };

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  /** The redirect target, when there is one. */
  location: string | null;
  setCookies: string[];
}

export interface Cookie {
  name: string;
  value: string;
  attrs: Record<string, string | true>;
}

/** Parses one Set-Cookie header (attribute names lower-cased). */
export function parseSetCookie(header: string): Cookie {
  const [pair, ...rest] = header.split(";");
  const eq = pair!.indexOf("=");
  const attrs: Record<string, string | true> = {};
  for (const part of rest) {
    const [k, ...v] = part.trim().split("=");
    if (k) attrs[k.toLowerCase()] = v.length ? v.join("=") : true;
  }
  return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), attrs };
}

/** Sends a request to the Worker at any origin (`call` always uses http://localhost). */
export function callAt(url: string, init: RequestInit = {}): Promise<Response> {
  const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default;
  return worker.fetch(new Request(url, init));
}

export type FormFields = Record<string, string | string[] | undefined>;

export function encodeForm(fields: FormFields): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  }
  return p.toString();
}

const decodeEntities = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The value of the first `<input … name="<name>" … value="…">` in a page. */
export function inputValue(html: string, name: string): string | undefined {
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    if (!new RegExp(`\\bname="${name}"`).test(tag)) continue;
    const v = /\bvalue="([^"]*)"/.exec(tag);
    return v ? decodeEntities(v[1]!) : "";
  }
  return undefined;
}

export const csrfOf = (html: string) => {
  const t = inputValue(html, "_csrf");
  expect(t, "page has a CSRF token").toBeTruthy();
  return t!;
};

export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every response this browser saw, bodies read as text. */
  readonly seen: Page[] = [];

  constructor(readonly origin = BASE) {}

  private cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private async absorb(res: Response): Promise<Page> {
    const setCookies = res.headers.getSetCookie();
    for (const h of setCookies) {
      const c = parseSetCookie(h);
      if (c.value === "" || c.attrs["max-age"] === "0" || (typeof c.attrs.expires === "string" && Date.parse(c.attrs.expires) < Date.now())) {
        this.cookies.delete(c.name);
      } else {
        this.cookies.set(c.name, c.value);
      }
    }
    const page: Page = { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get("location"), setCookies };
    this.seen.push(page);
    return page;
  }

  private send(path: string, init: RequestInit): Promise<Response> {
    return this.origin === BASE ? call(path, init) : callAt(`${this.origin}${path}`, init);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    const h = new Headers(headers);
    const cookie = this.cookieHeader();
    if (cookie) h.set("cookie", cookie);
    return this.absorb(await this.send(path, { method: "GET", headers: h, redirect: "manual" }));
  }

  /**
   * A form post as a page of this origin sends it. `origin: null` leaves the Origin header out; any other
   * string replaces it (a foreign site).
   */
  async post(path: string, fields: FormFields, opts: { origin?: string | null; headers?: Record<string, string> } = {}): Promise<Page> {
    const h = new Headers(opts.headers);
    h.set("content-type", "application/x-www-form-urlencoded");
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (origin !== null) h.set("origin", origin);
    const cookie = this.cookieHeader();
    if (cookie) h.set("cookie", cookie);
    return this.absorb(await this.send(path, { method: "POST", headers: h, body: encodeForm(fields), redirect: "manual" }));
  }

  /** GET a page and return its CSRF token (every signed-in page carries one in the sign-out form). */
  async csrf(path = "/sessions"): Promise<string> {
    const page = await this.get(path);
    expect(page.status, page.text).toBe(200);
    return csrfOf(page.text);
  }
}

/** Signs a fresh browser in with `key` through the sign-in form; fails the test if that does not work. */
export async function signIn(key: string, origin = BASE): Promise<Browser> {
  const b = new Browser(origin);
  const form = await b.get("/");
  expect(form.status).toBe(200);
  const res = await b.post("/signin", { _csrf: csrfOf(form.text), key });
  expect(res.status, res.text).toBe(303);
  expect(res.location).toBe("/sessions");
  expect(b.cookies.has("evalport_session")).toBe(true);
  return b;
}

/** A key of `workspace` with `scopes` (default all), with its id, and a browser signed in with it. */
export async function signedIn(workspace: string, scopes?: Scope[]) {
  const k = await newKey(workspace, scopes);
  const browser = await signIn(k.key);
  return { ...k, browser };
}

/** A session as the API shows it now (for "nothing changed" checks). */
export async function apiSession(key: string, id: string): Promise<{ status: number; etag: string | null; body: Record<string, any> }> {
  const res = await call(`/api/sessions/${encodeURIComponent(id)}`, { key });
  return { status: res.status, etag: res.headers.get("etag"), body: res.status === 200 ? ((await res.json()) as Record<string, any>) : {} };
}

/** Ids of the rows of a list page, in order (their selection checkboxes). */
export function rowIds(html: string): string[] {
  return [...html.matchAll(/<input\b[^>]*name="id"[^>]*>/g)].map((m) => decodeEntities(/\bvalue="([^"]*)"/.exec(m[0])![1]!));
}

/** Asserts a 403 web page (HTML, not JSON) that says why. */
export function expectForbiddenPage(page: Page, mentions: RegExp) {
  expect(page.status, page.text).toBe(403);
  expect(page.headers.get("content-type")).toMatch(/^text\/html/);
  expect(page.text).toMatch(mentions);
}
