import { EXPORT_FORMATS } from "../../export/encoders";
import type { WebSession } from "../session";

/**
 * The action bars of the Sessions and Evals lists. They sit inside the list's selection form (which carries the
 * CSRF token, the view's filters as f_* fields and the ticked rows' ids), so every button acts on the ticked rows,
 * or on the whole filtered view when "Every session in this filtered view" is ticked.
 */

export function SessionsActions(_: { web: WebSession }) {
  return (
    <div class="actions">
      <button class="primary" type="submit" name="action" value="ready">Mark as Eval Ready</button>
      <button type="submit" name="action" value="unready">Unmark</button>
      <label>
        <input type="checkbox" name="all" value="1" /> Every session in this filtered view
      </label>
      <span class="muted" data-selection-count aria-live="polite"></span>
    </div>
  );
}

export function EvalsActions(_: { web: WebSession }) {
  return (
    <>
      <div class="actions">
        <label>
          Export as{" "}
          <select name="format">
            {EXPORT_FORMATS.map((f) => (
              <option value={f}>{FORMAT_LABEL[f]}</option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit" formaction="/export">Export</button>
        <button type="submit" name="action" value="unready">Unmark</button>
        <label>
          <input type="checkbox" name="all" value="1" /> Every session in this filtered view
        </label>
        <span class="muted" data-selection-count aria-live="polite"></span>
      </div>
      <p class="muted">Export takes the ticked sessions, or the whole filtered view when none is ticked (or “Every session in this filtered view” is).</p>
    </>
  );
}

const FORMAT_LABEL: Record<(typeof EXPORT_FORMATS)[number], string> = {
  deepeval: "DeepEval (JSON)",
  "deepeval-jsonl": "DeepEval (JSONL)",
  openai: "OpenAI chat (JSONL)",
  text: "Text",
  "deepeval-conversational": "DeepEval conversational (JSON)",
  promptfoo: "promptfoo (JSONL)",
};
