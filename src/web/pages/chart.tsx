import { EVAL_STATUSES } from "../../db/schema";
import { STATUS_LABEL } from "../format";

interface Bar {
  label: string;
  value: number;
  /** The filtered view this bar counts. */
  href: string;
  cls?: string;
  /** The bar is one of the active filters. */
  on?: boolean;
}

const COLORS: Record<string, string> = { golden: "#d4a72c", correct: "#2da44e", incorrect: "#cf222e", needs_review: "#8c959f" };

/**
 * A horizontal bar chart in inline SVG: readable without script, the numbers written beside the bars, and every
 * bar a link to the filtered view it counts. A row is 44 units tall and the chart is drawn at most 320 px wide
 * (assets.ts), so each bar's link is a 44 px touch target on a phone as on a desktop.
 */
function Bars({ bars, title }: { bars: Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 44;
  const labelW = 110;
  const barW = 160;
  const height = Math.max(row, bars.length * row);
  return (
    <figure>
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <svg viewBox={`0 0 ${labelW + barW + 50} ${height}`} width="100%" role="group" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(", ")}`}>
          {bars.map((b, i) => (
            <a href={b.href} class={b.on ? "bar on" : "bar"} aria-label={`${b.label}: ${b.value} session${b.value === 1 ? "" : "s"}`} aria-current={b.on ? "true" : undefined}>
              <rect class="hit" x="0" y={i * row} width={labelW + barW + 50} height={row} rx="4" fill="transparent" />
              <text x="6" y={i * row + 27}>{b.label.length > 15 ? `${b.label.slice(0, 14)}…` : b.label}</text>
              <rect class={`fill ${b.cls ?? "plain"}`} x={labelW} y={i * row + 14} height="16" rx="3" width={Math.max(2, (b.value / max) * barW)} fill={COLORS[b.cls ?? ""] ?? "#0b5cad"} />
              <text x={labelW + Math.max(2, (b.value / max) * barW) + 6} y={i * row + 27}>{String(b.value)}</text>
            </a>
          ))}
        </svg>
      )}
    </figure>
  );
}

export interface Summary {
  total: number;
  byStatus: Record<string, number>;
  tags: { tag: string; count: number }[];
}

/**
 * Counts per status and the top tags of the eval-ready sessions the list's filters match (the status counts leave
 * the status filter out, see evalSummary). `statusHref` / `tagHref` build each bar's link.
 */
export function SummaryChart(p: {
  summary: Summary;
  filtered: boolean;
  activeStatuses: string[];
  activeTags: string[];
  statusHref: (status: string) => string;
  tagHref: (tag: string) => string;
}) {
  const { summary } = p;
  return (
    <section class="chart" aria-label="Summary">
      <Bars
        title={`Status (${summary.total} eval-ready${p.filtered ? " match" : ""})`}
        bars={EVAL_STATUSES.map((s) => ({ label: STATUS_LABEL[s]!, value: summary.byStatus[s] ?? 0, cls: s, href: p.statusHref(s), on: p.activeStatuses.includes(s) }))}
      />
      <Bars title="Top tags" bars={summary.tags.slice(0, 8).map((t) => ({ label: t.tag, value: t.count, href: p.tagHref(t.tag), on: p.activeTags.includes(t.tag) }))} />
    </section>
  );
}
