import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { evalSummary, listTotalOf } from "../../evals/summary";
import { listChoices, sessionOffsetPage, sessionOffsetPageCounted } from "../../sessions/queries";
import { filtersFor, viewStateOf, type EvalsView, type SessionsView, type ViewName } from "../filters";
import { pageHeaders, queryRecord, signedIn, text, type C } from "../guard";
import { lastBulkAction } from "../bulk-undo";
import { viewOf } from "../selection";
import { EvalsPage, SessionsPage } from "../pages/lists";

async function listPage(c: C, view: ViewName) {
  const record = queryRecord(c);
  const v = viewOf(view, record);
  const f = filtersFor(view, v);
  const { order, page, size } = viewStateOf(v);
  const db = c.var.db;
  const ws = c.var.web.workspace;
  // The Evals chart counts the list's sessions already (its status bars), so its total is not counted again.
  const summarized = view === "evals" ? evalSummary(db, ws, f) : null;
  const [listed, choices, summary, lastAction] = await Promise.all([
    summarized
      ? sessionOffsetPageCounted(db, ws, f, order, size, page, summarized.then((s) => listTotalOf(s, f)))
      : sessionOffsetPage(db, ws, f, order, size, page),
    listChoices(db, ws),
    summarized,
    lastBulkAction(c),
  ]);
  // The page actually shown (a page past the last shows the last one), so links are built from it.
  const shown = { ...v, page: listed.page };
  const common = {
    web: c.var.web,
    sessions: listed.sessions,
    info: { total: listed.total, page: listed.page, pages: listed.pages, size: listed.size },
    choices,
    notice: { code: text(record.done as string | undefined), count: text(record.n as string | undefined) },
    lastAction,
  };
  if (view === "sessions") return c.html(<SessionsPage {...common} view={shown as SessionsView} />);
  return c.html(<EvalsPage {...common} view={shown as EvalsView} summary={summary!} />);
}

/** The Sessions and Evals lists (their bulk posts are in bulk.tsx). */
export const listRoutes = new Hono<AppEnv>();

listRoutes.get("/sessions", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "sessions"));
listRoutes.get("/evals", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "evals"));
