import { EVAL_STATUSES } from "../../db/schema";
import { STATUS_LABEL } from "../format";

interface Bar {
  label: string;
  value: number;
  cls?: string;
}

const COLORS: Record<string, string> = { golden: "#d4a72c", correct: "#2da44e", incorrect: "#cf222e", needs_review: "#8c959f" };

/** A horizontal bar chart in inline SVG: readable without script, with the numbers written beside the bars. */
function Bars({ bars, title }: { bars: Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 24;
  const labelW = 110;
  const barW = 170;
  const height = Math.max(row, bars.length * row);
  return (
    <figure>
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <svg viewBox={`0 0 ${labelW + barW + 60} ${height}`} width="100%" role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(", ")}`}>
          {bars.map((b, i) => (
            <g>
              <text x="0" y={i * row + 16}>{b.label.length > 16 ? `${b.label.slice(0, 15)}…` : b.label}</text>
              <rect x={labelW} y={i * row + 5} height="14" rx="3" width={Math.max(2, (b.value / max) * barW)} fill={COLORS[b.cls ?? ""] ?? "#0b5cad"} />
              <text x={labelW + Math.max(2, (b.value / max) * barW) + 6} y={i * row + 16}>{String(b.value)}</text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}

/** Counts per status and the top tags of the eval-ready sessions. */
export function SummaryChart({ summary }: { summary: { total: number; byStatus: Record<string, number>; tags: { tag: string; count: number }[] } }) {
  return (
    <section class="chart" aria-label="Summary">
      <Bars title={`Status (${summary.total} eval-ready)`} bars={EVAL_STATUSES.map((s) => ({ label: STATUS_LABEL[s]!, value: summary.byStatus[s] ?? 0, cls: s }))} />
      <Bars title="Top tags" bars={summary.tags.slice(0, 8).map((t) => ({ label: t.tag, value: t.count }))} />
    </section>
  );
}
