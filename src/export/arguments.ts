/**
 * Tool-call arguments arrive as an object or as a JSON string that may not parse. Every format needs a different,
 * but valid, view of them; these helpers keep the rules in one place.
 */

type Parsed = { ok: true; value: unknown } | { ok: false; text: string };

/** Absent, null and blank-string arguments all mean "called without arguments". */
function parse(raw: unknown): Parsed {
  if (raw === undefined || raw === null) return { ok: true, value: {} };
  if (typeof raw !== "string") return { ok: true, value: raw };
  if (raw.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, text: raw };
  }
}

/** The arguments as a JSON value: parsed when they were a JSON string, the raw string when it does not parse. */
export function argumentsValue(raw: unknown): unknown {
  const p = parse(raw);
  return p.ok ? p.value : p.text;
}

/**
 * Compact JSON for `name(<args>)` lines (deepeval context, text format); an unparseable string shows as a JSON
 * string literal, so the part in parentheses is always valid JSON.
 */
export function argumentsLine(name: string, raw: unknown): string {
  return `${name}(${JSON.stringify(argumentsValue(raw))})`;
}

/**
 * DeepEval's `ToolCall.input_parameters` is `Optional[Dict[str, Any]]`: anything but a JSON object would make its
 * loader reject the whole file, so non-object arguments are wrapped as `{"_raw": value}`.
 */
export function deepEvalParameters(raw: unknown): Record<string, unknown> {
  const value = argumentsValue(raw);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return { _raw: value };
}

/**
 * OpenAI wants `function.arguments` as a JSON string: a string that parses is kept byte for byte, an unparseable
 * one becomes a JSON string literal (still valid JSON, nothing lost), anything else is serialised.
 */
export function openAiArguments(raw: unknown): string {
  const p = parse(raw);
  if (!p.ok) return JSON.stringify(p.text);
  return typeof raw === "string" && raw.trim() !== "" ? raw : JSON.stringify(p.value);
}
