/**
 * Parses an If-Match header into the session versions it names (our ETags are `"v<version>"`, weak forms
 * accepted), or "*" for any. Unparseable entries name no version, so they never match.
 */
export function parseIfMatch(header: string | undefined): number[] | "*" | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  if (header.trim() === "*") return "*";
  const versions: number[] = [];
  for (const part of header.split(",")) {
    const m = /^\s*(?:W\/)?"v(\d{1,15})"\s*$/.exec(part);
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}
