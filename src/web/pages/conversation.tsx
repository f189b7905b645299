import type { Child } from "hono/jsx";
import type { MessageOut } from "../../sessions/schemas";
import { argPreview, argsText, buildConversation, foldOf, sizeLabel, type PairedCall } from "../render/conversation";
import { pageHighlightBudget, renderCode, renderMarkdown, type HighlightBudget } from "../render/markdown";
import { countMarks } from "../render/marks";
import { markSegments } from "../../redact/index";
import { utf8Length } from "../../lib/limits";

const ROLE_LABEL: Record<MessageOut["role"], string> = { user: "User", assistant: "Assistant", system: "System", tool: "Tool" };

/**
 * Long content folded behind "Show more (size)". A visually hidden checkbox does the folding, so it works without
 * the script and stays one keyboard stop.
 */
function Fold({ id, text, children }: { id: string; text: string; children: Child }) {
  const fold = foldOf(text);
  if (!fold.folded) return <>{children}</>;
  return (
    <div class="fold">
      <input type="checkbox" class="fold-toggle" id={id} />
      <div class="fold-body">{children}</div>
      <label for={id} class="fold-more">
        <span class="more">Show more ({fold.size})</span>
        <span class="less">Show less</span>
      </label>
    </div>
  );
}

const Markdown = ({ source, budget }: { source: string; budget: HighlightBudget }) => (
  <div class="content md" dangerouslySetInnerHTML={{ __html: renderMarkdown(source, budget) }} />
);

/** Plain text with what an export would mask marked; JSX escapes every segment. */
const Plain = ({ text }: { text: string }) => (
  <pre class="plain">
    {markSegments(text).map((seg) =>
      seg.kind ? (
        <mark class="would-mask" data-kind={seg.kind} title={`masked in exports as [${seg.kind}]`}>
          {seg.text}
        </mark>
      ) : (
        seg.text
      ),
    )}
  </pre>
);

/** Every text of the conversation an export passes through the redactor. */
function* texts(messages: MessageOut[]): Generator<string> {
  for (const m of messages) {
    yield m.content;
    if (m.reasoning) yield m.reasoning;
    for (const c of m.toolCalls ?? []) yield argsText(c.arguments);
  }
}

/** "N values would be masked in exports" — shown only when there is something to mask. */
function MaskLegend({ messages }: { messages: MessageOut[] }) {
  const n = countMarks(texts(messages));
  if (n === 0) return null;
  return (
    <p class="mask-legend muted">
      <mark class="would-mask">marked</mark> {n === 1 ? "1 value would be masked in exports" : `${n} values would be masked in exports`} (stored as is)
    </p>
  );
}

/** A tool call with its arguments and, beside them, the result that answered it. */
function Call({ p, id, budget }: { p: PairedCall; id: string; budget: HighlightBudget }) {
  const args = argsText(p.call.arguments);
  const result = p.result;
  const resultSize = result ? sizeLabel(utf8Length(result.content)) : null;
  return (
    <details class="call" open={!result || foldOf(result.content).folded === false}>
      <summary>
        <span class="call-name">{p.call.name}</span> <code class="call-preview">{argPreview(p.call.arguments)}</code>{" "}
        <span class="muted">{result ? `→ result ${resultSize}` : "→ no result"}</span>
      </summary>
      <div class="call-body">
        <div class="call-args">
          <div class="call-head">Arguments{p.call.id ? <span class="muted"> · {p.call.id}</span> : null}</div>
          <Fold id={`${id}-a`} text={args}>
            <div dangerouslySetInnerHTML={{ __html: renderCode(args, "json", budget) }} />
          </Fold>
        </div>
        <div class="call-result" id={result ? `m-${result.seq}` : undefined}>
          <div class="call-head">Result{result?.toolName && result.toolName !== p.call.name ? ` · ${result.toolName}` : ""}</div>
          {result ? (
            <Fold id={`${id}-r`} text={result.content}>
              <Plain text={result.content} />
            </Fold>
          ) : (
            <p class="muted">No tool message answered this call.</p>
          )}
        </div>
      </div>
    </details>
  );
}

/** The whole conversation: messages in order, markdown rendered on the server, calls paired with results. */
export function Conversation({ messages }: { messages: MessageOut[] }) {
  // One highlighting budget for the page, spent in reading order (a long session's later code is shown plain).
  const budget = pageHighlightBudget();
  return (
    <section class="conversation" aria-label="Conversation">
      {messages.length === 0 && <p class="empty">This session has no messages yet.</p>}
      <MaskLegend messages={messages} />
      {buildConversation(messages).map(({ message: m, calls }) => {
        const isTool = m.role === "tool";
        return (
          <article class={`msg ${m.role}`} id={`m-${m.seq}`} aria-label={`${ROLE_LABEL[m.role]} message ${m.seq + 1}`}>
            <div class="role">
              {ROLE_LABEL[m.role]}
              {isTool && m.toolName ? ` · ${m.toolName}` : ""}
              {isTool && m.toolCallId ? <span class="muted"> · answers {m.toolCallId}</span> : null}
              <span class="seq muted">#{m.seq + 1}</span>
            </div>
            {m.reasoning && (
              <details class="reasoning">
                <summary>Reasoning ({sizeLabel(utf8Length(m.reasoning))})</summary>
                <Plain text={m.reasoning} />
              </details>
            )}
            {m.content !== "" && (
              <Fold id={`f-${m.seq}`} text={m.content}>
                {isTool ? <Plain text={m.content} /> : <Markdown source={m.content} budget={budget} />}
              </Fold>
            )}
            {calls.map((p, i) => (
              <Call p={p} id={`c-${m.seq}-${i}`} budget={budget} />
            ))}
          </article>
        );
      })}
    </section>
  );
}
