import type { ExportFormat } from "../../export/encoders";
import { FORMAT_LABEL } from "./list-actions";
import { Layout } from "../layout";
import type { WebSession } from "../session";
import { Hidden, listHref } from "./confirm";

export interface ExportDialogProps {
  web: WebSession;
  back: [string, string][];
  format: ExportFormat;
  /** "42 sessions: 30 golden, 12 correct". */
  sentence: string;
  /** "the 3 ticked sessions", "every eval-ready session in this filtered view: Evals · golden". */
  target: string;
  /** Ticked sessions that are not eval-ready (or not in this workspace) and are left out. */
  leftOut: number;
  warning: string | null;
  /** The selection and format the Download button posts, besides the CSRF token and the masking choices. */
  fields: [string, string][];
}

/**
 * The export dialog: what will be exported, a warning for fine-tuning files with unsure answers, the masking
 * choices (secrets masked unless unticked), and a Download button posting the same selection to /export.
 */
export function ExportDialogPage(p: ExportDialogProps) {
  return (
    <Layout title="Export" web={p.web} current="evals">
      <h1>Export as {FORMAT_LABEL[p.format]}</h1>
      <p class="export-count" data-export-count>
        <strong>{p.sentence}</strong> ({p.target}).
      </p>
      {p.leftOut > 0 && (
        <p class="muted">
          {p.leftOut.toLocaleString("en-US")} ticked session{p.leftOut === 1 ? " is" : "s are"} not eval-ready (or not in this workspace) and left out.
        </p>
      )}
      {p.warning && (
        <p class="warning" role="alert" data-export-warning>
          {p.warning}
        </p>
      )}
      <form method="post" action="/export" class="export-dialog">
        <input type="hidden" name="_csrf" value={p.web.csrf} />
        <Hidden fields={p.fields} />
        <input type="hidden" name="masks" value="1" />
        <fieldset>
          <legend>Masking</legend>
          <label>
            <input type="checkbox" name="mask" value="secrets" checked /> Mask secrets (API keys, tokens, passwords, private keys)
          </label>
          <label>
            <input type="checkbox" name="mask" value="paths" /> also file paths
          </label>
          <label>
            <input type="checkbox" name="mask" value="emails" /> also e-mail addresses
          </label>
          <p class="hint">Masked values become placeholders in the file; what is stored does not change. With nothing ticked, the file holds every string as stored.</p>
        </fieldset>
        <div class="actions">
          <button class="primary" type="submit">Download</button>
          <a href={listHref({ view: "evals", back: p.back })}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}
