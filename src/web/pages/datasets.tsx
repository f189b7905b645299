import type { DatasetRow } from "../../db/schema";
import { FieldError } from "./field-error";
import { EXPORT_FORMATS } from "../../export/encoders";
import { SPLIT_DEFAULTS } from "../../export/split";
import {
  DATASET_LIMITS,
  filtersInWords,
  FORMAT_LABEL,
  splitInWords,
  type DatasetFieldErrors,
  type DatasetFormValues,
  type DatasetSelection,
  type SelectionSource,
} from "../dataset-form";
import { toQuery } from "../filters";
import { formatDate, formatInt } from "../format";
import { Layout } from "../layout";
import type { WebSession } from "../session";

const plural = (n: number, one: string) => `${formatInt(n)} ${one}${n === 1 ? "" : "s"}`;

const NO_EXPORT_SCOPE =
  "This API key lacks the export:read scope, which is needed to save, export or delete datasets. Sign in with a key that has it.";

export interface SaveDatasetProps {
  web: WebSession;
  values: DatasetFormValues;
  errors?: DatasetFieldErrors;
  /** Why nothing was saved when it is no one field's fault. */
  problem?: string;
  by: SelectionSource;
  selection: DatasetSelection;
  /** Sessions the freeze would take now (before a split keeps one side). */
  count: number;
  /** The filtered view held more sessions than the resolved ids may: how many it held. */
  cappedFrom?: number;
  /** The Evals view's filters as query pairs, for the way back. */
  back: [string, string][];
}

function SelectionLine({ by, count, cappedFrom }: Pick<SaveDatasetProps, "by" | "count" | "cappedFrom">) {
  const what = by === "ticked" ? "of the ticked sessions" : "of this filtered view";
  return (
    <>
      <p data-freeze-count={count}>
        <strong>{plural(count, "session")}</strong> {what} will be frozen: their messages and labels as they are now.
        {by === "ticked" && " Ticked sessions that are no longer eval-ready are left out."}
      </p>
      {cappedFrom !== undefined && (
        <p class="error" role="alert">
          This view holds {plural(cappedFrom, "session")}, and a dataset made from a search or a source, model or reviewed filter keeps at most{" "}
          {formatInt(DATASET_LIMITS.ids)}: only the {formatInt(DATASET_LIMITS.ids)} newest are saved. Filter by status and tags only to save any
          number.
        </p>
      )}
    </>
  );
}

/** "Save as dataset": the name, description and split of a dataset frozen from the Evals view's selection. */
export function SaveDatasetPage(props: SaveDatasetProps) {
  const { web, values: v, selection } = props;
  const e = props.errors ?? {};
  const described = (f: keyof DatasetFieldErrors) => (e[f] ? `err-${f}` : undefined);
  return (
    <Layout title="Save as dataset" web={web} current="datasets">
      <h1>Save as dataset</h1>
      {(props.problem || Object.keys(e).length > 0) && (
        <p class="error" role="alert">
          {props.problem ?? "Nothing was saved yet: fix what is marked below."}
        </p>
      )}
      <SelectionLine by={props.by} count={props.count} cappedFrom={props.cappedFrom} />
      <form method="post" action="/datasets" class="dataset-form">
        <input type="hidden" name="_csrf" value={web.csrf} />
        <input type="hidden" name="by" value={props.by} />
        {(selection.status ?? []).map((s) => (
          <input type="hidden" name="status" value={s} />
        ))}
        {(selection.tag ?? []).map((t) => (
          <input type="hidden" name="tag" value={t} />
        ))}
        {(selection.id ?? []).map((id) => (
          <input type="hidden" name="id" value={id} />
        ))}
        {props.cappedFrom !== undefined && <input type="hidden" name="cappedFrom" value={String(props.cappedFrom)} />}
        {props.back.map(([k, val]) => (
          <input type="hidden" name={`f_${k}`} value={val} />
        ))}
        <div class="field">
          <label for="ds-name">Name</label>
          <input type="text" id="ds-name" name="name" value={v.name} required maxlength={DATASET_LIMITS.name} aria-invalid={e.name ? "true" : undefined} aria-describedby={described("name")} />
          <FieldError id="err-name" text={e.name} />
        </div>
        <div class="field">
          <label for="ds-description">
            Description <span class="muted">(optional)</span>
          </label>
          <textarea id="ds-description" name="description" rows={3} aria-invalid={e.description ? "true" : undefined} aria-describedby={described("description")}>{`\n${v.description}`}</textarea>
          <FieldError id="err-description" text={e.description} />
        </div>
        <fieldset class="split">
          <legend>Split (optional)</legend>
          <p class="muted">
            A split keeps only one side of a stable train/test division: a session is always on the same side for the same share and seed.
          </p>
          <div class="field">
            <label for="ds-split">Keep</label>
            <select id="ds-split" name="split" aria-invalid={e.split ? "true" : undefined} aria-describedby={described("split")}>
              <option value="" selected={v.split === ""}>Every session (no split)</option>
              <option value="train" selected={v.split === "train"}>The train side</option>
              <option value="test" selected={v.split === "test"}>The test side</option>
            </select>
            <FieldError id="err-split" text={e.split} />
          </div>
          <div class="field">
            <label for="ds-fraction">
              Test share <span class="muted">(between 0 and 1, default {SPLIT_DEFAULTS.testFraction})</span>
            </label>
            <input type="text" inputmode="decimal" id="ds-fraction" name="testFraction" value={v.testFraction} placeholder={String(SPLIT_DEFAULTS.testFraction)} aria-invalid={e.testFraction ? "true" : undefined} aria-describedby={described("testFraction")} />
            <FieldError id="err-testFraction" text={e.testFraction} />
          </div>
          <div class="field">
            <label for="ds-seed">
              Seed <span class="muted">(default {SPLIT_DEFAULTS.seed})</span>
            </label>
            <input type="text" id="ds-seed" name="seed" value={v.seed} placeholder={SPLIT_DEFAULTS.seed} maxlength={DATASET_LIMITS.seed} aria-invalid={e.seed ? "true" : undefined} aria-describedby={described("seed")} />
            <FieldError id="err-seed" text={e.seed} />
          </div>
        </fieldset>
        <div class="actions">
          <button class="primary" type="submit">Save dataset</button>
          <a href={`/evals${toQuery(props.back)}`}>Cancel</a>
        </div>
      </form>
    </Layout>
  );
}

