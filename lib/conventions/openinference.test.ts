import assert from "node:assert/strict";
import { test } from "node:test";
import { openinference } from "@/lib/conventions/openinference";
import { remainingAttributes } from "@/lib/conventions/types";
import { buildSpan as baseSpan, scope } from "@/lib/conventions/test-builders";
import type { Attributes, Span } from "@/lib/otlp/types";

const SCOPE = "@arizeai/openinference-instrumentation-openai-agents";

/** A child span (roots are opted into with parentSpanId: null) of the family's usual scope. */
function buildSpan(partial: Partial<Span> & { attributes: Attributes }): Span {
  return baseSpan({ parentSpanId: "b7ad6b7169203331", scope: scope(SCOPE), ...partial });
}

test("detect: span kind attribute or an OpenInference scope", () => {
  assert.equal(openinference.detect(buildSpan({ attributes: { "openinference.span.kind": "LLM" }, scope: scope("x") })), true);
  assert.equal(openinference.detect(buildSpan({ attributes: {} })), true);
  assert.equal(openinference.detect(buildSpan({ attributes: { "gen_ai.operation.name": "chat" }, scope: scope("ai") })), false);
});

test("span kinds map to step kinds, case-insensitively; unknown kinds are other", () => {
  const kinds = [
    "LLM",
    "TOOL",
    "AGENT",
    "CHAIN",
    "RETRIEVER",
    "RERANKER",
    "EMBEDDING",
    "GUARDRAIL",
    "EVALUATOR",
    "PROMPT",
    "llm",
    "UNKNOWN",
    "",
  ];
  assert.deepEqual(
    kinds.map((k) => openinference.normalize(buildSpan({ attributes: { "openinference.span.kind": k } })).kind),
    [
      "llm",
      "tool",
      "agent",
      "chain",
      "retrieval",
      "retrieval",
      "retrieval",
      "guardrail",
      "other",
      "other",
      "llm",
      "other",
      "other",
    ],
  );
});

// Attributes as emitted by @arizeai/openinference-instrumentation-openai-agents (chat_completions transport).
const generation: Attributes = {
  "openinference.span.kind": "LLM",
  "llm.system": "openai",
  "llm.model_name": "gpt-4o-mini",
  "llm.invocation_parameters": '{"temperature":0.2,"max_tokens":512}',
  "input.value": "[...]",
  "input.mime_type": "application/json",
  "llm.input_messages.0.message.role": "system",
  "llm.input_messages.0.message.content": "Route the user.",
  "llm.input_messages.1.message.role": "user",
  "llm.input_messages.1.message.content": "Refund order A1",
  "llm.input_messages.2.message.role": "assistant",
  "llm.input_messages.2.message.tool_calls.0.tool_call.id": "call_1",
  "llm.input_messages.2.message.tool_calls.0.tool_call.function.name": "lookup_order",
  "llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments": '{"order_id":"A1"}',
  "llm.input_messages.3.message.role": "tool",
  "llm.input_messages.3.message.content": "order A1: paid",
  "llm.input_messages.3.message.tool_call_id": "call_1",
  "output.value": "[...]",
  "output.mime_type": "application/json",
  "llm.output_messages.0.message.role": "assistant",
  "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_2",
  "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "transfer_to_Billing_agent",
  "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": "{}",
  "llm.output_messages.0.message.tool_calls.1.tool_call.function.name": "lookup_order",
  "llm.output_messages.0.message.tool_calls.1.tool_call.function.arguments": '{"order_id":"A2"}',
  "llm.finish_reason": "tool_calls",
  "llm.token_count.prompt": 20,
  "llm.token_count.completion": "3",
  "llm.token_count.total": 23,
  "llm.token_count.prompt_details.cache_read": 0,
  "llm.tools.0.tool.json_schema": '{"type":"function","function":{"name":"lookup_order"}}',
  "llm.tools.1.tool.json_schema": '{"type":"function","function":{"name":"transfer_to_Billing_agent"}}',
};

