import { sql, type SQL } from "drizzle-orm";
import { sessions } from "../db/schema";
import { invalid } from "../lib/errors";

/** At most this many words and phrases in one `q`: each is one FTS5 lookup per index. */
export const MAX_SEARCH_TERMS = 12;

/**
 * FTS rowid of a message = its session's rowid × 2^20 + seq (migration 0004), so `rowid >> 20` is the session.
 * Keep in step with the triggers there.
 */
export const MESSAGE_ROWID_SHIFT = 20;

/** unicode61 indexes runs of letters and digits; a term without one can match nothing. */
const HAS_TOKEN = /[\p{L}\p{N}]/u;

/**
 * Splits a search box's text into its terms: `"a phrase"` in double quotes is one term (an unclosed quote runs to
 * the end), every other run of non-space characters is a word. Terms with no letter or digit are dropped.
 */
export function searchTerms(q: string): string[] {
  const terms: string[] = [];
  for (const m of q.matchAll(/"([^"]*)(?:"|$)|([^\s"]+)/g)) {
    const term = (m[1] ?? m[2] ?? "").trim();
    if (HAS_TOKEN.test(term)) terms.push(term);
  }
  return terms;
}

/**
 * One term as an FTS5 query: a double-quoted FTS5 string, so nothing the user typed is read as FTS5 syntax
 * (AND, NEAR, `col:`, `*`, `^`). A word with punctuation inside (`a.ts`, `foo-bar`) becomes the phrase of its
 * tokens, which is what the tokenizer made of it in the text too.
 */
export const ftsString = (term: string) => `"${term.replace(/"/g, '""')}"`;

/**
 * The FTS5 queries of `q`, one per term; a `q` with nothing searchable, or with too many terms, is a 400 naming
 * `q` (an empty result would look like "no session matches", which is not what happened).
 */
export function parseSearch(q: string): string[] {
  const terms = searchTerms(q);
  if (terms.length === 0) throw invalid("q", "give at least one word (letters or digits) to search for");
  if (terms.length > MAX_SEARCH_TERMS) throw invalid("q", `at most ${MAX_SEARCH_TERMS} words or phrases`);
  return terms.map(ftsString);
}

/**
 * "The session has this term in its title or in one of its messages", for each term: every term must match, each
 * anywhere in the session (one word in the title and another in a message matches). Each lookup is a
 * non-correlated subquery, read once per query into a set of session rowids, whatever the number of sessions.
 */
export function matchesSearch(ftsQueries: string[]): SQL[] {
  return ftsQueries.map(
    (fq) => sql`(${sessions}.rowid IN (SELECT rowid FROM session_title_fts WHERE session_title_fts MATCH ${fq})
      OR ${sessions}.rowid IN (SELECT rowid >> ${sql.raw(String(MESSAGE_ROWID_SHIFT))} FROM message_content_fts WHERE message_content_fts MATCH ${fq}))`,
  );
}
