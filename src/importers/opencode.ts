import { ImportState } from "./session-builder";
import { clip, isRecord, num, projectNameOf, str, toMs } from "./text";
import type { BadLine, ImportedMessage, ImportedSession, ImportedToolCall, ParseReport } from "./types";

/**
 * OpenCode sessions, as `opencode export <id>` writes them and its storage holds them (sst/opencode
 * `session/message-v2`): `{"info": Session, "messages": [{"info": Message, "parts": Part[]}]}`.
 *
 * Mapping: a user message's text parts are its content (file parts as `[file: name, mime]`); an assistant message
 * is one message per step (`step-start` begins the next model response) with text parts as content, `reasoning`
 * parts as reasoning and `tool` parts as toolCalls, each followed by a tool message with the tool's output (or its
 * error, starting `[error] `). Tokens (OpenCode counts cache reads/writes apart from `input`) and cost come per
 * message; `parentID`
 * marks a child (subagent) session. `step-finish`, `snapshot`, `patch`, `agent`, `compaction`… carry no
 * conversation and are counted as skipped.
 */

function toolOutput(state: Record<string, unknown>): string {
  const status = str(state.status);
  if (status === "error") return `[error] ${str(state.error) ?? "the tool failed"}`;
  if (typeof state.output === "string") return state.output;
  if (status === "pending" || status === "running") return `[${status}]`;
  return state.output == null ? "" : JSON.stringify(state.output);
}

/** One model response inside an OpenCode assistant message, and the tool results that follow it. */
interface Step {
  externalId: string;
  texts: string[];
  reasoning: string[];
  calls: ImportedToolCall[];
  results: ImportedMessage[];
}

export interface OpenCodeResult {
  sessions: ImportedSession[];
  report: ParseReport;
}

/** Finds why a value is not an OpenCode session document, for the 400's line number (the document's line 1). */
function notASession(doc: unknown): BadLine | null {
  if (!isRecord(doc)) return { line: 1, message: "not a JSON object" };
  if (!isRecord(doc.info) || typeof doc.info.id !== "string") return { line: 1, message: "not an OpenCode session: no info.id" };
  if (!Array.isArray(doc.messages)) return { line: 1, message: "not an OpenCode session: no messages array" };
  return null;
}

