import { z } from "@hono/zod-openapi";
import { EVAL_STATUSES } from "../db/schema";
import { MAX_SEARCH_TERMS, searchTerms } from "../sessions/search";

/**
 * An integer query parameter within [min, max]: out of range or not a number is a 400, never clamped.
 * The document shows the range too: it is generated from the string input, which alone says nothing of it.
 */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .openapi({ type: "integer", minimum: min, maximum: max });

export const boolParam = z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");

/** A query parameter that may repeat (`?tag=a&tag=b`); Hono gives a string or an array. */
export const repeatable = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** `status` repeatable or comma-separated, each one of the four values. */
export const statusesParam = repeatable
  .transform((v) => v.flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s.length > 0))
  .pipe(z.array(z.enum(EVAL_STATUSES, `must be one of ${EVAL_STATUSES.join(", ")}`)))
  .openapi({ param: { style: "form", explode: true }, type: "string", example: "golden,correct" });

export const tagsParam = repeatable
  .transform((v) => v.map((s) => s.trim()))
  .pipe(z.array(z.string().min(1, "a tag cannot be blank").max(64)))
  .openapi({ type: "string", example: "auth" });

/**
 * `q`: full-text words and "quoted phrases" (src/sessions/search.ts); a `q` with nothing searchable in it is a 400
 * here, before any query runs.
 */
export const searchParam = z
  .string()
  .min(1)
  .max(200)
  .refine((q) => searchTerms(q).length > 0, "give at least one word (letters or digits) to search for")
  .refine((q) => searchTerms(q).length <= MAX_SEARCH_TERMS, `at most ${MAX_SEARCH_TERMS} words or phrases`)
  .openapi({
    description:
      'Full-text, case-insensitive: every word must be in the title or in a message of the session; "a phrase" in quotes matches the phrase',
    example: "redirect login",
  });
