/**
 * `paths`: the user name in home directories (`/Users/alice/`, `/home/alice/`, `C:\Users\alice\`, and Claude
 * Code's encoded project folders `-Users-alice-app`) becomes `<user>`; `emails`: addresses become placeholders.
 */
import { type Finding, PRIORITY } from "./finding";

const HOME = /(?:\/Users\/|\/home\/|[A-Za-z]:(?:\\\\|\\|\/)Users(?:\\\\|\\|\/))([A-Za-z0-9._-][A-Za-z0-9._ -]{0,63}?)(?=[\\\/"'`\s:;,)\]}]|$)|[\/\\]-(?:Users|home)-([A-Za-z0-9._]{1,64})-/dg;

/** Not people: macOS's shared folders, Linux placeholders, already-masked paths. */
const NOT_A_USER = new Set(["Shared", "Public", "Default", "All Users", "Default User", "<user>", "user", "USER", "username", "me", "$USER", "runner"]);

export function findHomeUsers(s: string, out: Finding[]): void {
  if (s.indexOf("Users") === -1 && s.indexOf("home") === -1) return;
  HOME.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HOME.exec(s)) !== null) {
    const g = m[1] !== undefined ? 1 : 2;
    const span = m.indices?.[g];
    const name = m[g];
    if (!span || name === undefined || NOT_A_USER.has(name) || name.startsWith("$") || name.startsWith("<")) continue;
    out.push({ start: span[0], end: span[1], kind: "user", priority: PRIORITY.personal });
  }
}

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b/g;
/** Documentation domains (RFC 2606) and file names like `logo@2x.png` are not addresses of anyone. */
const NOT_AN_EMAIL = /@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid|localhost)$|@\d+x\.|\.(?:png|jpe?g|gif|svg|webp|js|ts|css|json|md)$/i;

export function findEmails(s: string, out: Finding[]): void {
  if (s.indexOf("@") === -1) return;
  EMAIL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = EMAIL.exec(s)) !== null) {
    const address = m[0];
    if (NOT_AN_EMAIL.test(address) || address.startsWith("git@")) continue;
    out.push({ start: m.index, end: m.index + address.length, kind: "email", priority: PRIORITY.personal });
  }
}
