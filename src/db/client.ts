import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

/** drizzle over D1, with the binding itself as `$client` for the statements drizzle cannot express. */
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

/** One drizzle handle per request; cheap, it only wraps the binding. */
export const createDb = (d1: D1Database): Db => drizzle(d1, { schema });

/** D1 rejects statements with more than 100 bound parameters; multi-row inserts are cut to fit. */
export const D1_MAX_PARAMS = 100;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
