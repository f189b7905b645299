import type { SessionSummary } from "../../sessions/schemas";
import { formatCost, formatDate, formatInt, STATUS_LABEL } from "../format";

/** The rows of a session list, each with a checkbox named `id` inside the caller's selection form. */
export function SessionTable({ sessions, reviewQuery, showLabels }: { sessions: SessionSummary[]; reviewQuery: string; showLabels: boolean }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">
              <label>
                <span class="visually-hidden">Select all on this page</span>
                <input type="checkbox" data-select-all hidden aria-label="Select all on this page" />
              </label>
            </th>
            <th scope="col">Title</th>
            <th scope="col" class="opt">Source</th>
            <th scope="col" class="opt">Model</th>
            <th scope="col" class="num opt">Messages</th>
            <th scope="col" class="num opt">Tokens</th>
            <th scope="col" class="num opt">Cost</th>
            <th scope="col" class="opt">Created</th>
            <th scope="col">Eval</th>
            {showLabels && <th scope="col">Tags</th>}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>
                <input type="checkbox" name="id" value={s.id} id={`sel-${s.id}`} aria-label={`Select ${s.title ?? s.externalId}`} />
              </td>
              <td class="title">
                <a href={`/review/${encodeURIComponent(s.id)}${reviewQuery}`}>{s.title || s.externalId}</a>
              </td>
              <td class="opt nowrap">{s.source ?? "—"}</td>
              <td class="opt">{s.model ?? "—"}</td>
              <td class="num opt">{formatInt(s.messageCount)}</td>
              <td class="num opt">{formatInt(s.totalTokens)}</td>
              <td class="num opt">{formatCost(s.cost)}</td>
              <td class="opt nowrap">{formatDate(s.createdAt)}</td>
              <td>
                {/* In the Evals view every row is eval-ready: the badge would only repeat that. */}
                {showLabels ? null : s.evalReady ? <span class="badge ready">Eval-ready</span> : <span class="muted">—</span>}{" "}
                {(s.evalReady || s.reviewedAt !== null) && <span class={`badge ${s.evalStatus}`}>{STATUS_LABEL[s.evalStatus]}</span>}
              </td>
              {showLabels && (
                <td>
                  {s.evalTags.map((t) => (
                    <span class="tag">{t}</span>
                  ))}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Hidden inputs that carry the current filters into a form post ("all in this filtered view", export), one per
 * query pair, so a repeated filter (several statuses) keeps every value.
 */
export function FilterInputs({ params }: { params: [string, string][] }) {
  return (
    <>
      {params.map(([name, value]) => (
        <input type="hidden" name={`f_${name}`} value={value} />
      ))}
    </>
  );
}
