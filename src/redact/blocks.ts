/**
 * Multi-line secrets: PEM private key blocks (also inside JSON strings, where the newlines are `\n` escapes, as in
 * a GCP service-account file) and the values of a Kubernetes Secret's `data`/`stringData`.
 */
import { type Finding, PRIORITY } from "./finding";
import { isPlaceholder } from "./values";

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
/** What a truncated block (tool output cut short) is made of: base64, headers, real or escaped newlines. */
const PEM_BODY = /(?:[A-Za-z0-9+\/=\s:,-]|\\[nrt])*/y;

export function findPemBlocks(s: string, out: Finding[]): void {
  if (s.indexOf("-----BEGIN") === -1) return;
  PEM_BEGIN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PEM_BEGIN.exec(s)) !== null) {
    const bodyStart = m.index + m[0].length;
    PEM_END.lastIndex = bodyStart;
    const end = PEM_END.exec(s);
    let bodyEnd: number;
    let blockEnd: number;
    if (end !== null) {
      bodyEnd = end.index;
      blockEnd = end.index + end[0].length;
    } else {
      PEM_BODY.lastIndex = bodyStart;
      PEM_BODY.exec(s);
      bodyEnd = blockEnd = PEM_BODY.lastIndex;
    }
    const body = s.slice(bodyStart, bodyEnd).replace(/\\[nrt]|\s/g, "");
    PEM_BEGIN.lastIndex = blockEnd;
    // Documentation shows `MIIE...` or `<key>`: a real key body has at least a line of base64.
    if (body.length < 40 || /\.\.\.|…|<|x{4,}/i.test(body)) continue;
    out.push({ start: m.index, end: blockEnd, kind: "private_key", priority: PRIORITY.block });
  }
}

const KIND_SECRET_YAML = /^[ \t]*(?:-[ \t]+)?["']?kind["']?[ \t]*:[ \t]*["']?Secret["']?[ \t]*$/m;
const KIND_SECRET_JSON = /"kind"\s*:\s*"Secret"/;
const DATA_LINE = /^([ \t]*)(?:data|stringData)[ \t]*:[ \t]*$/;
const ENTRY_LINE = /^([ \t]*)["']?[\w.-]+["']?[ \t]*:[ \t]*(.*)$/;

/** Values under `data:`/`stringData:` of a `kind: Secret` manifest, YAML or JSON (`kubectl get secret -o json`). */
export function findKubernetesSecrets(s: string, out: Finding[]): void {
  if (s.indexOf("Secret") === -1) return;
  if (KIND_SECRET_YAML.test(s)) findYamlSecretData(s, out);
  if (KIND_SECRET_JSON.test(s)) findJsonSecretData(s, out);
}

function findYamlSecretData(s: string, out: Finding[]): void {
  // Line offsets, so findings point into the original string; `---` separates manifests.
  const lines: { text: string; at: number }[] = [];
  for (let at = 0; at <= s.length; ) {
    const nl = s.indexOf("\n", at);
    const stop = nl === -1 ? s.length : nl;
    lines.push({ text: s.slice(at, stop).replace(/\r$/, ""), at });
    at = stop + 1;
  }
  let doc: { text: string; at: number }[] = [];
  const flush = () => {
    if (doc.some((l) => KIND_SECRET_YAML.test(l.text))) yamlDataValues(doc, out);
    doc = [];
  };
  for (const line of lines) {
    if (/^---/.test(line.text)) flush();
    else doc.push(line);
  }
  flush();
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function yamlDataValues(doc: { text: string; at: number }[], out: Finding[]): void {
  for (let i = 0; i < doc.length; i++) {
    const head = DATA_LINE.exec(doc[i]!.text);
    if (!head) continue;
    const dataIndent = head[1]!.length;
    for (let j = i + 1; j < doc.length; j++) {
      const line = doc[j]!;
      if (line.text.trim() === "") continue;
      if (indentOf(line.text) <= dataIndent) break;
      const entry = ENTRY_LINE.exec(line.text);
      if (!entry) continue;
      const raw = entry[2]!.replace(/[ \t]+#.*$/, "");
      const entryIndent = entry[1]!.length;
      if (/^[|>][-+]?\s*$/.test(raw)) {
        // Block scalar: every more-indented line that follows is the value.
        let k = j + 1;
        while (k < doc.length && (doc[k]!.text.trim() === "" || indentOf(doc[k]!.text) > entryIndent)) k++;
        let last = k - 1;
        while (last > j && doc[last]!.text.trim() === "") last--;
        if (last > j) {
          const first = doc[j + 1]!;
          const end = doc[last]!;
          out.push({
            start: first.at + indentOf(first.text),
            end: end.at + end.text.length,
            kind: "k8s_secret",
            priority: PRIORITY.block,
          });
        }
        j = k - 1;
        continue;
      }
      const unquoted = raw.replace(/^(["'])(.*)\1$/, "$2");
      if (unquoted === "" || isPlaceholder(unquoted)) continue;
      const start = line.at + line.text.indexOf(unquoted, entry[0].length - entry[2]!.length);
      out.push({ start, end: start + unquoted.length, kind: "k8s_secret", priority: PRIORITY.block, remember: true });
    }
  }
}

const JSON_DATA = /"(?:data|stringData)"\s*:\s*\{/g;
const JSON_ENTRY = /"(?:[^"\\]|\\.)*"\s*:\s*"((?:[^"\\]|\\.)*)"/dg;

function findJsonSecretData(s: string, out: Finding[]): void {
  JSON_DATA.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = JSON_DATA.exec(s)) !== null) {
    const open = m.index + m[0].length;
    const close = s.indexOf("}", open);
    if (close === -1) return;
    const body = s.slice(open, close);
    JSON_ENTRY.lastIndex = 0;
    let e: RegExpExecArray | null;
    while ((e = JSON_ENTRY.exec(body)) !== null) {
      const span = e.indices?.[1];
      const value = e[1];
      if (!span || value === undefined || value === "" || isPlaceholder(value)) continue;
      out.push({ start: open + span[0], end: open + span[1], kind: "k8s_secret", priority: PRIORITY.block, remember: true });
    }
    JSON_DATA.lastIndex = close;
  }
}
