/**
 * Where to go after signing in: a path of this site only. Anything that could leave the origin (`//evil`,
 * `/\evil`, `https://…`, control characters) or point back at sign-in itself falls back to the sessions list.
 */
export function safeNext(raw: string | undefined | null, fallback = "/sessions"): string {
  if (!raw || raw.length > 2000) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, "http://x.invalid");
  } catch {
    return fallback;
  }
  if (url.host !== "x.invalid") return fallback;
  if (url.pathname === "/" || url.pathname === "/signin" || url.pathname === "/signout") return fallback;
  return `${url.pathname}${url.search}`;
}

/**
 * The page a request that found no sign-in came from: a GET asks for itself; a form post (Save with an expired
 * sign-in) returns to the page whose form it was, which is where the browser keeps the draft.
 */
export function returnPathOf(method: string, url: string, referer: string | undefined): string {
  const own = new URL(url);
  if (method === "GET") return `${own.pathname}${own.search}`;
  if (referer) {
    try {
      const r = new URL(referer);
      if (r.origin === own.origin) return `${r.pathname}${r.search}`;
    } catch {
      // fall through to the post's own address
    }
  }
  return `${own.pathname}${own.search}`;
}
