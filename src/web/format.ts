/** Display helpers shared by the web pages; plain functions, no markup. */
export const formatInt = (n: number | null | undefined) => (n == null ? "—" : n.toLocaleString("en-US"));
export const formatCost = (n: number | null | undefined) => (n == null ? "—" : `$${n.toFixed(2)}`);
export const formatDate = (ms: number | null | undefined) =>
  ms == null ? "—" : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";
export const STATUS_LABEL: Record<string, string> = {
  golden: "Golden",
  correct: "Correct",
  incorrect: "Incorrect",
  needs_review: "Needs review",
};
