import { z } from "@hono/zod-openapi";
import { createSessionRedactor, DEFAULT_REDACT, parseRedactParam, REDACT_KINDS, type RedactKind } from "../redact";
import type { ExportMessage, ExportSession } from "./model";

export { REDACT_KINDS, type RedactKind };
export const REDACT_DEFAULT: readonly RedactKind[] = DEFAULT_REDACT;

/** `none`, or a comma-separated set of kinds in any order; anything else is a 400 naming `redact`. */
export const redactParam = z
  .string()
  .transform((v, ctx): RedactKind[] => {
    const kinds = parseRedactParam(v);
    if (kinds === null) {
      ctx.addIssue({ code: "custom", message: `must be none or a comma-separated set of ${REDACT_KINDS.join(", ")}` });
      return z.NEVER;
    }
    return kinds;
  })
  .openapi({ type: "string", example: "secrets,paths", description: "none, or any of secrets, paths, emails (default secrets)" });

/**
 * The redact layer between reader and encoder: a copy of the session with every exported string masked —
 * contents, tool-call arguments, tool outputs, title, expected output, notes — in conversation order, so
 * placeholders number in order of first appearance. Nothing stored changes. `kinds` empty is the identity.
 */
export function redactSession(session: ExportSession, kinds: readonly RedactKind[]): ExportSession {
  if (kinds.length === 0) return session;
  const r = createSessionRedactor(kinds);
  const text = (s: string | null) => (s === null ? null : r.text(s));
  const title = text(session.title);
  const messages = session.messages.map(
    (m): ExportMessage => ({
      ...m,
      content: r.text(m.content),
      toolCalls: m.toolCalls?.map((c) => ({ ...c, arguments: r.toolArguments(c.arguments) })) ?? null,
    }),
  );
  return { ...session, title, messages, expectedOutput: text(session.expectedOutput), evalNotes: text(session.evalNotes) };
}
