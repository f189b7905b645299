import { EVAL_STATUSES } from "../../db/schema";
import { EXPORT_FORMATS } from "../../export/encoders";
import type { LastActionSummary } from "../bulk-undo";
import type { ViewName } from "../filters";
import { STATUS_LABEL } from "../format";
import type { WebSession } from "../session";
import { FilterInputs } from "./session-table";

/**
 * The action bars of the Sessions and Evals lists. They sit inside the list's selection form (which carries the
 * CSRF token, the view's filters as f_* fields and the ticked rows' ids), so every button acts on the ticked rows,
 * or on the whole filtered view when "Every session in this filtered view" is ticked. Each bulk button first asks
 * for a confirmation (POST /<view>/bulk), Export first shows its dialog (POST /export/confirm). A key without the
 * scope sees the buttons disabled with the reason; the handlers refuse anyway.
 */

export interface ActionsProps {
  web: WebSession;
}

export const FORMAT_LABEL: Record<(typeof EXPORT_FORMATS)[number], string> = {
  deepeval: "DeepEval (JSON)",
  "deepeval-jsonl": "DeepEval (JSONL)",
  openai: "OpenAI chat fine-tuning (JSONL)",
  text: "Text",
  "deepeval-conversational": "DeepEval conversational (JSON)",
  promptfoo: "promptfoo (JSONL)",
};

function ago(ms: number, now = Date.now()): string {
  const m = Math.round(Math.max(0, now - ms) / 60_000);
  return m < 1 ? "just now" : `${m} minute${m === 1 ? "" : "s"} ago`;
}

/**
 * The done notice of the last bulk action with its Undo button. It is a form of its own (CSRF token, the view's
 * filters), outside the selection form: inside it the Undo would be that form's first submit button, so Enter in
 * the bulk Tag field (meant as "Add tag") would undo the last action instead.
 */
export function UndoNotice({ view, last, canWrite, csrf, filters }: { view: ViewName; last: LastActionSummary; canWrite: boolean; csrf: string; filters: [string, string][] }) {
  return (
    <form method="post" action={`/${view}/undo`} class="undo-form">
      <input type="hidden" name="_csrf" value={csrf} />
      <FilterInputs params={filters} />
      <p class="notice undo" role="status" data-last-action>
        Last bulk action ({ago(last.at)}): {last.description} on {last.found.toLocaleString("en-US")} session{last.found === 1 ? "" : "s"}
        {last.changed !== last.found ? ` (${last.changed.toLocaleString("en-US")} changed)` : ""}.{" "}
        <button type="submit" formaction={`/${view}/undo`} name="undo" value={last.id} disabled={!canWrite}>
          Undo
        </button>
      </p>
    </form>
  );
}

/** Set status, add/remove a tag, mark/unmark: each to its confirmation page. The tag input comes first, so Enter in it means "Add tag". */
function BulkBar({ view, web }: { view: ViewName; web: WebSession }) {
  const canWrite = web.scopes.includes("evals:write");
  const off = !canWrite;
  const to = `/${view}/bulk`;
  const why = off ? `bulk-why-${view}` : undefined;
  return (
    <>
      <div class="actions bulk" role="group" aria-label="Bulk actions">
        <label>
          Tag <input type="text" name="bulk_tag" maxlength={64} size={12} disabled={off} />
        </label>
        <button type="submit" formaction={to} name="op" value="addTag" disabled={off} aria-describedby={why}>
          Add tag
        </button>
        <button type="submit" formaction={to} name="op" value="removeTag" disabled={off} aria-describedby={why}>
          Remove tag
        </button>
        <label>
          Status{" "}
          <select name="bulk_status" disabled={off}>
            {EVAL_STATUSES.map((s) => (
              <option value={s}>{STATUS_LABEL[s]}</option>
            ))}
          </select>
        </label>
        <button type="submit" formaction={to} name="op" value="status" disabled={off} aria-describedby={why}>
          Apply
        </button>
        {view === "sessions" && (
          <button class="primary" type="submit" formaction={to} name="op" value="ready" disabled={off} aria-describedby={why}>
            Mark as Eval Ready
          </button>
        )}
        <button type="submit" formaction={to} name="op" value="unready" disabled={off} aria-describedby={why}>
          Unmark
        </button>
      </div>
      {off && (
        <p class="muted why" id={why}>
          Bulk actions are off: this API key lacks the evals:write scope, which is needed to mark and label sessions.
        </p>
      )}
    </>
  );
}

/**
 * "Every session in this filtered view", and the selection line the script fills in: "7 selected (4 on other
 * pages)" with a Clear selection button (hidden without the script, where ticks are per page).
 */
function SelectAll() {
  return (
    <div class="actions select-all">
      <label>
        <input type="checkbox" name="all" value="1" /> Every session in this filtered view
      </label>
      <span class="selection-line" data-selection-line>
        <span class="muted" data-selection-count aria-live="polite"></span>{" "}
        <button type="button" class="link-button" data-ticks-clear hidden>
          Clear selection
        </button>
      </span>
    </div>
  );
}

export function SessionsActions({ web }: ActionsProps) {
  return (
    <>
      <BulkBar view="sessions" web={web} />
      <SelectAll />
    </>
  );
}

export function EvalsActions({ web }: ActionsProps) {
  const canExport = web.scopes.includes("export:read");
  const why = canExport ? undefined : "export-why";
  return (
    <>
      <BulkBar view="evals" web={web} />
      <div class="actions export">
        <label>
          Export as{" "}
          <select name="format" disabled={!canExport}>
            {EXPORT_FORMATS.map((f) => (
              <option value={f}>{FORMAT_LABEL[f]}</option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit" formaction="/export/confirm" disabled={!canExport} aria-describedby={why}>
          Export
        </button>
        {canExport && (
          <button type="submit" formaction="/datasets/new">
            Save as dataset
          </button>
        )}
      </div>
      {!canExport && (
        <p class="muted why" id={why}>
          Export is off: this API key lacks the export:read scope, which is needed to export datasets.
        </p>
      )}
      <SelectAll />
      <p class="muted">Every button acts on the ticked sessions, or on the whole filtered view when “Every session in this filtered view” is ticked; each asks you to confirm first.</p>
    </>
  );
}
