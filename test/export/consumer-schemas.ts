import { z } from "zod";

/**
 * How consumers read our files, written once for the unit and the HTTP tests: DeepEval's JSON loaders, and the
 * OpenAI chat fine-tuning validator's rules for one line.
 */
/** What DeepEval's JSON loaders accept: `LLMTestCase(input, actual_output, …)` with `ToolCall(**tool)` entries. */
export const deepEvalToolCall = z.object({
  name: z.string(),
  input_parameters: z.record(z.string(), z.unknown()).nullable(),
  output: z.unknown(),
});
export const deepEvalCase = z.object({
  input: z.string(),
  actual_output: z.string(),
  expected_output: z.string().nullable(),
  context: z.array(z.string()),
  retrieval_context: z.array(z.string()),
  tools_called: z.array(deepEvalToolCall),
  additional_metadata: z.object({
    session_id: z.string(),
    external_id: z.string(),
    turn: z.number().int().positive(),
    model: z.string().nullable(),
    source: z.string().nullable(),
    eval_status: z.enum(["golden", "correct", "incorrect", "needs_review"]),
    eval_tags: z.array(z.string()),
  }),
});

export type DeepEvalCase = z.infer<typeof deepEvalCase>;

const parsesAsJson = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

/** An OpenAI chat fine-tuning line: allowed keys only, and tool results pairing with earlier calls. */
const toolCallSchema = z.strictObject({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string().refine(parsesAsJson, "arguments must be JSON") }),
});
const messageSchema = z.discriminatedUnion("role", [
  z.strictObject({ role: z.literal("system"), content: z.string() }),
  z.strictObject({ role: z.literal("user"), content: z.string() }),
  z.strictObject({ role: z.literal("assistant"), content: z.string().nullable(), tool_calls: z.array(toolCallSchema).min(1).optional() }),
  z.strictObject({ role: z.literal("tool"), tool_call_id: z.string().min(1), content: z.string() }),
]);
export const fineTuningLine = z.strictObject({ messages: z.array(messageSchema).min(1) }).superRefine((line, ctx) => {
  const called = new Set<string>();
  let assistants = 0;
  line.messages.forEach((m, i) => {
    if (m.role === "assistant") {
      assistants++;
      if (m.content === null && !m.tool_calls) {
        ctx.addIssue({ code: "custom", message: "null content without tool_calls", path: ["messages", i] });
      }
      for (const c of m.tool_calls ?? []) {
        if (called.has(c.id)) ctx.addIssue({ code: "custom", message: `duplicate id ${c.id}`, path: ["messages", i] });
        called.add(c.id);
      }
    }
    if (m.role === "tool" && !called.has(m.tool_call_id)) {
      ctx.addIssue({ code: "custom", message: "tool message answers no earlier call", path: ["messages", i] });
    }
  });
  if (assistants === 0) ctx.addIssue({ code: "custom", message: "no assistant message" });
});
