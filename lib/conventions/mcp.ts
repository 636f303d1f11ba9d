import type { Span } from "@/lib/otlp/types";
import type { ConventionFamily, NormalizedStep } from "@/lib/conventions/types";
import { asText, isObject, parseJsonText } from "@/lib/conventions/messages";
import { AttrReader, compact, normalizeGenAi, text } from "@/lib/conventions/genai";
import { normalizeOpenLLMetry } from "@/lib/conventions/openllmetry";

/**
 * Model Context Protocol spans, in two shapes:
 * - OTel MCP semantic conventions: `mcp.method.name` (`tools/call`, `tools/list`, `resources/read`, `prompts/get`…),
 *   span name `{method} {target}` (target = `gen_ai.tool.name` or `gen_ai.prompt.name`), `gen_ai.tool.call.arguments`
 *   / `.result` (opt-in), `mcp.session.id`, `mcp.resource.uri`, `jsonrpc.request.id`, `gen_ai.operation.name =
 *   execute_tool` on tool calls. Client (SpanKind CLIENT) and server (SERVER) each emit one span per request.
 *   When an outer GenAI instrumentation already traces the tool, the MCP attributes are added to its
 *   `execute_tool` span instead, which then also carries `gen_ai.tool.call.id`.
 * - Traceloop `@traceloop/instrumentation-mcp`: `{tool}.tool` spans (`traceloop.span.kind = tool`) with
 *   `traceloop.entity.input = {"tool_name", "arguments"}` and `traceloop.entity.output = {"result", "is_error"}`,
 *   `{method}.mcp` spans for other requests, and a long `mcp.client.session` span around the connection.
 *
 * Kinds: tools/call -> tool (toolName, arguments, result); resources/read -> retrieval (input = resource URI);
 * everything else (lists, prompts/get, initialize, notifications, sessions) -> other.
 * `mcp.method.name`, `mcp.session.id` and `jsonrpc.request.id` are kept as attributes: the MCP session is a transport
 * session (not a conversation, so it is not the step's sessionId) and the JSON-RPC id is not the model's tool-call id.
 */

const METHOD = "mcp.method.name";
const RESOURCE_URI = "mcp.resource.uri";
export const TRACELOOP_MCP_SCOPE = "@traceloop/instrumentation-mcp";

function otelMcp(span: Span): NormalizedStep {
  const step = normalizeGenAi(span, { family: "mcp" });
  const a = span.attributes;
  const r = new AttrReader(a, step.consumed);
  const method = text(a, METHOD)?.trim() ?? "";
  const name = span.name.trim();
  const target = name.startsWith(method + " ") ? name.slice(method.length + 1).trim() || undefined : undefined;
  if (method === "tools/call") {
    step.kind = "tool";
    step.toolName ??= target;
    if (step.toolName !== undefined) step.name = step.toolName;
  } else if (method === "resources/read") {
    step.kind = "retrieval";
    step.input ??= r.take(RESOURCE_URI, text);
  } else {
    step.kind = "other";
  }
  return compact(step);
}

/** `{"tool_name": "x", "arguments": {…}}` -> the arguments as JSON text; anything else unchanged. */
function unwrapToolInput(raw: string): string {
  const v = parseJsonText(raw);
  if (!isObject(v) || !("arguments" in v) || !Object.keys(v).every((k) => k === "tool_name" || k === "arguments")) return raw;
  return asText(v.arguments);
}

/** `{"result": "text", "is_error": false}` -> the result as text; anything else unchanged. */
function unwrapToolOutput(raw: string): string {
  const v = parseJsonText(raw);
  if (!isObject(v) || !("result" in v) || !Object.keys(v).every((k) => k === "result" || k === "is_error")) return raw;
  return asText(v.result);
}

function traceloopMcp(span: Span): NormalizedStep {
  const step = normalizeOpenLLMetry(span, "mcp");
  if (step.kind === "tool") {
    if (step.toolArguments !== undefined) step.toolArguments = unwrapToolInput(step.toolArguments);
    if (step.toolResult !== undefined) step.toolResult = unwrapToolOutput(step.toolResult);
    return step;
  }
  const m = /^(.+)\.mcp$/.exec(span.name);
  if (m) {
    step.name = m[1]!;
    if (m[1] === "resources/read") {
      step.kind = "retrieval";
      const v = step.input === undefined ? undefined : parseJsonText(step.input);
      if (isObject(v) && typeof v.uri === "string") step.input = v.uri;
      return step;
    }
  }
  step.kind = "other";
  return step;
}

export const mcp: ConventionFamily = {
  name: "mcp",
  detect: (span) => METHOD in span.attributes || span.scope.name === TRACELOOP_MCP_SCOPE,
  normalize: (span) => (METHOD in span.attributes ? otelMcp(span) : traceloopMcp(span)),
};