test("LLM span: model, provider, tokens (numbers and strings), parameters, tools, finish reason", () => {
  const step = openinference.normalize(buildSpan({ name: "generation", attributes: generation }));
  assert.equal(step.family, "openinference");
  assert.equal(step.kind, "llm");
  assert.equal(step.name, "generation");
  assert.equal(step.model, "gpt-4o-mini");
  assert.equal(step.provider, "openai");
  assert.equal(step.inputTokens, 20);
  assert.equal(step.outputTokens, 3);
  assert.equal(step.totalTokens, 23);
  assert.deepEqual(step.parameters, { temperature: 0.2, max_tokens: 512 });
  assert.deepEqual(step.tools, [
    { type: "function", function: { name: "lookup_order" } },
    { type: "function", function: { name: "transfer_to_Billing_agent" } },
  ]);
  assert.equal(step.finishReason, "tool_calls");
});

test("LLM span: input messages keep tool results with their tool_call_id; output carries decisions with and without ids", () => {
  const step = openinference.normalize(buildSpan({ name: "generation", attributes: generation }));
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "Route the user." },
    { role: "user", content: "Refund order A1" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "lookup_order", arguments: '{"order_id":"A1"}' }] },
    { role: "tool", content: "order A1: paid", toolCallId: "call_1" },
  ]);
  assert.deepEqual(step.outputMessages, [
    {
      role: "assistant",
      content: null,
      toolCalls: [
        { id: "call_2", name: "transfer_to_Billing_agent", arguments: "{}" },
        { id: null, name: "lookup_order", arguments: '{"order_id":"A2"}' },
      ],
    },
  ]);
  // Raw request/response JSON and unmodelled details stay visible; everything parsed is consumed.
  // (llm.system is the provider here: there is no llm.provider.)
  assert.deepEqual(remainingAttributes(generation, step.consumed), {
    "input.value": "[...]",
    "input.mime_type": "application/json",
    "output.value": "[...]",
    "output.mime_type": "application/json",
    "llm.token_count.prompt_details.cache_read": 0,
  });
});

test("LLM span: provider prefers llm.provider over llm.system; multi-part text contents join; images stay structured", () => {
  const step = openinference.normalize(
    buildSpan({
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.system": "openai",
        "llm.provider": "azure",
        "llm.response.model_name": "gpt-4o-2024-08-06",
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.contents.0.message_content.type": "text",
        "llm.input_messages.0.message.contents.0.message_content.text": "What is in",
        "llm.input_messages.0.message.contents.1.message_content.type": "text",
        "llm.input_messages.0.message.contents.1.message_content.text": "this picture?",
        "llm.input_messages.1.message.role": "User",
        "llm.input_messages.1.message.contents.0.message_content.type": "image",
        "llm.input_messages.1.message.contents.0.message_content.image.image.url": "https://x/cat.png",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.contents.0.message_content.type": "text",
        "llm.output_messages.0.message.contents.0.message_content.text": "A cat.",
      },
    }),
  );
  assert.equal(step.provider, "azure");
  assert.equal(step.model, "gpt-4o-2024-08-06");
  assert.deepEqual(step.inputMessages, [
    { role: "user", content: "What is in\nthis picture?" },
    { role: "user", content: [{ type: "image", "image.image.url": "https://x/cat.png" }] },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "A cat." }]);
  assert.equal(step.consumed.has("llm.system"), false);
});

test("LLM span: legacy function_call attributes become a tool call without id", () => {
  const step = openinference.normalize(
    buildSpan({
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.function_call_name": "get_weather",
        "llm.output_messages.0.message.function_call_arguments_json": '{"city":"Paris"}',
        "llm.input_messages.0.message.role": "function",
        "llm.input_messages.0.message.name": "get_weather",
        "llm.input_messages.0.message.content": "21C",
      },
    }),
  );
  assert.deepEqual(step.outputMessages, [
    {
      role: "assistant",
      content: null,
      toolCalls: [{ id: null, name: "get_weather", arguments: '{"city":"Paris"}' }],
      name: "get_weather",
    },
  ]);
  assert.deepEqual(step.inputMessages, [{ role: "function", content: "21C", name: "get_weather" }]);
});

test("LLM span without structured messages keeps the raw input/output; a JSON list under the prefix is read too", () => {
  const raw = openinference.normalize(
    buildSpan({
      attributes: {
        "openinference.span.kind": "LLM",
        "input.value": "Say hi",
        "input.mime_type": "text/plain",
        "output.value": "hi",
      },
    }),
  );
  assert.equal(raw.inputMessages, undefined);
  assert.equal(raw.input, "Say hi");
  assert.equal(raw.output, "hi");

  const listed = openinference.normalize(
    buildSpan({
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.input_messages": JSON.stringify([
          { message: { role: "user", content: "hi" } },
          { role: "tool", content: "ok", tool_call_id: "t1" },
        ]),
      },
    }),
  );
  assert.deepEqual(listed.inputMessages, [
    { role: "user", content: "hi" },
    { role: "tool", content: "ok", toolCallId: "t1" },
  ]);
  assert.ok(listed.consumed.has("llm.input_messages"));
});

