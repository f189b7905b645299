import { EVAL_STATUSES } from "../../db/schema";
import type { SessionSummary } from "../../sessions/schemas";
import type { EvalsView, SessionsView } from "../filters";
import { toQuery, viewParams } from "../filters";
import { STATUS_LABEL } from "../format";
import { Layout } from "../layout";
import type { WebSession } from "../session";
import { SummaryChart } from "./chart";
import { EvalsActions, SessionsActions } from "./list-actions";
import { FilterInputs, SessionTable } from "./session-table";

const NOTICES: Record<string, string> = {
  marked: "Marked as eval-ready.",
  unmarked: "Removed from the evals.",
  none: "Nothing was selected: tick some rows, or “every session in this filtered view”.",
};

function Notice({ code, count }: { code?: string; count?: string }) {
  const text = code ? NOTICES[code] : undefined;
  if (!text) return null;
  const n = count && /^\d+$/.test(count) ? `${count} session${count === "1" ? "" : "s"}: ` : "";
  return (
    <p class="notice" role="status">
      {n}
      {text}
    </p>
  );
}

function Pager({ base, next, first }: { base: [string, string][]; next: string | null; first: boolean }) {
  return (
    <nav class="pager" aria-label="Pages">
      {!first && <a href={toQuery(base) || "?"}>« First page</a>}
      {next && <a href={toQuery([...base, ["cursor", next]])}>Next page »</a>}
    </nav>
  );
}

interface ListProps {
  web: WebSession;
  sessions: SessionSummary[];
  nextCursor: string | null;
  isFirstPage: boolean;
  notice?: { code?: string; count?: string };
}

export function SessionsPage(props: ListProps & { view: SessionsView }) {
  const { web, view } = props;
  const params = viewParams("sessions", view);
  return (
    <Layout title="Sessions" web={web} current="sessions">
      <h1>Sessions</h1>
      <Notice {...(props.notice ?? {})} />
      {web.scopes.includes("sessions:write") && (
        <section class="import" data-import data-csrf={web.csrf} hidden aria-label="Import transcripts">
          <h2>Import transcripts</h2>
          <div class="drop" data-drop>
            <label>
              Pick or drop <code>.jsonl</code> / <code>.json</code> files <input type="file" multiple accept=".jsonl,.json,application/json" />
            </label>
          </div>
          <div class="actions">
            <label>
              Tool{" "}
              <select name="tool">
                <option value="">Detect from the file</option>
                <option value="claude-code">Claude Code</option>
                <option value="codex">Codex</option>
                <option value="opencode">OpenCode</option>
              </select>
            </label>
            <button type="button" class="primary" data-import-go>Import</button>
          </div>
          <ul data-import-results aria-live="polite"></ul>
        </section>
      )}
      <form class="filters" method="get" action="/sessions" role="search">
        <label>
          Title contains
          <input type="search" name="q" value={view.q ?? ""} />
        </label>
        <label>
          Source
          <input type="text" name="source" value={view.source ?? ""} placeholder="claude-code" />
        </label>
        <label>
          Model
          <input type="text" name="model" value={view.model ?? ""} />
        </label>
        <label>
          Eval-ready
          <select name="ready">
            <option value="" selected={!view.ready}>Any</option>
            <option value="true" selected={view.ready === "true"}>Eval-ready</option>
            <option value="false" selected={view.ready === "false"}>Not eval-ready</option>
          </select>
        </label>
        <button type="submit">Filter</button>
        <a href="/sessions">Clear</a>
      </form>
      <form method="post" action="/sessions/mark" data-selection>
        <input type="hidden" name="_csrf" value={web.csrf} />
        <FilterInputs params={params} />
        <SessionsActions web={web} />
        {props.sessions.length === 0 ? (
          <p class="muted">No sessions match. Push some with POST /api/sessions, or run npm run seed.</p>
        ) : (
          <SessionTable sessions={props.sessions} reviewQuery={toQuery([["view", "sessions"], ...params])} showLabels={false} />
        )}
      </form>
      <Pager base={params} next={props.nextCursor} first={props.isFirstPage} />
    </Layout>
  );
}

export function EvalsPage(props: ListProps & { view: EvalsView; summary: Parameters<typeof SummaryChart>[0]["summary"] }) {
  const { web, view } = props;
  const params = viewParams("evals", view);
  const statuses = new Set(view.status ?? []);
  return (
    <Layout title="Evals" web={web} current="evals">
      <h1>Evals</h1>
      <Notice {...(props.notice ?? {})} />
      <SummaryChart summary={props.summary} />
      <form class="filters" method="get" action="/evals" role="search">
        <fieldset class="inline">
          <legend>Status</legend>
          {EVAL_STATUSES.map((s) => (
            <label>
              <input type="checkbox" name="status" value={s} checked={statuses.has(s)} /> {STATUS_LABEL[s]}
            </label>
          ))}
        </fieldset>
        <label>
          Tags (all of, comma-separated)
          <input type="text" name="tag" value={(view.tag ?? []).join(", ")} />
        </label>
        <button type="submit">Filter</button>
        <a href="/evals">Clear</a>
      </form>
      <form method="post" action="/evals/mark" data-selection>
        <input type="hidden" name="_csrf" value={web.csrf} />
        <FilterInputs params={params} />
        <EvalsActions web={web} />
        {props.sessions.length === 0 ? (
          <p class="muted">No eval-ready sessions match. Mark some in the Sessions view.</p>
        ) : (
          <SessionTable sessions={props.sessions} reviewQuery={toQuery([["view", "evals"], ...params])} showLabels={true} />
        )}
      </form>
      <Pager base={params} next={props.nextCursor} first={props.isFirstPage} />
    </Layout>
  );
}
