import { EVAL_STATUSES } from "../../db/schema";
import { FieldError } from "./field-error";
import type { SessionOut } from "../../sessions/schemas";
import { LIMITS } from "../../lib/limits";
import { KEY_HINTS } from "../client/keyboard";
import { formatCost, formatDate, formatInt, STATUS_LABEL } from "../format";
import type { FieldErrors, LabelFormValues } from "../label-form";
import { Layout } from "../layout";
import type { WebSession } from "../session";
import { Conversation } from "./conversation";

/** A session linked from this one: its parent (a subagent's) or its children. */
export interface Relative {
  id: string;
  title: string;
}

export interface ReviewProps {
  web: WebSession;
  session: SessionOut;
  /** The version the form edits: the page's own, or the one a failed save started from. */
  etag: string;
  navQuery: string;
  backHref: string;
  prevHref: string | null;
  /** The next session, or the "queue done" page after the last one. */
  nextHref: string;
  position: { index: number; total: number; label: string };
  values: LabelFormValues;
  errors?: FieldErrors;
  saved?: boolean;
  /** Someone else changed the session since the reviewer opened it: who, when, and what differs. */
  conflict?: { by: string; when: string; differences: string[] };
  family: { parent: Relative | null; parentExternalId: string | null; children: Relative[] };
  tagSuggestions: string[];
  /** The ids whose drafts the browser may drop: they were just saved. */
  savedIds?: string[];
  /** Their ETags now, in the same order: a draft typed on that version came after the save and is kept. */
  savedEtags?: string[];
}

function Family({ f, navQuery }: { f: ReviewProps["family"]; navQuery: string }) {
  if (!f.parentExternalId && f.children.length === 0) return null;
  const href = (id: string) => `/review/${encodeURIComponent(id)}${navQuery}`;
  return (
    <nav class="family" aria-label="Related sessions">
      {f.parentExternalId &&
        (f.parent ? (
          <p>
            Subagent of <a href={href(f.parent.id)} rel="up">{f.parent.title}</a>
          </p>
        ) : (
          <p class="muted">Subagent of {f.parentExternalId} (not in this workspace yet)</p>
        ))}
      {f.children.length > 0 && (
        <p>
          Subagents:{" "}
          {f.children.map((ch, i) => (
            <>
              {i > 0 && ", "}
              <a href={href(ch.id)}>{ch.title}</a>
            </>
          ))}
        </p>
      )}
    </nav>
  );
}

