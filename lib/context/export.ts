import type { ContextMessage, StepDetail } from "@/lib/api/step-schemas";

/**
 * A model call's context as a file someone can re-run elsewhere: OpenAI chat-completions shaped
 * messages (`tool_calls` with `type: "function"`), tool definitions in the `{type: "function",
 * function: {name, description, parameters}}` form, and the model parameters as recorded.
 * Content is exported as stored: a value cut at ingest keeps its "…[truncated]" marker.
 */
export type ExportedMessage = {
  role: string;
  content: string | unknown[] | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
  name?: string;
};

export type ExportedContext = {
  model: string | null;
  provider: string | null;
  parameters: Record<string, unknown>;
  tools: unknown[];
  messages: ExportedMessage[];
};

/** Role names other conventions use for the chat-completions roles. */
const ROLE_ALIASES: Record<string, string> = { model: "assistant", ai: "assistant", human: "user", function: "tool" };

export function exportContext(detail: Pick<StepDetail, "step" | "inputMessages" | "tools" | "parameters">): ExportedContext {
  return {
    model: detail.step.model,
    provider: detail.step.provider,
    parameters: { ...detail.parameters },
    tools: detail.tools.map(exportTool),
    messages: detail.inputMessages.map(exportMessage),
  };
}

export function exportMessage(m: ContextMessage): ExportedMessage {
  const out: ExportedMessage = { role: ROLE_ALIASES[m.role] ?? m.role, content: m.content };
  if (m.toolCalls.length)
    out.tool_calls = m.toolCalls.map((c, i) => ({
      // Chat completions require ids; SDKs that omit them get stable placeholders.
      id: c.id ?? `call_${i}`,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
  if (m.toolCallId !== null) out.tool_call_id = m.toolCallId;
  if (m.name !== null) out.name = m.name;
  return out;
}

/** Tool definitions arrive in provider-native shapes (OpenAI, AI SDK `inputSchema`, Anthropic `input_schema`…). */
export function exportTool(tool: unknown): unknown {
  if (typeof tool !== "object" || tool === null || Array.isArray(tool)) return tool;
  const t = tool as Record<string, unknown>;
  if (typeof t.function === "object" && t.function !== null) return { type: "function", ...t, function: t.function };
  if (typeof t.name !== "string") return tool;
  const parameters = t.parameters ?? t.inputSchema ?? t.input_schema ?? t.schema;
  return {
    type: "function",
    function: {
      name: t.name,
      ...(typeof t.description === "string" ? { description: t.description } : {}),
      ...(parameters !== undefined ? { parameters: unwrapJsonSchema(parameters) } : {}),
    },
  };
}

/** The AI SDK serializes `jsonSchema(...)` wrappers as `{ jsonSchema: {...} }`. */
function unwrapJsonSchema(v: unknown): unknown {
  if (typeof v === "object" && v !== null && "jsonSchema" in v) return (v as { jsonSchema: unknown }).jsonSchema;
  return v;
}

/** Pretty JSON text of the export, for the download. */
export function exportContextJson(detail: Parameters<typeof exportContext>[0]): string {
  return `${JSON.stringify(exportContext(detail), null, 2)}\n`;
}