test("TOOL span: name, arguments and result from input/output values; tool_call.id or tool.id when present", () => {
  const attrs: Attributes = {
    "openinference.span.kind": "TOOL",
    "llm.system": "openai",
    "tool.name": "lookup_order",
    "tool.description": "Look up an order",
    "input.value": '{"order_id":"A1"}',
    "input.mime_type": "application/json",
    "output.value": "order A1: paid",
  };
  const step = openinference.normalize(buildSpan({ name: "lookup_order", attributes: attrs }));
  assert.equal(step.kind, "tool");
  assert.equal(step.toolName, "lookup_order");
  assert.equal(step.toolCallId, undefined);
  assert.equal(step.toolArguments, '{"order_id":"A1"}');
  assert.equal(step.toolResult, "order A1: paid");
  assert.equal(step.provider, undefined);
  assert.deepEqual(remainingAttributes(attrs, step.consumed), { "llm.system": "openai", "tool.description": "Look up an order" });

  const withId = openinference.normalize(
    buildSpan({ attributes: { "openinference.span.kind": "TOOL", "tool.name": "search", "tool_call.id": "call_9" } }),
  );
  assert.equal(withId.toolCallId, "call_9");
  const withToolId = openinference.normalize(
    buildSpan({ attributes: { "openinference.span.kind": "TOOL", "tool.name": "search", "tool.id": "call_8" } }),
  );
  assert.equal(withToolId.toolCallId, "call_8");
});

test("OpenAI Agents handoff span becomes an agent step with handoffTo and the source agent", () => {
  const attrs: Attributes = {
    "openinference.span.kind": "TOOL",
    "llm.system": "openai",
    "tool.name": "handoff_to_Billing agent",
    "output.value": '{"to_agent":"Billing agent"}',
    "output.mime_type": "application/json",
    "input.value": '{"from_agent":"Triage"}',
    "input.mime_type": "application/json",
  };
  const step = openinference.normalize(buildSpan({ name: "handoff to Billing agent", attributes: attrs }));
  assert.equal(step.kind, "agent");
  assert.equal(step.handoffTo, "Billing agent");
  assert.equal(step.agentName, "Triage");
  assert.equal(step.toolName, undefined);
  assert.deepEqual(remainingAttributes(attrs, step.consumed), { "llm.system": "openai" });

  // Without the I/O attributes the span name still names the target.
  const bare = openinference.normalize(
    buildSpan({ name: "handoff to Refunds", attributes: { "openinference.span.kind": "TOOL" } }),
  );
  assert.equal(bare.handoffTo, "Refunds");
  assert.equal(bare.agentName, undefined);
});

test("AGENT spans name their agent (agent.name, else graph.node.id, else span name); graph attributes are kept", () => {
  const attrs: Attributes = {
    "openinference.span.kind": "AGENT",
    "llm.system": "openai",
    "graph.node.id": "Billing agent",
    "graph.node.parent_id": "Triage",
  };
  const step = openinference.normalize(buildSpan({ name: "Billing agent", attributes: attrs }));
  assert.equal(step.kind, "agent");
  assert.equal(step.agentName, "Billing agent");
  assert.equal(step.handoffTo, undefined);
  assert.deepEqual(remainingAttributes(attrs, step.consumed), {
    "llm.system": "openai",
    "graph.node.id": "Billing agent",
    "graph.node.parent_id": "Triage",
  });

  const named = openinference.normalize(
    buildSpan({ name: "x", attributes: { "openinference.span.kind": "AGENT", "agent.name": "planner" } }),
  );
  assert.equal(named.agentName, "planner");
  const byName = openinference.normalize(buildSpan({ name: "Writer", attributes: { "openinference.span.kind": "AGENT" } }));
  assert.equal(byName.agentName, "Writer");
});