/** The label panel: status, eval-ready, tags (one field each, so a comma is just a character), notes, expected output. */
function LabelPanel(p: ReviewProps) {
  const s = p.session;
  const v = p.values;
  const e = p.errors ?? {};
  const canWrite = p.web.scopes.includes("evals:write");
  const errorCount = Object.keys(e).length;
  // After a failed save the caret goes to the first field to fix (autofocus: no script needed), so a keyboard
  // reviewer types the fix straight away; the over-long tag's own field, else the field of the first error.
  const tagTooLong = (t: string) => e.evalTags !== undefined && t.trim().length > LIMITS.tagLength;
  const firstBadTag = v.evalTags.filter((t) => t.trim() !== "").findIndex(tagTooLong);
  const focusOn = firstBadTag !== -1 ? "tag" : e.evalTags ? "tag-new" : e.evalNotes ? "notes" : e.expectedOutput ? "expected" : null;
  return (
    <form
      class="label-form"
      method="post"
      action={`/review/${encodeURIComponent(s.id)}${p.navQuery}`}
      data-workspace={p.web.workspace}
      data-session={s.id}
      data-etag={p.etag}
      data-saved-ids={(p.savedIds ?? []).join(" ")}
      data-saved-etags={(p.savedEtags ?? []).join(" ")}
      data-unsaved={p.errors && Object.keys(p.errors).length > 0 ? "1" : undefined}
      novalidate
    >
      <input type="hidden" name="_csrf" value={p.web.csrf} />
      <input type="hidden" name="etag" value={p.etag} />
      {errorCount > 0 && (
        <p class="error" role="alert" id="form-errors">
          Not saved: {errorCount === 1 ? "one field needs" : `${errorCount} fields need`} a change (see below). Everything you typed is still here.
        </p>
      )}
      <div class="draft-banner" id="draft-banner" hidden role="status">
        <p>
          You have unsaved changes to this session from <span data-draft-time>earlier</span>.
        </p>
        <button type="button" data-draft="restore" class="primary">Restore them</button> <button type="button" data-draft="discard">Discard</button>
      </div>
      {!canWrite && <p class="notice">This key can only read: labelling needs a key with the evals:write scope.</p>}
      <fieldset disabled={!canWrite} class="label-fields">
        <fieldset class="status" aria-describedby={e.evalStatus ? "err-evalStatus" : undefined}>
          <legend>Status</legend>
          {EVAL_STATUSES.map((st, i) => (
            <label class={`status-choice ${st}`}>
              <input type="radio" name="evalStatus" value={st} checked={v.evalStatus === st} /> {STATUS_LABEL[st]} <kbd>{i + 1}</kbd>
            </label>
          ))}
          <FieldError id="err-evalStatus" text={e.evalStatus} />
        </fieldset>
        <label class="inline">
          <input type="checkbox" name="evalReady" value="true" checked={v.evalReady} /> Eval-ready (included in exports) <kbd>r</kbd>
        </label>
        <div class="field">
          <label for="tag-new">
            Tags <kbd>t</kbd>
          </label>
          <div class="tags-edit" data-tags>
            {/* Blank fields of a failed save are not shown again: the one empty field below is where a tag is added. */}
            {v.evalTags.filter((t) => t.trim() !== "").map((t, i) => {
              // After a failed save, the field holding the over-long tag points at the error beside it.
              const bad = tagTooLong(t);
              return (
                <input
                  type="text"
                  name="evalTags"
                  value={t}
                  aria-label={`Tag ${i + 1}`}
                  list="tag-suggestions"
                  maxlength={200}
                  aria-invalid={bad ? "true" : undefined}
                  aria-describedby={bad ? "err-evalTags" : undefined}
                  autofocus={focusOn === "tag" && i === firstBadTag}
                />
              );
            })}
            <input type="text" name="evalTags" value="" id="tag-new" placeholder="add a tag" aria-label="New tag" list="tag-suggestions" aria-describedby={e.evalTags ? "err-evalTags" : undefined} autofocus={focusOn === "tag-new"} />
          </div>
          <datalist id="tag-suggestions">
            {p.tagSuggestions.map((t) => (
              <option value={t} />
            ))}
          </datalist>
          <p class="hint">One tag per field; clear a field to remove its tag.</p>
          <FieldError id="err-evalTags" text={e.evalTags} />
        </div>
        <div class="field">
          <label for="evalNotes">
            Notes <kbd>n</kbd>
          </label>
          {/* A browser drops one newline right after <textarea>: one is added so a leading newline survives. */}
          <textarea name="evalNotes" id="evalNotes" rows={3} aria-describedby={e.evalNotes ? "err-evalNotes" : undefined} aria-invalid={e.evalNotes ? "true" : undefined} autofocus={focusOn === "notes"}>{`\n${v.evalNotes}`}</textarea>
          <FieldError id="err-evalNotes" text={e.evalNotes} />
        </div>
        <div class="field">
          <label for="expectedOutput">
            Expected output <kbd>e</kbd> <span class="hint">ground truth for the last turn</span>
          </label>
          <textarea name="expectedOutput" id="expectedOutput" rows={8} aria-describedby={e.expectedOutput ? "err-expectedOutput" : undefined} aria-invalid={e.expectedOutput ? "true" : undefined} autofocus={focusOn === "expected"}>{`\n${v.expectedOutput}`}</textarea>
          <FieldError id="err-expectedOutput" text={e.expectedOutput} />
        </div>
        <div class="actions">
          <button class="primary" type="submit" name="then" value="stay" title="Ctrl/⌘ + Enter">
            Save
          </button>
          <button type="submit" name="then" value="next" title="Shift + Enter">
            Save and next
          </button>
        </div>
        <p class="hint save-keys">
          <kbd>Ctrl/⌘ + Enter</kbd> saves, <kbd>Shift + Enter</kbd> saves and opens the next
        </p>
      </fieldset>
      {!canWrite && <p class="muted">Save is off: this key lacks the evals:write scope.</p>}
      <p class="muted reviewed">
        {s.reviewedAt === null ? "Not reviewed yet" : `Last reviewed ${formatDate(s.reviewedAt)}${s.reviewedBy ? ` by ${s.reviewedBy}` : ""}`}
      </p>
    </form>
  );
}

