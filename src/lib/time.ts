import { z } from "@hono/zod-openapi";

/** A timestamp input: epoch milliseconds, or an ISO-8601 string turned into milliseconds. */
export const timestampInput = z
  .union([
    z.number().int().nonnegative(),
    z.iso.datetime({ offset: true, local: true }).transform((s) => Date.parse(s)),
    z.iso.date().transform((s) => Date.parse(s)),
  ])
  .openapi({ description: "Unix epoch milliseconds, or an ISO-8601 string", example: 1764147600000 });