export type DatasetsNotice = { saved: { name: string; count: number } } | { deleted: true };

function Notice({ notice }: { notice?: DatasetsNotice }) {
  if (!notice) return null;
  return (
    <p class="notice" role="status">
      {"saved" in notice ? `Saved “${notice.saved.name}”: ${plural(notice.saved.count, "session")}.` : "Deleted the dataset; its sessions are still there."}
    </p>
  );
}

function ExportMenu({ d, canExport }: { d: DatasetRow; canExport: boolean }) {
  const id = encodeURIComponent(d.id);
  return (
    <form method="get" action={`/datasets/${id}/export`} class="dataset-export" aria-label={`Export ${d.name}`}>
      <fieldset disabled={!canExport}>
        <legend class="visually-hidden">Export {d.name}</legend>
        <label>
          Format{" "}
          <select name="format">
            {EXPORT_FORMATS.map((f) => (
              <option value={f}>{FORMAT_LABEL[f]}</option>
            ))}
          </select>
        </label>
        {/* Sent first: with every box unticked the export masks nothing, rather than falling back to the default. */}
        <input type="hidden" name="redact" value="none" />
        <label class="inline">
          <input type="checkbox" name="redact" value="secrets" checked /> Mask secrets
        </label>
        <label class="inline">
          <input type="checkbox" name="redact" value="paths" /> Home paths
        </label>
        <label class="inline">
          <input type="checkbox" name="redact" value="emails" /> E-mail addresses
        </label>
        <button type="submit" class="primary" aria-describedby={canExport ? undefined : "no-export-scope"}>Download</button>
      </fieldset>
    </form>
  );
}

function DeleteStep({ d, web, canExport }: { d: DatasetRow; web: WebSession; canExport: boolean }) {
  if (!canExport) return <button type="button" disabled aria-describedby="no-export-scope">Delete…</button>;
  return (
    <details class="confirm-delete">
      <summary>Delete…</summary>
      <form method="post" action={`/datasets/${encodeURIComponent(d.id)}/delete`}>
        <input type="hidden" name="_csrf" value={web.csrf} />
        <p>
          Delete “{d.name}” for good? Its exports can no longer be repeated. The sessions themselves stay.
        </p>
        <button type="submit" class="danger">Yes, delete “{d.name}”</button>
      </form>
    </details>
  );
}

export interface DatasetsPageProps {
  web: WebSession;
  datasets: DatasetRow[];
  notice?: DatasetsNotice;
  canExport: boolean;
}

/** The workspace's datasets, newest first, each with what it froze, an export menu and a delete step. */
export function DatasetsPage({ web, datasets, notice, canExport }: DatasetsPageProps) {
  return (
    <Layout title="Datasets" web={web} current="datasets">
      <h1>Datasets</h1>
      <Notice notice={notice} />
      {!canExport && (
        <p class="error" role="alert" id="no-export-scope">
          {NO_EXPORT_SCOPE}
        </p>
      )}
      {!canExport ? null : datasets.length === 0 ? (
        <div class="empty">
          <p>No datasets yet.</p>
          <p>
            A dataset freezes sessions with their labels so an evaluation can be re-run on exactly the same data later. Open{" "}
            <a href="/evals">Evals</a>, filter or tick the sessions you want, and press <strong>Save as dataset</strong> (or POST /api/datasets).
          </p>
        </div>
      ) : (
        <ul class="datasets">
          {datasets.map((d) => {
            const split = splitInWords(d.filters);
            return (
              <li class="dataset" data-dataset={d.id}>
                <h2>{d.name}</h2>
                {d.description && <p class="description">{d.description}</p>}
                <dl>
                  <dt>Sessions</dt>
                  <dd data-session-count>{formatInt(d.sessionCount)}</dd>
                  <dt>Created</dt>
                  <dd>{formatDate(d.createdAt)}</dd>
                  <dt>Frozen from</dt>
                  <dd>{filtersInWords(d.filters)}</dd>
                  <dt>Split</dt>
                  <dd>{split ?? "None (every matching session)"}</dd>
                </dl>
                <div class="actions">
                  <ExportMenu d={d} canExport={canExport} />
                  <DeleteStep d={d} web={web} canExport={canExport} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}