/** Parses one OpenCode session document (already JSON-parsed) into its session input. */
export function parseOpenCode(doc: unknown): OpenCodeResult {
  const state = new ImportState();
  const bad = notASession(doc);
  if (bad) {
    state.bad(bad.line, bad.message);
    return { sessions: [], report: state.report() };
  }
  const { info, messages } = doc as { info: Record<string, unknown>; messages: unknown[] };
  const time = isRecord(info.time) ? info.time : {};
  const cwd = str(info.directory) ?? null;
  const parent = str(info.parentID);
  const s = state.session(clip(info.id as string, 256), () => ({
    source: "opencode",
    provider: null,
    projectPath: cwd ? clip(cwd, 4096) : null,
    projectName: projectNameOf(cwd),
    parentExternalId: parent ? clip(parent, 256) : null,
  }));
  s.at(toMs(time.created));
  const title = str(info.title);
  // OpenCode names an untitled session "New session - <ISO date>"; the first prompt says more.
  if (title && !/^(New session|Child session) - \d{4}-/.test(title)) s.title = clip(title, 1000);

  const totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, cost: 0, counted: false };
  const models = new Map<string, number>();
  let provider: string | null = null;
  const add = (m: ImportedMessage) => {
    if (!s.add(m)) state.skip("duplicate");
  };

  for (const entry of messages) {
    const mi = isRecord(entry) && isRecord(entry.info) ? entry.info : null;
    const parts = isRecord(entry) && Array.isArray(entry.parts) ? entry.parts.filter(isRecord) : [];
    if (!mi || typeof mi.id !== "string") {
      state.skip("malformed");
      continue;
    }
    const id = clip(mi.id, 200);
    const mt = isRecord(mi.time) ? mi.time : {};
    const at = toMs(mt.created);
    s.at(at);
    s.at(toMs(mt.completed));
    const modelObj = isRecord(mi.model) ? mi.model : {};
    const model = str(mi.modelID) ?? str(modelObj.modelID) ?? null;
    provider = str(mi.providerID) ?? str(modelObj.providerID) ?? provider;

    if (mi.role === "user") {
      const texts: string[] = [];
      for (const p of parts) {
        if (p.type === "text" && typeof p.text === "string") {
          if (p.text) texts.push(p.text);
        } else if (p.type === "file") texts.push(`[file: ${str(p.filename) ?? str(p.url) ?? "file"}${str(p.mime) ? `, ${str(p.mime)}` : ""}]`);
        else state.skip(`part:${str(p.type) ?? "unknown"}`);
      }
      if (texts.length === 0) state.skip("message:empty");
      else add({ externalId: id, role: "user", content: texts.join("\n\n"), createdAt: at });
      continue;
    }
    if (mi.role !== "assistant") {
      state.skip(`message:${String(mi.role)}`);
      continue;
    }

    if (model) models.set(model, (models.get(model) ?? 0) + 1);
    const tk = isRecord(mi.tokens) ? mi.tokens : {};
    const cache = isRecord(tk.cache) ? tk.cache : {};
    const usage = { input: num(tk.input), output: num(tk.output) + num(tk.reasoning), cacheRead: num(cache.read), cacheWrite: num(cache.write) };
    if (isRecord(mi.tokens)) totals.counted = true;
    totals.input += usage.input;
    totals.output += usage.output;
    totals.cacheRead += usage.cacheRead;
    totals.cacheWrite += usage.cacheWrite;
    totals.cost += typeof mi.cost === "number" ? num(mi.cost) : 0;

    // One assistant message per step (model response); its tool results follow it.
    const steps: Step[] = [];
    const newStep = (externalId: string): Step => {
      const step: Step = { externalId, texts: [], reasoning: [], calls: [], results: [] };
      steps.push(step);
      return step;
    };
    for (const p of parts) {
      const type = str(p.type) ?? "unknown";
      const step = steps[steps.length - 1];
      if (type === "step-start") {
        if (!step || step.texts.length + step.calls.length + step.reasoning.length > 0) newStep(steps.length === 0 ? id : clip(str(p.id) ?? `${id}:${steps.length}`, 256));
        continue;
      }
      const cur = step ?? newStep(id);
      if (type === "text" && typeof p.text === "string") {
        if (p.text) cur.texts.push(p.text);
      } else if (type === "reasoning" && typeof p.text === "string") {
        if (p.text) cur.reasoning.push(p.text);
      } else if (type === "tool") {
        const ts = isRecord(p.state) ? p.state : {};
        const callId = clip(str(p.callID) ?? str(p.id) ?? `${id}:${cur.calls.length}`, 256);
        const name = clip(str(p.tool) ?? "tool", 256);
        cur.calls.push({ id: callId, name, arguments: isRecord(ts.input) ? ts.input : {} });
        const tt = isRecord(ts.time) ? ts.time : {};
        cur.results.push({
          externalId: clip(str(p.id) ?? `${callId}:result`, 256),
          role: "tool",
          toolCallId: callId,
          toolName: name,
          content: toolOutput(ts),
          createdAt: toMs(tt.end) ?? at,
        });
      } else if (type === "file") {
        cur.texts.push(`[file: ${str(p.filename) ?? str(p.url) ?? "file"}${str(p.mime) ? `, ${str(p.mime)}` : ""}]`);
      } else state.skip(`part:${type}`);
    }
    const used = steps.filter((st) => st.texts.length + st.calls.length + st.reasoning.length > 0);
    if (used.length === 0) {
      state.skip("message:empty");
      continue;
    }
    used.forEach((st, i) => {
      const last = i === used.length - 1;
      add({
        externalId: st.externalId,
        role: "assistant",
        content: st.texts.join("\n\n"),
        ...(st.calls.length > 0 ? { toolCalls: st.calls } : {}),
        ...(st.reasoning.length > 0 ? { reasoning: st.reasoning.join("\n\n") } : {}),
        model: model ? clip(model, 256) : null,
        // The message's tokens are for all its steps: they go on its last one, so sums stay right.
        ...(last && isRecord(mi.tokens) ? { promptTokens: usage.input, completionTokens: usage.output } : {}),
        createdAt: at,
      });
      for (const r of st.results) add(r);
    });
  }

  let model: string | null = null;
  let most = 0;
  for (const [name, n] of models) if (n > most) [model, most] = [name, n];
  if (provider) s.fixed = { ...s.fixed, provider: clip(provider, 128) };
  s.final = {
    model: model ? clip(model, 256) : null,
    ...(totals.counted
      ? { promptTokens: totals.input, completionTokens: totals.output, cacheReadTokens: totals.cacheRead, cacheWriteTokens: totals.cacheWrite }
      : {}),
    ...(totals.cost > 0 ? { cost: Math.round(totals.cost * 1e6) / 1e6 } : {}),
  };
  const updated = toMs(time.updated);
  if (updated !== null) s.at(updated);
  return { sessions: state.drain(true, () => null), report: state.report() };
}
