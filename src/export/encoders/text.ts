import { argumentsLine } from "../arguments";
import { callsOf, isBlank, type ExportSession } from "../model";
import type { Encoder } from "./encoder";

/** en-US grouping done by hand so the output never depends on the runtime's ICU data. */
export function formatTokens(tokens: number | null): string {
  if (tokens === null || !Number.isFinite(tokens)) return "0";
  return String(Math.round(tokens)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Two decimals, `0.00` when unknown. */
export function formatCost(cost: number | null): string {
  return cost === null || !Number.isFinite(cost) ? "0.00" : cost.toFixed(2);
}

function labelled(label: string, content: string): string {
  return isBlank(content) ? label : `${label} ${content}`;
}

/**
 * One session in the API.md text layout: paragraphs separated by a blank line, ending in "\n". Where API.md is
 * silent: line breaks in a title become spaces (a heading is one line); a blank user, system or tool message keeps
 * its bare label; a tool's name is its `toolName`, else the name of the call it answers, else "tool"; an empty
 * expected output keeps its bare label (it is set, so it is shown); empty notes are no Notes line.
 */
export function textBlock(session: ExportSession): string {
  const title = (session.title ?? "").replace(/\s*[\r\n]+\s*/g, " ").trim() || "Untitled";
  const paragraphs = [`## Session: ${title}`];
  const callNames = new Map<string, string>();
  for (const message of session.messages) {
    if (message.role === "system") paragraphs.push(labelled("**System:**", message.content));
    else if (message.role === "user") paragraphs.push(labelled("**User:**", message.content));
    else if (message.role === "assistant") {
      if (!isBlank(message.content)) paragraphs.push(`**Assistant:** ${message.content}`);
      for (const call of callsOf(message)) {
        paragraphs.push(`**Tool call:** ${argumentsLine(call.name, call.arguments)}`);
        if (call.id) callNames.set(call.id, call.name);
      }
    } else {
      const name =
        message.toolName || (message.toolCallId ? callNames.get(message.toolCallId) : undefined) || "tool";
      paragraphs.push(labelled(`**Tool (${name}):**`, message.content));
    }
  }
  if (session.expectedOutput !== null) paragraphs.push(labelled("**Expected output:**", session.expectedOutput));
  const tags = session.evalTags.length > 0 ? ` | Tags: ${session.evalTags.join(", ")}` : "";
  const model = session.model || "unknown";
  paragraphs.push(
    [
      "---",
      `Tokens: ${formatTokens(session.totalTokens)} | Cost: $${formatCost(session.cost)} | Model: ${model}`,
      `Status: ${session.evalStatus}${tags}`,
      ...(session.evalNotes !== null && session.evalNotes !== "" ? [`Notes: ${session.evalNotes}`] : []),
    ].join("\n"),
  );
  return `${paragraphs.join("\n\n")}\n`;
}

/** The `text` format: every session (none is skipped), separated by a blank line. */
export function textEncoder(): Encoder {
  let wrote = false;
  return {
    begin: () => "",
    *session(session: ExportSession) {
      const out = (wrote ? "\n" : "") + textBlock(session);
      wrote = true;
      yield out;
    },
    end: () => "",
  };
}
