import { sql, type SQL } from "drizzle-orm";
import { sessions } from "../db/schema";
import { invalid } from "../lib/errors";

/** At most this many words and phrases in one `q`: each is one FTS5 lookup per index. */
export const MAX_SEARCH_TERMS = 12;

/**
 * The full-text index (migration 0008) has one entry per title and message: rowid = session rowid × 2^20 + seq
 * (a title at seq 2^20 − 1), so `rowid >> 20` is the session. A session's rowid is n × 2^23 + k, n its
 * workspace's number, so a workspace's entries are the rowids from n × 2^43 to (n + 1) × 2^43 − 1. Keep in step
 * with the triggers there and with src/sessions/ingest-sql.ts.
 */
export const MESSAGE_ROWID_SHIFT = 20;
const WORKSPACE_ROWID_SHIFT = 43;

/** The workspace's range of full-text rowids; none (NULL bounds) for a workspace that never had a session. */
function workspaceRange(workspaceId: string): SQL {
  const n = (expr: string) => sql`(SELECT ${sql.raw(expr)} FROM workspace_numbers WHERE workspace_id = ${workspaceId})`;
  return sql`rowid BETWEEN ${n(`n << ${WORKSPACE_ROWID_SHIFT}`)} AND ${n(`((n + 1) << ${WORKSPACE_ROWID_SHIFT}) - 1`)}`;
}

/** The rowids (`sr`) of the workspace's sessions with `fq` in their title or in one of their messages (may repeat). */
function sessionsWith(workspaceId: string, fq: string): SQL {
  return sql`SELECT rowid >> ${sql.raw(String(MESSAGE_ROWID_SHIFT))} AS sr FROM session_text_fts
    WHERE session_text_fts MATCH ${fq} AND ${workspaceRange(workspaceId)}`;
}

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
 * non-correlated subquery over the workspace's part of the index only, read once per query into a set of session
 * rowids, whatever the number of sessions.
 */
export function matchesSearch(workspaceId: string, ftsQueries: string[]): SQL[] {
  return ftsQueries.map((fq) => inMatched(sql`${sessionsWith(workspaceId, fq)}`));
}

/**
 * `session rowid IN (set)`, written `+rowid` so that it is never the way sessions are found: SQLite, with no
 * statistics on D1, would otherwise look each of a common word's ~200,000 entries up by rowid rather than walk the
 * view's own index or a tag's set and test each session against the set (Evals `q=cursor&tag=sql` chart at
 * 100,000 sessions: 1.3 s against 0.2 s in sqlite3).
 */
export const inMatched = (set: SQL) => sql`+${sessions}.rowid IN (${set})`;

/**
 * How many of the workspace's sessions match every term, from the index alone: the distinct sessions of the
 * first term's entries (one term), or the INTERSECT of each term's sessions. No session row or index is read, so
 * a word in most of a workspace's sessions costs its index entries, not a probe per session. Only right when the
 * search is the view's one filter (the entries of a workspace are exactly its sessions', kept so by triggers).
 */
export function searchCountSql(workspaceId: string, ftsQueries: string[]): SQL {
  return sql`SELECT count(*) AS n FROM (${searchMatchesSql(workspaceId, ftsQueries)})`;
}

/**
 * The rowids of the workspace's sessions that match every term, each once (column `sr`): the distinct sessions
 * of one term's entries, or the INTERSECT of each term's. Read from the index alone.
 */
export function searchMatchesSql(workspaceId: string, ftsQueries: string[]): SQL {
  const [first, ...rest] = ftsQueries.map((fq) => sessionsWith(workspaceId, fq));
  if (!first) throw new Error("searchMatchesSql needs at least one term");
  const matched = rest.length === 0 ? sql`SELECT DISTINCT * FROM (${first})` : sql.join([first, ...rest], sql` INTERSECT `);
  return matched;
}
