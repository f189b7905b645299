/**
 * Secrets known by where they sit rather than by their shape: `Authorization` header values, `curl -u user:pass`,
 * and the password of a URL or connection string (`postgres://user:pass@host`).
 */
import { type Finding, PRIORITY } from "./finding";
import { classCount, entropy, isNonValue, isPlaceholder, isReference } from "./values";

const AUTHORIZATION =
  /(?:[Aa]uthorization|AUTHORIZATION)(?:\\?["'])?[ \t]*[:=][ \t]*(?:\\?["'])?[ \t]*(?:(?:Bearer|bearer|BEARER|Basic|basic|Token|token|Bot|ApiKey|Apikey|JWT|OAuth|Negotiate|NTLM|SSWS|GenieKey|Splunk)[ \t]+)?([A-Za-z0-9._~+\/=-]{8,})/dg;

const CURL_USER = /(?:^|[\s"'])(?:-u|--user)(?:[ \t]+|=)["']?([^\s:"'$]{1,128}):([^\s"']{1,256})/dg;

function credentialLike(v: string): boolean {
  return !isPlaceholder(v) && !isNonValue(v) && (classCount(v) >= 2 || entropy(v) >= 3.5);
}

export function findAuthorizationHeaders(s: string, out: Finding[]): void {
  if (s.indexOf("uthorization") === -1 && s.indexOf("UTHORIZATION") === -1) return;
  AUTHORIZATION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = AUTHORIZATION.exec(s)) !== null) {
    const span = m.indices?.[1];
    const value = m[1];
    if (!span || value === undefined || !credentialLike(value)) continue;
    out.push({ start: span[0], end: span[1], kind: "authorization", priority: PRIORITY.context, remember: true });
  }
}

const AUTHORIZATION_AT = new RegExp(AUTHORIZATION.source, "dy");

/**
 * The header value when the name ending at `nameEnd` is `Authorization` (the assignment scan calls this at each
 * operator whose name ends so, which spares the whole text a scan of its own).
 */
export function authorizationAt(s: string, nameEnd: number, out: Finding[]): void {
  AUTHORIZATION_AT.lastIndex = nameEnd - 13;
  const m = AUTHORIZATION_AT.exec(s);
  const span = m?.indices?.[1];
  const value = m?.[1];
  if (!span || value === undefined || !credentialLike(value)) return;
  out.push({ start: span[0], end: span[1], kind: "authorization", priority: PRIORITY.context, remember: true });
}

export function findCurlUser(s: string, out: Finding[]): void {
  if (s.indexOf("-u") === -1) return;
  CURL_USER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CURL_USER.exec(s)) !== null) {
    const span = m.indices?.[2];
    const value = m[2];
    if (!span || value === undefined || isPlaceholder(value) || isReference(value)) continue;
    out.push({ start: span[0], end: span[1], kind: "password", priority: PRIORITY.context, remember: true });
  }
}

/** Characters that end a URL's authority part. */
function endsAuthority(c: number): boolean {
  // / ? whitespace " ' ` < > \ ) ] } — not `#`: people paste unencoded passwords with it
  return (
    c === 47 || c === 63 || c <= 32 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 ||
    c === 92 || c === 41 || c === 93 || c === 125
  );
}

function isSchemeChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
}

/** `scheme://user:password@host`: the password, found by walking from each `://` (no regex scan of the text). */
export function findUrlCredentials(s: string, out: Finding[]): void {
  let p = s.indexOf("://");
  while (p !== -1) {
    const scheme = p;
    let b = scheme;
    while (b > 0 && isSchemeChar(s.charCodeAt(b - 1))) b--;
    const from = scheme + 3;
    let e = from;
    while (e < s.length && e - from < 1024 && !endsAuthority(s.charCodeAt(e))) e++;
    p = s.indexOf("://", e);
    const first = s.charCodeAt(b);
    if (b === scheme || !((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) continue;
    const at = s.lastIndexOf("@", e - 1);
    if (at < from) continue;
    const colon = s.indexOf(":", from);
    if (colon === -1 || colon > at) continue;
    const password = s.slice(colon + 1, at);
    if (password === "" || isPlaceholder(password) || isReference(password) || isNonValue(password)) continue;
    out.push({ start: colon + 1, end: at, kind: "password", priority: PRIORITY.context, remember: true });
  }
}
