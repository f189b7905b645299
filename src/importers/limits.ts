/** Limits of POST /api/import, in one place for the route, the tests and the README. */
export const IMPORT_LIMITS = {
  /** The whole body, counted in bytes as they arrive. */
  bodyBytes: 100 * 1024 * 1024,
  /**
   * An OpenCode session is one JSON document, parsed whole: a Worker's 128 MB would not hold a 100 MiB document
   * and its parsed form, so it gets a lower cap (OpenCode sessions are far smaller in practice).
   */
  documentBytes: 32 * 1024 * 1024,
  /** A chunk of messages is written once this much text (UTF-16 units) or this many messages are waiting. */
  flushChars: 4 * 1024 * 1024,
  flushMessages: 2000,
  /** A body is read into one buffer of this size, filled before it is decoded (not the runtime's 4 KiB chunks). */
  readBytes: 256 * 1024,
  /**
   * Parsed chunks of a body sent without Content-Length wait, deflated, until its size is known (a refused import
   * writes nothing); a body whose chunks pass this much compressed is refused instead of risking the memory.
   */
  spoolBytes: 40 * 1024 * 1024,
} as const;

/**
 * Content types a transcript may be sent with. `application/x-www-form-urlencoded` is what `curl --data-binary`
 * sends without `-H`, and octet-stream what many upload tools default to: the body is read as text either way.
 */
export const IMPORT_CONTENT_TYPES = [
  "application/x-ndjson",
  "application/jsonl",
  "application/x-jsonlines",
  "application/jsonlines",
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/octet-stream",
] as const;

/** Whether a Content-Type header (parameters ignored) is one of the accepted ones; no header is accepted too. */
export function acceptedContentType(header: string | undefined): boolean {
  if (header === undefined || header.trim() === "") return true;
  const essence = header.split(";")[0]!.trim().toLowerCase();
  return (IMPORT_CONTENT_TYPES as readonly string[]).includes(essence);
}