export function ReviewPage(p: ReviewProps) {
  const s = p.session;
  return (
    <Layout title={s.title || s.externalId} web={p.web} wide>
      <div class="workbench">
        <div class="conv-col">
          <p class="crumbs">
            <a href={p.backHref} data-back>← Back to the list</a>
          </p>
          <h1>{s.title || s.externalId}</h1>
          <p class="muted meta">
            {s.source ?? "unknown source"} · {s.model ?? "unknown model"} · {formatInt(s.messageCount)} messages · {formatInt(s.totalTokens)} tokens ·{" "}
            {formatCost(s.cost)} · {formatDate(s.createdAt)}
            {s.gitBranch ? ` · branch ${s.gitBranch}` : ""}
            {s.gitCommit ? ` · ${s.gitCommit.slice(0, 10)}` : ""}
            {s.projectName ? ` · ${s.projectName}` : ""}
          </p>
          <Family f={p.family} navQuery={p.navQuery} />
          <Conversation messages={s.messages} />
        </div>
        <aside class="panel" aria-label="Label this session">
          <p class="position" aria-live="polite">
            <strong>
              {formatInt(p.position.index)} of {formatInt(p.position.total)}
            </strong>{" "}
            in {p.position.label}
          </p>
          <nav class="review-nav" aria-label="Queue">
            {p.prevHref ? (
              <a href={p.prevHref} rel="prev">
                ← Previous <kbd>k</kbd>
              </a>
            ) : (
              <span class="muted">First in the list</span>
            )}
            <a href={p.nextHref} rel="next">
              Next <kbd>j</kbd> →
            </a>
          </nav>
          {p.saved && (
            <p class="notice" role="status">
              Saved.
            </p>
          )}
          {p.conflict && (
            <div class="error" role="alert" id="conflict">
              <strong>
                Changed by {p.conflict.by} {p.conflict.when} while you were reviewing.
              </strong>{" "}
              Their version is in the form now; yours was not saved and is kept below (Restore them).
              {p.conflict.differences.length > 0 && (
                <ul>
                  {p.conflict.differences.map((d) => (
                    <li>{d}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <LabelPanel {...p} />
          <p class="key-hint muted">
            Press <kbd>?</kbd> for keyboard shortcuts.
          </p>
        </aside>
      </div>
      <div class="help" id="help" hidden role="dialog" aria-modal="true" aria-labelledby="help-title">
        <div class="help-box">
          <h2 id="help-title">Keyboard shortcuts</h2>
          <dl>
            {KEY_HINTS.map((h) => (
              <>
                <dt>
                  <kbd>{h.keys}</kbd>
                </dt>
                <dd>{h.does}</dd>
              </>
            ))}
          </dl>
          <p class="muted">Plain keys do nothing while you type in a field; Esc leaves the field.</p>
          <button type="button" data-help-close>
            Close
          </button>
        </div>
      </div>
    </Layout>
  );
}

/** After the last session of a queue: says so, instead of silently staying put. */
export function QueueDonePage(p: { web: WebSession; label: string; total: number; backHref: string; firstHref: string | null; savedId?: string; savedEtag?: string }) {
  const { web, label, total, backHref, firstHref } = p;
  return (
    <Layout title="Queue done" web={web}>
      <section class="done" data-workspace={web.workspace} data-saved-ids={p.savedId ?? ""} data-saved-etags={p.savedEtag ?? ""}>
        {p.savedId && (
          <p class="notice" role="status">
            Saved.
          </p>
        )}
        <h1>Queue done</h1>
        <p>
          You reached the end of {formatInt(total)} session{total === 1 ? "" : "s"} in {label}.
        </p>
        <p class="actions">
          <a class="button primary" href={backHref}>
            Back to the list
          </a>
          {firstHref && (
            <a class="button" href={firstHref}>
              Start again from the first
            </a>
          )}
        </p>
      </section>
    </Layout>
  );
}
