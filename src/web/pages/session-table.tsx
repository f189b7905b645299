import type { SessionSummary } from "../../sessions/schemas";
import type { SortKey } from "../../sessions/queries";
import type { ListOrder } from "../../sessions/queries";
import { SORT_LABEL } from "../filters";
import { formatCost, formatDate, formatInt, STATUS_LABEL } from "../format";

interface TableProps {
  sessions: SessionSummary[];
  reviewQuery: string;
  showLabels: boolean;
  order: ListOrder;
  /** A column header's link (toggles the direction of the active column). */
  sortHref: (key: SortKey) => string;
  /** A tag chip's link: the view narrowed to that tag. */
  tagHref: (tag: string) => string;
}

/** A sortable column header: a link, `aria-sort` on the active one, an arrow that says which way. */
function SortTh({ k, order, href, cls }: { k: SortKey; order: ListOrder; href: string; cls?: string }) {
  const active = order.key === k;
  const next = active ? (order.dir === "asc" ? "descending" : "ascending") : undefined;
  return (
    <th scope="col" class={cls} aria-sort={active ? (order.dir === "asc" ? "ascending" : "descending") : undefined}>
      <a href={href} class="sort" title={next ? `Sort ${next}` : `Sort by ${SORT_LABEL[k].toLowerCase()}`}>
        {SORT_LABEL[k]}
        {active && <span aria-hidden="true">{order.dir === "asc" ? " ▲" : " ▼"}</span>}
      </a>
    </th>
  );
}

/** The rows of a session list, each with a checkbox named `id` inside the caller's selection form. */
export function SessionTable({ sessions, reviewQuery, showLabels, order, sortHref, tagHref }: TableProps) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">
              <label class="tick">
                <span class="visually-hidden">Select all on this page</span>
                <input type="checkbox" data-select-all hidden aria-label="Select all on this page" />
              </label>
            </th>
            <SortTh k="title" order={order} href={sortHref("title")} />
            <th scope="col" class="opt">Source</th>
            <th scope="col" class="opt">Model</th>
            <SortTh k="messages" order={order} href={sortHref("messages")} cls="num opt" />
            <SortTh k="tokens" order={order} href={sortHref("tokens")} cls="num opt" />
            <SortTh k="cost" order={order} href={sortHref("cost")} cls="num opt" />
            <SortTh k="created" order={order} href={sortHref("created")} cls="opt" />
            <th scope="col">Eval</th>
            {showLabels && <th scope="col">Tags</th>}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>
                {/* The label around the box makes the whole cell its (touch-sized) target. */}
                <label class="tick">
                  <input type="checkbox" name="id" value={s.id} id={`sel-${s.id}`} aria-label={`Select ${s.title ?? s.externalId}`} />
                </label>
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
                    <a class="tag" href={tagHref(t)} title={`Only sessions tagged ${t}`}>
                      {t}
                    </a>
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
