import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { evalSummary } from "../../evals/summary";
import { LIMITS } from "../../lib/limits";
import { sessionListPage } from "../../sessions/queries";
import { filtersFor, type EvalsView, type SessionsView, type ViewName } from "../filters";
import { pageHeaders, queryRecord, signedIn, text, type C } from "../guard";
import { viewOf } from "../selection";
import { EvalsPage, SessionsPage } from "../pages/lists";

async function listPage(c: C, view: ViewName) {
  const record = queryRecord(c);
  const v = viewOf(view, record);
  const cursorRaw = typeof record.cursor === "string" ? record.cursor : undefined;
  const page = await sessionListPage(c.var.db, c.var.web.workspace, filtersFor(view, v), LIMITS.listLimitDefault, cursorRaw);
  const common = {
    web: c.var.web,
    sessions: page.sessions,
    nextCursor: page.nextCursor,
    isFirstPage: !cursorRaw,
    notice: { code: text(record.done as string | undefined), count: text(record.n as string | undefined) },
  };
  if (view === "sessions") return c.html(<SessionsPage {...common} view={v as SessionsView} />);
  const summary = await evalSummary(c.var.db, c.var.web.workspace);
  return c.html(<EvalsPage {...common} view={v as EvalsView} summary={summary} />);
}

/** The Sessions and Evals lists (their bulk posts are in bulk.tsx). */
export const listRoutes = new Hono<AppEnv>();

listRoutes.get("/sessions", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "sessions"));
listRoutes.get("/evals", pageHeaders, signedIn("sessions:read"), (c) => listPage(c, "evals"));
