import { EVAL_STATUSES } from "../../db/schema";
import type { SessionSummary } from "../../sessions/schemas";
import type { AnyView, EvalsView, SessionsView, ViewName } from "../filters";
import { filterParams, isFiltered, PAGE_SIZES, pageHref, sortHref, stateParams, toQuery, viewHref, viewParams, viewStateOf } from "../filters";
import { formatInt, STATUS_LABEL } from "../format";
import { Layout } from "../layout";
import type { WebSession } from "../session";
import { SummaryChart, type Summary } from "./chart";
import type { LastActionSummary } from "../bulk-undo";
import { LIMITS } from "../../lib/limits";
import { SELECTION_MAX } from "../selection";
import { EvalsActions, SessionsActions, UndoNotice } from "./list-actions";
import { FilterInputs, SessionTable } from "./session-table";

const NOTICES: Record<string, string> = {
  marked: "Marked as eval-ready.",
  unmarked: "Removed from the evals.",
  labelled: "Labels changed.",
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

/** The workspace's values offered by the filter form (sources and models as choices, tags as suggestions). */
export interface Choices {
  sources: string[];
  models: string[];
  tags: string[];
}

/** A `<select>` of the workspace's values; a value in the address that is no longer stored stays selectable. */
function ChoiceSelect({ name, label, values, current }: { name: string; label: string; values: string[]; current?: string }) {
  const all = current && !values.includes(current) ? [current, ...values] : values;
  return (
    <label>
      {label}
      <select name={name}>
        <option value="" selected={!current}>
          Any
        </option>
        {all.map((v) => (
          <option value={v} selected={v === current}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The GET form of a view's filters; sort and page size ride along as hidden fields, the page starts again at 1. */
function FilterForm({ view, v, choices }: { view: ViewName; v: AnyView; choices: Choices }) {
  const statuses = new Set(v.status ?? []);
  const tags = v.tag ?? [];
  return (
    <form class="filters" method="get" action={`/${view}`} role="search">
      <label class="grow">
        Search titles and messages
        <input type="search" name="q" value={v.q ?? ""} placeholder={'words or "a phrase"'} />
      </label>
      <fieldset class="inline">
        <legend>Status (any of)</legend>
        {EVAL_STATUSES.map((s) => (
          <label>
            <input type="checkbox" name="status" value={s} checked={statuses.has(s)} /> {STATUS_LABEL[s]}
          </label>
        ))}
      </fieldset>
      <fieldset class="inline tags-filter">
        <legend>Tags (all of)</legend>
        {tags.map((t) => (
          <input type="text" name="tag" value={t} list="tag-choices" aria-label="Tag" />
        ))}
        <input type="text" name="tag" value="" list="tag-choices" aria-label={tags.length ? "Another tag" : "Tag"} placeholder="a tag" />
        <datalist id="tag-choices">
          {choices.tags.map((t) => (
            <option value={t} />
          ))}
        </datalist>
      </fieldset>
      <label>
        Reviewed
        <select name="reviewed">
          <option value="" selected={!v.reviewed}>Any</option>
          <option value="true" selected={v.reviewed === "true"}>Reviewed</option>
          <option value="false" selected={v.reviewed === "false"}>Not yet reviewed</option>
        </select>
      </label>
      <ChoiceSelect name="source" label="Source" values={choices.sources} current={v.source} />
      <ChoiceSelect name="model" label="Model" values={choices.models} current={v.model} />
      {view === "sessions" && (
        <label>
          Eval-ready
          <select name="ready">
            <option value="" selected={!(v as SessionsView).ready}>Any</option>
            <option value="true" selected={(v as SessionsView).ready === "true"}>Eval-ready</option>
            <option value="false" selected={(v as SessionsView).ready === "false"}>Not eval-ready</option>
          </select>
        </label>
      )}
      {stateParams(v, false).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit">Filter</button>
      <a href={`/${view}`}>Clear</a>
    </form>
  );
}

/** "57 sessions match", following the filter. */
function MatchCount({ total, view }: { total: number; view: ViewName }) {
  const what = view === "evals" ? "eval-ready session" : "session";
  return (
    <p class="match-count" role="status" data-total={total}>
      {formatInt(total)} {what}
      {total === 1 ? " matches" : "s match"}
    </p>
  );
}

export interface PageInfo {
  total: number;
  page: number;
  pages: number;
  size: number;
}

/** Previous / next, "Page 2 of 7", and the page size (a GET form: works without the script). */
function Pager({ view, v, info }: { view: ViewName; v: AnyView; info: PageInfo }) {
  const keep = [...filterParams(view, v), ...stateParams({ ...v, size: undefined }, false)];
  return (
    <nav class="pager" aria-label="Pages">
      {info.page > 1 ? (
        <a href={pageHref(view, v, info.page - 1)} rel="prev">
          « Previous page
        </a>
      ) : (
        <span class="muted" aria-hidden="true">« Previous page</span>
      )}
      <span aria-current="page">
        Page {formatInt(info.page)} of {formatInt(info.pages)}
      </span>
      {info.page < info.pages ? (
        <a href={pageHref(view, v, info.page + 1)} rel="next">
          Next page »
        </a>
      ) : (
        <span class="muted" aria-hidden="true">Next page »</span>
      )}
      <form method="get" action={`/${view}`} class="page-size" data-page-size>
        {keep.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <label>
          Per page{" "}
          <select name="size">
            {PAGE_SIZES.map((n) => (
              <option value={String(n)} selected={n === info.size}>
                {n}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" data-page-size-go>Show</button>
      </form>
    </nav>
  );
}

interface ListProps {
  web: WebSession;
  sessions: SessionSummary[];
  info: PageInfo;
  choices: Choices;
  notice?: { code?: string; count?: string };
  /** The signed-in reviewer's last bulk action, offered for undo. */
  lastAction?: LastActionSummary | null;
}

/**
 * The selection form around the table. `data-ticks-key` names the view and its filters (not page, sort or size), so
 * the script keeps ticks across pages of the same filtered view; `data-clear-ticks` after an action's notice.
 * `data-ticks-max` (the bulk actions) and `data-ticks-export-max` (Export, Save as dataset) are the most ticked
 * sessions the server takes, for the selection line to say so.
 */
function SelectionForm(p: { view: ViewName; v: AnyView; web: WebSession; notice?: ListProps["notice"]; children: unknown }) {
  const ticksKey = `${p.web.workspace}|${p.view}${toQuery(filterParams(p.view, p.v))}`;
  return (
    <form
      method="post"
      action={`/${p.view}/mark`}
      data-selection
      data-ticks-key={ticksKey}
      data-clear-ticks={p.notice?.code ? "1" : undefined}
      data-ticks-max={String(SELECTION_MAX)}
      data-ticks-export-max={p.view === "evals" ? String(LIMITS.exportIdsMax) : undefined}
    >
      <input type="hidden" name="_csrf" value={p.web.csrf} />
      <FilterInputs params={viewParams(p.view, p.v)} />
      {p.children}
    </form>
  );
}

/** The last bulk action's notice and Undo (its own form, before the selection form). */
function Undo({ view, v, web, last }: { view: ViewName; v: AnyView; web: WebSession; last?: LastActionSummary | null }) {
  if (!last) return null;
  return <UndoNotice view={view} last={last} canWrite={web.scopes.includes("evals:write")} csrf={web.csrf} filters={viewParams(view, v)} />;
}

function Table({ view, v, sessions }: { view: ViewName; v: AnyView; sessions: SessionSummary[] }) {
  return (
    <SessionTable
      sessions={sessions}
      reviewQuery={toQuery([["view", view], ...viewParams(view, v)])}
      showLabels={view === "evals"}
      order={viewStateOf(v).order}
      sortHref={(key) => sortHref(view, v, key)}
      tagHref={(tag) => viewHref(view, v, { tag: [...new Set([...(v.tag ?? []), tag])] })}
    />
  );
}

export function SessionsPage(props: ListProps & { view: SessionsView }) {
  const { web, view } = props;
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
      <FilterForm view="sessions" v={view} choices={props.choices} />
      <MatchCount total={props.info.total} view="sessions" />
      <Undo view="sessions" v={view} web={web} last={props.lastAction} />
      <SelectionForm view="sessions" v={view} web={web} notice={props.notice}>
        <SessionsActions web={web} />
        {props.sessions.length === 0 ? (
          <p class="muted">No sessions match. Push some with POST /api/sessions, or run npm run seed.</p>
        ) : (
          <Table view="sessions" v={view} sessions={props.sessions} />
        )}
      </SelectionForm>
      <Pager view="sessions" v={view} info={props.info} />
    </Layout>
  );
}

export function EvalsPage(props: ListProps & { view: EvalsView; summary: Summary }) {
  const { web, view } = props;
  return (
    <Layout title="Evals" web={web} current="evals">
      <h1>Evals</h1>
      <Notice {...(props.notice ?? {})} />
      <SummaryChart
        summary={props.summary}
        filtered={isFiltered("evals", { ...view, status: undefined })}
        activeStatuses={view.status ?? []}
        activeTags={view.tag ?? []}
        statusHref={(s) => viewHref("evals", view, { status: [s as (typeof EVAL_STATUSES)[number]] })}
        tagHref={(t) => viewHref("evals", view, { tag: [...new Set([...(view.tag ?? []), t])] })}
      />
      <FilterForm view="evals" v={view} choices={props.choices} />
      <MatchCount total={props.info.total} view="evals" />
      <Undo view="evals" v={view} web={web} last={props.lastAction} />
      <SelectionForm view="evals" v={view} web={web} notice={props.notice}>
        <EvalsActions web={web} />
        {props.sessions.length === 0 ? (
          <p class="muted">No eval-ready sessions match. Mark some in the Sessions view.</p>
        ) : (
          <Table view="evals" v={view} sessions={props.sessions} />
        )}
      </SelectionForm>
      <Pager view="evals" v={view} info={props.info} />
    </Layout>
  );
}
