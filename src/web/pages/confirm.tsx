import type { ViewName } from "../filters";
import { toQuery } from "../filters";
import { Layout } from "../layout";
import type { WebSession } from "../session";

/**
 * The bulk actions' own pages: the confirmation before a change, the plain notices (nothing selected, nothing to
 * undo), and the result of an undo. Every one links back to the list view it came from.
 */

export interface BackTo {
  view: ViewName;
  back: [string, string][];
}

export const listHref = ({ view, back }: BackTo) => `/${view}${toQuery(back)}`;

const current = (view: ViewName) => (view === "evals" ? "evals" : "sessions");

/** Hidden inputs for a list of name/value pairs. */
export function Hidden({ fields }: { fields: [string, string][] }) {
  return (
    <>
      {fields.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

export interface BulkConfirmProps extends BackTo {
  web: WebSession;
  description: string;
  /** "the 3 ticked sessions", "every session in this filtered view (Evals · golden)". */
  target: string;
  found: number;
  willChange: number;
  /** Ticked ids that are not sessions of this workspace (any more). */
  missing: number;
  /** Everything the Confirm button posts besides the CSRF token. */
  fields: [string, string][];
}

export function BulkConfirmPage(p: BulkConfirmProps) {
  const same = p.found - p.willChange;
  return (
    <Layout title="Confirm" web={p.web} current={current(p.view)}>
      <h1>Confirm: {p.description}</h1>
      <p class="confirm-line" data-confirm-count={String(p.found)}>
        {p.description} on <strong>{p.found.toLocaleString("en-US")} session{p.found === 1 ? "" : "s"}</strong> ({p.target}).
      </p>
      <p class="muted">
        {p.willChange.toLocaleString("en-US")} will change
        {same > 0 ? `; ${same.toLocaleString("en-US")} already ${same === 1 ? "is" : "are"} that way and stay as they are` : ""}.
        {p.missing > 0 ? ` ${p.missing.toLocaleString("en-US")} ticked ${p.missing === 1 ? "session is" : "sessions are"} not in this workspace and left out.` : ""}
      </p>
      <p class="muted">You can undo this right after, from the list (for an hour, once).</p>
      <form method="post" action={`/${p.view}/bulk/apply`} class="actions">
        <input type="hidden" name="_csrf" value={p.web.csrf} />
        <Hidden fields={p.fields} />
        <button class="primary" type="submit">Confirm</button>
        <a href={listHref(p)}>Cancel</a>
      </form>
    </Layout>
  );
}

/** A page that only tells something about a bulk action or export (nothing selected, nothing to undo…). */
export function NoticePage(p: BackTo & { web: WebSession; title: string; message: string }) {
  return (
    <Layout title={p.title} web={p.web} current={current(p.view)}>
      <h1>{p.title}</h1>
      <p class="notice" role="status">{p.message}</p>
      <p>
        <a href={listHref(p)}>Back to the list</a>
      </p>
    </Layout>
  );
}

export function UndoDonePage(p: BackTo & { web: WebSession; description: string; restored: number; kept: number }) {
  return (
    <Layout title="Undone" web={p.web} current={current(p.view)}>
      <h1>Undone: {p.description}</h1>
      <p class="notice" role="status" data-undo-restored={String(p.restored)} data-undo-kept={String(p.kept)}>
        {p.restored.toLocaleString("en-US")} session{p.restored === 1 ? " is" : "s are"} back as {p.restored === 1 ? "it was" : "they were"} before.
        {p.kept > 0 ? ` ${p.kept.toLocaleString("en-US")} ${p.kept === 1 ? "was" : "were"} changed since (or deleted) and kept as ${p.kept === 1 ? "it is" : "they are"}.` : ""}
      </p>
      <p>
        <a href={listHref(p)}>Back to the list</a>
      </p>
    </Layout>
  );
}
