import { z } from "@hono/zod-openapi";

/** A timestamp input: epoch milliseconds, or an ISO-8601 string turned into milliseconds. */
export const timestampInput = z
  .union([
    z.number().int().nonnegative(),
    z.iso.datetime({ offset: true, local: true }).transform((s) => Date.parse(s)),
    z.iso.date().transform((s) => Date.parse(s)),
  ])
  // An ISO date before 1970 would be a negative number, which the number form refuses and the export order breaks on.
  .refine((ms) => ms >= 0, "a timestamp before 1970-01-01T00:00:00Z is not accepted")
  .openapi({ description: "Unix epoch milliseconds, or an ISO-8601 string", example: 1764147600000 });
