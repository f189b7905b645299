import { EVAL_STATUSES } from "../../db/schema";
import type { MessageOut, SessionOut } from "../../sessions/schemas";
import { formatCost, formatDate, formatInt, STATUS_LABEL } from "../format";
import { Layout } from "../layout";
import type { WebSession } from "../session";

const argsText = (args: unknown) => {
  if (typeof args === "string") {
    try {
      return JSON.stringify(JSON.parse(args), null, 2);
    } catch {
      return args;
    }
  }
  return JSON.stringify(args ?? {}, null, 2);
};

const ROLE_LABEL: Record<MessageOut["role"], string> = { user: "User", assistant: "Assistant", system: "System", tool: "Tool" };

/** One message; tool calls, tool output and reasoning fold under <details>, reasoning closed by default. */
function Message({ m }: { m: MessageOut }) {
  const isTool = m.role === "tool";
  return (
    <article class={`msg ${m.role}`} aria-label={`${ROLE_LABEL[m.role]} message ${m.seq + 1}`}>
      <div class="role">
        {ROLE_LABEL[m.role]}
        {isTool && m.toolName ? ` · ${m.toolName}` : ""}
      </div>
      {m.reasoning && (
        <details>
          <summary>Reasoning</summary>
          <pre>{m.reasoning}</pre>
        </details>
      )}
      {isTool ? (
        <details open={m.content.length < 400}>
          <summary>Result{m.toolCallId ? ` of ${m.toolCallId}` : ""} ({formatInt(m.content.length)} characters)</summary>
          <pre>{m.content}</pre>
        </details>
      ) : (
        m.content !== "" && <div class="content">{m.content}</div>
      )}
      {(m.toolCalls ?? []).map((call) => (
        <details>
          <summary>
            Tool call: <code>{call.name}</code>
            {call.id ? ` (${call.id})` : ""}
          </summary>
          <pre>{argsText(call.arguments)}</pre>
        </details>
      ))}
    </article>
  );
}

export interface ReviewProps {
  web: WebSession;
  session: SessionOut;
  etag: string;
  navQuery: string;
  backHref: string;
  prevId: string | null;
  nextId: string | null;
  saved?: boolean;
  /** What the reviewer tried to save when someone else had changed the session meanwhile. */
  conflict?: { evalStatus?: string; evalTags?: string; evalNotes?: string; expectedOutput?: string };
  error?: string;
}

export function ReviewPage(p: ReviewProps) {
  const s = p.session;
  const reviewHref = (id: string) => `/review/${encodeURIComponent(id)}${p.navQuery}`;
  return (
    <Layout title={s.title || s.externalId} web={p.web}>
      <p>
        <a href={p.backHref}>← Back to the list</a>
      </p>
      <h1>{s.title || s.externalId}</h1>
      <p class="muted">
        {s.source ?? "unknown source"} · {s.model ?? "unknown model"} · {formatInt(s.messageCount)} messages · {formatInt(s.totalTokens)} tokens ·{" "}
        {formatCost(s.cost)} · {formatDate(s.createdAt)}
      </p>
      {p.saved && (
        <p class="notice" role="status">
          Saved.
        </p>
      )}
      {p.error && (
        <p class="error" role="alert">
          {p.error}
        </p>
      )}
      {p.conflict && (
        <div class="error" role="alert" id="conflict">
          <strong>Someone else changed this session while you were reviewing it.</strong> Their version is shown below and
          your changes were not saved. Review it and save again if yours should win.
          <details>
            <summary>Your unsaved changes</summary>
            <dl>
              <dt>Status</dt>
              <dd>{p.conflict.evalStatus ?? ""}</dd>
              <dt>Tags</dt>
              <dd>{p.conflict.evalTags ?? ""}</dd>
              <dt>Notes</dt>
              <dd><pre>{p.conflict.evalNotes ?? ""}</pre></dd>
              <dt>Expected output</dt>
              <dd><pre>{p.conflict.expectedOutput ?? ""}</pre></dd>
            </dl>
          </details>
        </div>
      )}
      <section class="conversation" aria-label="Conversation">
        {s.messages.map((m) => (
          <Message m={m} />
        ))}
      </section>
      <form class="label-form" method="post" action={`/review/${encodeURIComponent(s.id)}${p.navQuery}`}>
        <h2>Label</h2>
        <input type="hidden" name="_csrf" value={p.web.csrf} />
        <input type="hidden" name="etag" value={p.etag} />
        <label>
          Status
          <select name="evalStatus">
            {EVAL_STATUSES.map((st) => (
              <option value={st} selected={s.evalStatus === st}>
                {STATUS_LABEL[st]}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          <span>
            <input type="checkbox" name="evalReady" value="true" checked={s.evalReady} /> Eval-ready (included in exports)
          </span>
        </label>
        <label>
          Tags (comma-separated)
          <input type="text" name="evalTags" value={s.evalTags.join(", ")} />
        </label>
        <label>
          Notes
          <textarea name="evalNotes">{s.evalNotes ?? ""}</textarea>
        </label>
        <label>
          Expected output (ground truth for the last turn)
          <textarea name="expectedOutput" rows={8}>{s.expectedOutput ?? ""}</textarea>
        </label>
        <div class="actions">
          <button class="primary" type="submit" name="then" value="stay">Save</button>
          {p.nextId && <button type="submit" name="then" value="next">Save and next</button>}
          <span class="muted">Last reviewed {formatDate(s.reviewedAt)}</span>
        </div>
      </form>
      <nav class="review-nav" aria-label="Queue">
        {p.prevId ? <a href={reviewHref(p.prevId)} rel="prev">← Previous</a> : <span />}
        {p.nextId ? <a href={reviewHref(p.nextId)} rel="next">Next →</a> : <span />}
      </nav>
    </Layout>
  );
}
