import { beforeAll, describe, expect, it } from "vitest";
import { SORT_KEYS, offsetIdsQuery, type SortDir } from "../../src/sessions/queries";
import type { ViewFilters } from "../../src/web/filters";
import { firstOfQueue, queueAround, queueBySeeks, queueFromMatches } from "../../src/web/neighbors";
import { db, ingest, makeKey, sessionBody } from "../helpers";

/**
 * The review page's position line ("3 of 19", previous, next, first): a searched list computes it from its matches
 * in one statement, any other list by index seeks. Both must give what the list itself shows, for every sort key
 * and direction, with ties and unknown values, for sessions in the list and for one that left it.
 */
const WS = "queue-position";
const T0 = 1764147600000;

const words = ["login redirect", "login", "cursor pagination", "redirect"];
let ids: string[] = [];

beforeAll(async () => {
  const key = await makeKey(WS);
  ids = [];
  for (let i = 0; i < 14; i++) {
    const s = await ingest(
      key,
      sessionBody({
        // Ties on every key: titles, createdAt, tokens and cost repeat; some unknown (null) tokens and cost.
        title: i % 5 === 0 ? "" : `Task ${i % 4}`,
        externalId: `q-${String(i).padStart(2, "0")}`,
        createdAt: T0 + Math.floor(i / 3) * 1000,
        promptTokens: i % 4 === 0 ? null : 100 * (i % 3),
        completionTokens: i % 4 === 0 ? null : 7,
        cost: i % 3 === 0 ? null : 0.01 * (i % 2),
        evalReady: i % 7 !== 3,
        evalStatus: i % 2 ? "golden" : "correct",
        messages: [
          { externalId: "m1", role: "user", content: `Please look at the ${words[i % words.length]} issue` },
          ...Array.from({ length: i % 3 }, (_, j) => ({ externalId: `x${j}`, role: "assistant", content: "done" })),
        ],
      }),
    );
    ids.push(s.id);
  }
});

/** The whole list as the web shows it, by the same query as its pages. */
async function listOf(f: ViewFilters): Promise<string[]> {
  const rows = await offsetIdsQuery(db(), WS, f, f.order!, 1000, 0);
  return rows.map((r) => r.id);
}

const filters: [string, ViewFilters][] = [
  ["search", { q: "login" }],
  ["two words", { q: "login redirect" }],
  ["search + status + ready", { q: "redirect", statuses: ["golden"], evalReady: true }],
  ["no search", { statuses: ["golden", "correct"] }],
  ["no match", { q: "zeppelin" }],
];

describe("the position of a session in its list", () => {
  for (const [name, base] of filters) {
    it(`is the list's own order, both ways alike: ${name}`, async () => {
      for (const key of SORT_KEYS) {
        for (const dir of ["asc", "desc"] as SortDir[]) {
          const f: ViewFilters = { ...base, order: { key, dir } };
          const list = await listOf(f);
          for (const id of ids) {
            const want = await queueBySeeks(db(), WS, f, id);
            expect(await queueFromMatches(db(), WS, f, id), `${key} ${dir} ${id}`).toEqual(want);
            expect(await queueAround(db(), WS, f, { id }), `${key} ${dir} ${id}`).toEqual(want);
            expect(want.total).toBe(list.length);
            expect(want.firstId).toBe(list[0] ?? null);
            const at = list.indexOf(id);
            if (at >= 0) {
              expect(want.index, `${key} ${dir}`).toBe(at + 1);
              expect(want.prevId).toBe(list[at - 1] ?? null);
              expect(want.nextId).toBe(list[at + 1] ?? null);
            }
          }
        }
      }
    });
  }

  it("of a session that left the list is where it would be, between the same neighbours", async () => {
    // ids[3] is not eval-ready: outside the Evals view, but its createdAt still places it.
    const f: ViewFilters = { evalReady: true, q: "please", order: { key: "created", dir: "asc" } };
    const list = await listOf(f);
    expect(list).not.toContain(ids[3]);
    const pos = await queueFromMatches(db(), WS, f, ids[3]!);
    expect(pos.index).toBe(list.indexOf(pos.nextId!) + 1);
    expect(list.indexOf(pos.prevId!)).toBe(pos.index - 2);
  });

  it("without a session, or in an empty list, is only the list's size and first", async () => {
    const f: ViewFilters = { q: "login", order: { key: "title", dir: "desc" } };
    const list = await listOf(f);
    expect(await firstOfQueue(db(), WS, f)).toEqual({ firstId: list[0], total: list.length });
    expect(await queueFromMatches(db(), WS, f, null)).toEqual({ prevId: null, nextId: null, index: 1, total: list.length, firstId: list[0] });
    expect(await firstOfQueue(db(), WS, { q: "zeppelin" })).toEqual({ firstId: null, total: 0 });
  });

  it("never counts another workspace's sessions", async () => {
    const other = await makeKey("queue-position-other");
    const s = await ingest(other, sessionBody({ title: "Task 1", createdAt: T0 + 500, messages: [{ externalId: "m", role: "user", content: "login" }] }));
    const f: ViewFilters = { q: "login", order: { key: "created", dir: "desc" } };
    const list = await listOf(f);
    expect(list).not.toContain(s.id);
    const mine = await queueFromMatches(db(), WS, f, list[1]!);
    expect(mine.total).toBe(list.length);
    // Asked about the other workspace's session, this workspace's list has no such session to place.
    const theirs = await queueFromMatches(db(), WS, f, s.id);
    expect(theirs).toMatchObject({ prevId: null, nextId: null, index: 1, total: list.length });
  });
});