test("root AGENT/CHAIN spans suggest the run name and carry raw input/output", () => {
  const step = openinference.normalize(
    buildSpan({
      name: "Agent workflow",
      parentSpanId: null,
      attributes: {
        "openinference.span.kind": "AGENT",
        "input.value": "[{}]",
        "input.mime_type": "application/json",
        "output.value": "Refund issued.",
      },
    }),
  );
  assert.equal(step.runName, "Agent workflow");
  assert.equal(step.input, "[{}]");
  assert.equal(step.output, "Refund issued.");
  assert.ok(step.consumed.has("input.mime_type"));
  const child = openinference.normalize(buildSpan({ name: "turn", attributes: { "openinference.span.kind": "CHAIN" } }));
  assert.equal(child.kind, "chain");
  assert.equal(child.runName, undefined);
});

test("GUARDRAIL span: guardrail name, triggered flag kept as evidence", () => {
  const attrs: Attributes = { "openinference.span.kind": "GUARDRAIL", "tool.name": "no_pii", "guardrail.triggered": true };
  const step = openinference.normalize(buildSpan({ name: "no_pii", attributes: attrs }));
  assert.equal(step.kind, "guardrail");
  assert.equal(step.name, "no_pii");
  assert.deepEqual(remainingAttributes(attrs, step.consumed), { "guardrail.triggered": true });
});

test("sessions: session.id, else a session-like key in metadata JSON", () => {
  assert.equal(
    openinference.normalize(
      buildSpan({ attributes: { "openinference.span.kind": "CHAIN", "session.id": "s-1", "user.id": "u" } }),
    ).sessionId,
    "s-1",
  );
  const meta = openinference.normalize(
    buildSpan({ attributes: { "openinference.span.kind": "CHAIN", metadata: '{"thread_id":"t-7","x":1}' } }),
  );
  assert.equal(meta.sessionId, "t-7");
  assert.equal(meta.consumed.has("metadata"), false);
});

test("retrieval spans: embedding model and tokens", () => {
  const step = openinference.normalize(
    buildSpan({
      attributes: {
        "openinference.span.kind": "EMBEDDING",
        "embedding.model_name": "text-embedding-3-small",
        "llm.token_count.prompt": 8,
        "input.value": "hello",
      },
    }),
  );
  assert.equal(step.kind, "retrieval");
  assert.equal(step.model, "text-embedding-3-small");
  assert.equal(step.inputTokens, 8);
  assert.equal(step.input, "hello");
});

test("malformed values never throw: wrong types, invalid JSON, negative tokens, holes in indexes", () => {
  const attrs: Attributes = {
    "openinference.span.kind": "LLM",
    "llm.invocation_parameters": "{not json",
    "llm.token_count.prompt": "many",
    "llm.token_count.completion": -4,
    "llm.token_count.total": 1e12,
    "llm.finish_reason": 7,
    "llm.input_messages.3.message.role": "user",
    "llm.input_messages.3.message.content": 42,
    "llm.input_messages.x.message.role": "bogus",
    "llm.input_messages.5.message.tool_calls.0.tool_call.id": ["weird"],
    "llm.output_messages.0.message.contents.0.message_content.text": null,
    "llm.tools.0.tool.json_schema": "{broken",
    metadata: "[1,2]",
    "session.id": null,
  };
  const step = openinference.normalize(buildSpan({ attributes: attrs }));
  assert.equal(step.parameters, undefined);
  assert.equal(step.consumed.has("llm.invocation_parameters"), false);
  assert.equal(step.inputTokens, undefined);
  assert.equal(step.outputTokens, undefined);
  assert.equal(step.totalTokens, undefined);
  assert.equal(step.finishReason, "7");
  assert.deepEqual(step.inputMessages, [
    { role: "user", content: "42" },
    { role: "user", content: null, toolCalls: [{ id: '["weird"]', name: "", arguments: "" }] },
  ]);
  assert.deepEqual(step.tools, ["{broken"]);
  assert.equal(step.sessionId, undefined);
});

test("Responses API text parts (input_text / output_text) read as plain text", () => {
  const step = openinference.normalize(
    buildSpan({
      name: "OpenAI Responses",
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.contents.0.message_content.type": "output_text",
        "llm.output_messages.0.message.contents.0.message_content.text": "It is 18°C and cloudy in Paris.",
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.contents.0.message_content.type": "input_text",
        "llm.input_messages.0.message.contents.0.message_content.text": "Weather in Paris?",
      },
    }),
  );
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "It is 18°C and cloudy in Paris." }]);
  assert.deepEqual(step.inputMessages, [{ role: "user", content: "Weather in Paris?" }]);
});
