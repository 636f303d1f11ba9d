import assert from "node:assert/strict";
import { test } from "node:test";
import { genai } from "@/lib/conventions/genai";
import { remainingAttributes } from "@/lib/conventions/types";
import { buildEvent, buildSpan, scope } from "@/lib/conventions/test-builders";

// Shapes below are copied from what real emitters produce: @traceloop/instrumentation-utils formatters
// (OTel 1.40 JSON parts), opentelemetry-python-contrib openai-agents-v2 (tool/agent/handoff spans),
// Azure SDK tracing (span events with gen_ai.event.content), OTel semconv ≤ 1.27 (indexed attributes).

const ANTHROPIC_CHAT = {
  "gen_ai.provider.name": "anthropic",
  "gen_ai.operation.name": "chat",
  "gen_ai.request.model": "claude-sonnet-4-5",
  "gen_ai.request.temperature": 0.5,
  "gen_ai.request.max_tokens": 1024,
  "gen_ai.system_instructions": '[{"type":"text","content":"You are a travel agent."}]',
  "gen_ai.input.messages":
    '[{"role":"user","parts":[{"type":"text","content":"Book a flight to Rome"}]},' +
    '{"role":"assistant","parts":[{"type":"text","content":"Let me search."},{"type":"tool_call","id":"toolu_01","name":"search_flights","arguments":{"to":"FCO"}}]},' +
    '{"role":"user","parts":[{"type":"tool_call_response","id":"toolu_01","response":[{"type":"text","text":"AZ610 09:05"}]},{"type":"text","content":"Pick the earliest."}]}]',
  "gen_ai.output.messages":
    '[{"role":"assistant","finish_reason":"tool_call","parts":[{"type":"reasoning","content":"The earliest is AZ610."},{"type":"text","content":"Booking."},{"type":"tool_call","id":"toolu_02","name":"book","arguments":{"flight":"AZ610"}}]}]',
  "gen_ai.response.model": "claude-sonnet-4-5-20250929",
  "gen_ai.response.id": "msg_01",
  "gen_ai.response.finish_reasons": ["tool_call"],
  "gen_ai.usage.input_tokens": 120,
  "gen_ai.usage.output_tokens": 30,
  "gen_ai.usage.cache_read.input_tokens": 100,
  "server.address": "api.anthropic.com",
};

test("current form (JSON text): kind, model, provider, tokens, system instructions, split tool results, decisions", () => {
  const span = buildSpan({
    name: "chat claude-sonnet-4-5",
    kind: 3,
    scope: scope("@example/genai-anthropic"),
    attributes: ANTHROPIC_CHAT,
  });
  assert.equal(genai.detect(span), true);
  const step = genai.normalize(span);
  assert.equal(step.family, "genai");
  assert.equal(step.kind, "llm");
  assert.equal(step.name, "chat claude-sonnet-4-5");
  assert.equal(step.provider, "anthropic");
  assert.equal(step.model, "claude-sonnet-4-5-20250929");
  assert.equal(step.inputTokens, 120);
  assert.equal(step.outputTokens, 30);
  assert.equal(step.totalTokens, 150);
  assert.deepEqual(step.parameters, { temperature: 0.5, max_tokens: 1024 });
  assert.equal(step.finishReason, "tool_calls");
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "You are a travel agent." },
    { role: "user", content: "Book a flight to Rome" },
    {
      role: "assistant",
      content: "Let me search.",
      toolCalls: [{ id: "toolu_01", name: "search_flights", arguments: '{"to":"FCO"}' }],
    },
    { role: "tool", content: "AZ610 09:05", toolCallId: "toolu_01" },
    { role: "user", content: "Pick the earliest." },
  ]);
  assert.deepEqual(step.outputMessages, [
    {
      role: "assistant",
      content: [
        { type: "reasoning", content: "The earliest is AZ610." },
        { type: "text", content: "Booking." },
      ],
      toolCalls: [{ id: "toolu_02", name: "book", arguments: '{"flight":"AZ610"}' }],
    },
  ]);
  // The differing request model, response id, cache tokens, server address and operation name stay attributes.
  assert.deepEqual(Object.keys(remainingAttributes(span.attributes, step.consumed)).sort(), [
    "gen_ai.operation.name",
    "gen_ai.request.model",
    "gen_ai.response.id",
    "gen_ai.usage.cache_read.input_tokens",
    "server.address",
  ]);
});

test("current form (structured values), old token names as strings, provider from gen_ai.system", () => {
  const span = buildSpan({
    name: "chat gpt-4o",
    attributes: {
      "gen_ai.system": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.prompt_tokens": "50",
      "gen_ai.usage.completion_tokens": "10",
      "gen_ai.input.messages": [
        { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
        { role: "assistant", parts: [{ type: "tool_call", name: "get_weather", arguments: { city: "Paris" } }] },
        { role: "tool", parts: [{ type: "tool_call_response", response: { temp: 21 } }] },
      ],
      "gen_ai.output.messages": [
        { role: "assistant", finish_reason: "stop", parts: [{ type: "text", content: "21°C and sunny." }] },
      ],
    },
  });
  const step = genai.normalize(span);
  assert.equal(step.kind, "llm");
  assert.equal(step.provider, "openai");
  assert.equal(step.model, "gpt-4o");
  assert.equal(step.inputTokens, 50);
  assert.equal(step.outputTokens, 10);
  assert.equal(step.totalTokens, 60);
  assert.equal(step.finishReason, "stop");
  assert.deepEqual(step.inputMessages, [
    { role: "user", content: "Weather in Paris?" },
    // No ids from this emitter: null, never invented.
    { role: "assistant", content: null, toolCalls: [{ id: null, name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: '{"temp":21}' },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "21°C and sunny." }]);
  assert.ok(step.consumed.has("gen_ai.system") && step.consumed.has("gen_ai.usage.prompt_tokens"));
});

test("operation-details event carries the current-form messages", () => {
  const span = buildSpan({
    name: "chat gpt-4o-mini",
    attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini" },
    events: [
      buildEvent("gen_ai.client.inference.operation.details", {
        "gen_ai.system_instructions": [{ type: "text", content: "Be brief." }],
        "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: "Hi" }] }],
        "gen_ai.output.messages": [{ role: "assistant", finish_reason: "length", parts: [{ type: "text", content: "Hel" }] }],
      }),
    ],
  });
  const step = genai.normalize(span);
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hi" },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "Hel" }]);
  assert.equal(step.finishReason, "length");
});

test("older event form: body as event attributes, tool calls with ids, tool message id, choice", () => {
  const span = buildSpan({
    name: "chat gpt-4o",
    attributes: { "gen_ai.system": "openai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" },
    events: [
      buildEvent("gen_ai.system.message", { "gen_ai.system": "openai", content: "You are helpful." }),
      buildEvent("gen_ai.user.message", { "gen_ai.system": "openai", content: "Weather in Paris?" }),
      buildEvent("gen_ai.assistant.message", {
        "gen_ai.system": "openai",
        tool_calls:
          '[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Paris\\"}"}}]',
      }),
      buildEvent("gen_ai.tool.message", { "gen_ai.system": "openai", content: "sunny", id: "call_1" }),
      buildEvent("gen_ai.choice", {
        "gen_ai.system": "openai",
        index: 0,
        finish_reason: "tool_calls",
        message:
          '{"role":"assistant","tool_calls":[{"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]}',
      }),
    ],
  });
  assert.equal(genai.detect(span), true);
  const step = genai.normalize(span);
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "You are helpful." },
    { role: "user", content: "Weather in Paris?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city": "Paris"}' }] },
    { role: "tool", content: "sunny", toolCallId: "call_1" },
  ]);
  assert.deepEqual(step.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: "call_2", name: "get_time", arguments: "{}" }] },
  ]);
  assert.equal(step.finishReason, "tool_calls");
});

test("older event form: body as JSON in gen_ai.event.content (Azure SDK), choices ordered by index", () => {
  const span = buildSpan({
    name: "chat gpt-4o",
    attributes: { "gen_ai.system": "az.ai.inference", "gen_ai.operation.name": "chat" },
    events: [
      buildEvent("gen_ai.user.message", {
        "gen_ai.system": "az.ai.inference",
        "gen_ai.event.content": '{"role":"user","content":"Hello"}',
      }),
      buildEvent("gen_ai.choice", {
        "gen_ai.event.content": '{"finish_reason":"stop","index":1,"message":{"content":"Second"}}',
      }),
      buildEvent("gen_ai.choice", { "gen_ai.event.content": '{"finish_reason":"stop","index":0,"message":{"content":"First"}}' }),
    ],
  });
  const step = genai.normalize(span);
  assert.deepEqual(step.inputMessages, [{ role: "user", content: "Hello" }]);
  assert.deepEqual(step.outputMessages, [
    { role: "assistant", content: "First" },
    { role: "assistant", content: "Second" },
  ]);
  assert.equal(step.finishReason, "stop");
  assert.equal(step.provider, "az.ai.inference");
});

test("oldest indexed form: tool calls with and without ids, tool_call_id, Cohere's .user, finish reason", () => {
  const attributes = {
    "gen_ai.system": "TogetherAI",
    "llm.request.type": "chat",
    "gen_ai.request.model": "meta-llama/Llama-3-70b",
    "gen_ai.prompt.0.role": "user",
    "gen_ai.prompt.0.content": "Weather in Paris and Rome?",
    "gen_ai.prompt.1.role": "assistant",
    "gen_ai.prompt.1.content": "",
    "gen_ai.prompt.1.tool_calls.0.id": "call_p",
    "gen_ai.prompt.1.tool_calls.0.name": "get_weather",
    "gen_ai.prompt.1.tool_calls.0.arguments": '{"city":"Paris"}',
    "gen_ai.prompt.2.role": "tool",
    "gen_ai.prompt.2.content": "sunny",
    "gen_ai.prompt.2.tool_call_id": "call_p",
    "gen_ai.prompt.3.role": "user",
    "gen_ai.prompt.3.user": "And Rome?",
    "gen_ai.completion.0.finish_reason": "tool_calls",
    "gen_ai.completion.0.role": "assistant",
    "gen_ai.completion.0.content": "",
    // Together writes the first call twice: as function_call.* and as tool_calls.0.* (without ids).
    "gen_ai.completion.0.function_call.name": "get_weather",
    "gen_ai.completion.0.function_call.arguments": '{"city":"Rome"}',
    "gen_ai.completion.0.tool_calls.0.name": "get_weather",
    "gen_ai.completion.0.tool_calls.0.arguments": '{"city":"Rome"}',
    "gen_ai.completion.0.relevanceScore": 0.5,
    "gen_ai.usage.prompt_tokens": 70,
    "gen_ai.usage.completion_tokens": 12,
  };
  const span = buildSpan({ name: "together.chat", attributes });
  const step = genai.normalize(span);
  assert.equal(step.kind, "llm");
  assert.deepEqual(step.inputMessages, [
    { role: "user", content: "Weather in Paris and Rome?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_p", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: "sunny", toolCallId: "call_p" },
    { role: "user", content: "And Rome?" },
  ]);
  assert.deepEqual(step.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: null, name: "get_weather", arguments: '{"city":"Rome"}' }] },
  ]);
  assert.equal(step.finishReason, "tool_calls");
  assert.equal(step.totalTokens, 82);
  const rest = remainingAttributes(span.attributes, step.consumed);
  assert.deepEqual(Object.keys(rest).sort(), ["gen_ai.completion.0.relevanceScore", "llm.request.type"]);
});

test("indexed content that is JSON of content blocks becomes parts; plain JSON-looking text stays text", () => {
  const span = buildSpan({
    name: "chat",
    attributes: {
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.prompt.0.role": "user",
      "gen_ai.prompt.0.content": '[{"type":"text","text":"Describe"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]',
      "gen_ai.prompt.1.role": "user",
      "gen_ai.prompt.1.content": "[1, 2, 3] is a list",
    },
  });
  const step = genai.normalize(span);
  assert.deepEqual(step.inputMessages, [
    {
      role: "user",
      content: [
        { type: "text", text: "Describe" },
        { type: "image_url", image_url: { url: "https://x/y.png" } },
      ],
    },
    { role: "user", content: "[1, 2, 3] is a list" },
  ]);
});

test("tool span: name, call id, arguments (structured) and result; kind from the operation", () => {
  const span = buildSpan({
    name: "execute_tool get_weather",
    attributes: {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.provider.name": "openai",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.type": "function",
      "gen_ai.tool.description": "Current weather",
      "gen_ai.tool.call.id": "call_abc",
      "gen_ai.tool.call.arguments": { city: "Paris" },
      "gen_ai.tool.call.result": '{"temp": 21}',
      "gen_ai.agent.name": "Weather agent",
      "gen_ai.agent.id": "unknown",
    },
  });
  const step = genai.normalize(span);
  assert.equal(step.kind, "tool");
  assert.equal(step.name, "get_weather");
  assert.equal(step.toolName, "get_weather");
  assert.equal(step.toolCallId, "call_abc");
  assert.equal(step.toolArguments, '{"city":"Paris"}');
  assert.equal(step.toolResult, '{"temp": 21}');
  assert.equal(step.agentName, "Weather agent");
  assert.deepEqual(Object.keys(remainingAttributes(span.attributes, step.consumed)).sort(), [
    "gen_ai.agent.id",
    "gen_ai.operation.name",
    "gen_ai.tool.description",
    "gen_ai.tool.type",
  ]);
});

test("tool span without id and without gen_ai.tool.name: name from the span name, id stays absent", () => {
  const step = genai.normalize(
    buildSpan({
      name: "execute_tool search_web",
      attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.call.arguments": '{"q":"otel"}' },
    }),
  );
  assert.equal(step.kind, "tool");
  assert.equal(step.toolName, "search_web");
  assert.equal(step.name, "search_web");
  assert.equal(step.toolCallId, undefined);
  assert.equal(step.toolArguments, '{"q":"otel"}');
});

test("agent spans: invoke_agent names the run, conversation id is the session; create_agent does not name the run", () => {
  const invoke = genai.normalize(
    buildSpan({
      name: "invoke_agent Travel planner",
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": "Travel planner",
        "gen_ai.agent.id": "asst_1",
        "gen_ai.conversation.id": "conv_42",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
      },
    }),
  );
  assert.equal(invoke.kind, "agent");
  assert.equal(invoke.agentName, "Travel planner");
  assert.equal(invoke.runName, "Travel planner");
  assert.equal(invoke.sessionId, "conv_42");
  assert.equal(invoke.model, "gpt-4o");
  assert.ok(invoke.consumed.has("gen_ai.conversation.id"));
  assert.ok(!invoke.consumed.has("gen_ai.agent.id"));

  const create = genai.normalize(
    buildSpan({ name: "create_agent Math tutor", attributes: { "gen_ai.operation.name": "create_agent" } }),
  );
  assert.equal(create.kind, "agent");
  assert.equal(create.agentName, "Math tutor");
  assert.equal(create.runName, undefined);
});

test("handoff span: from agent -> agentName, to agent -> handoffTo", () => {
  const step = genai.normalize(
    buildSpan({
      name: "handoff",
      attributes: {
        "gen_ai.operation.name": "handoff",
        "gen_ai.provider.name": "openai",
        "gen_ai.handoff.from_agent": "Triage",
        "gen_ai.handoff.to_agent": "Billing",
      },
    }),
  );
  assert.equal(step.kind, "agent");
  assert.equal(step.agentName, "Triage");
  assert.equal(step.handoffTo, "Billing");
  assert.ok(step.consumed.has("gen_ai.handoff.from_agent") && step.consumed.has("gen_ai.handoff.to_agent"));
});

test("workflow, embeddings, retrieval, guardrail and unknown operations", () => {
  const wf = genai.normalize(
    buildSpan({ name: "invoke_workflow checkout", attributes: { "gen_ai.operation.name": "invoke_workflow" } }),
  );
  assert.equal(wf.kind, "chain");
  assert.equal(wf.runName, "checkout");
  const wfNamed = genai.normalize(
    buildSpan({
      name: "invoke_workflow",
      attributes: { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "support_pipeline" },
    }),
  );
  assert.equal(wfNamed.runName, "support_pipeline");
  assert.ok(wfNamed.consumed.has("gen_ai.workflow.name"));

  const emb = genai.normalize(
    buildSpan({
      name: "embeddings text-embedding-3-small",
      attributes: {
        "gen_ai.operation.name": "embeddings",
        "gen_ai.request.model": "text-embedding-3-small",
        "gen_ai.usage.input_tokens": 8,
      },
    }),
  );
  assert.equal(emb.kind, "retrieval");
  assert.equal(emb.model, "text-embedding-3-small");
  assert.equal(emb.inputTokens, 8);
  assert.equal(emb.totalTokens, undefined);

  const ret = genai.normalize(
    buildSpan({
      name: "retrieval",
      attributes: { "gen_ai.operation.name": "retrieval", "gen_ai.retrieval.query.text": "refund policy" },
    }),
  );
  assert.equal(ret.kind, "retrieval");
  assert.equal(ret.input, "refund policy");

  const guard = genai.normalize(
    buildSpan({
      name: "pii.guard",
      attributes: { "gen_ai.operation.name": "guard", "gen_ai.guardrail.input": "my card is 4111" },
    }),
  );
  assert.equal(guard.kind, "guardrail");
  assert.equal(guard.input, "my card is 4111");

  const image = genai.normalize(
    buildSpan({
      name: "image_generation dall-e-3",
      attributes: { "gen_ai.operation.name": "image_generation", "gen_ai.request.model": "dall-e-3" },
    }),
  );
  assert.equal(image.kind, "other");
  assert.equal(image.model, "dall-e-3");
});

test("kind from the span name when gen_ai.operation.name is missing", () => {
  assert.equal(genai.normalize(buildSpan({ name: "chat gpt-4o", attributes: { "gen_ai.system": "openai" } })).kind, "llm");
  assert.equal(
    genai.normalize(buildSpan({ name: "execute_tool lookup", attributes: { "gen_ai.system": "openai" } })).toolName,
    "lookup",
  );
  // No operation, but a tool call id: a tool.
  assert.equal(genai.normalize(buildSpan({ name: "run", attributes: { "gen_ai.tool.call.id": "c1" } })).kind, "tool");
});

test("finish reason spellings and forms", () => {
  const reason = (v: unknown) =>
    genai.normalize(
      buildSpan({
        name: "chat m",
        attributes: { "gen_ai.operation.name": "chat", "gen_ai.response.finish_reasons": v as string },
      }),
    ).finishReason;
  assert.equal(reason(["tool-calls"]), "tool_calls");
  assert.equal(reason('["tool_call","stop"]'), "tool_calls");
  assert.equal(reason("TOOL_CALLS"), "tool_calls");
  assert.equal(reason(["", "length"]), "length");
  assert.equal(reason(["content_filter"]), "content_filter");
});

test("malformed values never throw and are not consumed", () => {
  const attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.input.messages": "[{not json",
    "gen_ai.output.messages": 42,
    "gen_ai.system_instructions": true,
    "gen_ai.usage.input_tokens": "abc",
    "gen_ai.usage.output_tokens": -5,
    "gen_ai.response.finish_reasons": 7,
    "gen_ai.tool.definitions": "nope",
    "gen_ai.conversation.id": "",
    "gen_ai.agent.name": null,
  };
  const span = buildSpan({ name: "chat gpt-4o", attributes });
  const step = genai.normalize(span);
  assert.equal(step.kind, "llm");
  assert.equal(step.model, "gpt-4o");
  for (const k of [
    "inputMessages",
    "outputMessages",
    "inputTokens",
    "outputTokens",
    "totalTokens",
    "finishReason",
    "tools",
    "sessionId",
    "agentName",
  ]) {
    assert.equal((step as Record<string, unknown>)[k], undefined, k);
  }
  assert.deepEqual([...step.consumed], ["gen_ai.request.model"]);
});

test("odd message shapes degrade gracefully", () => {
  const step = genai.normalize(
    buildSpan({
      name: "chat m",
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.input.messages": JSON.stringify([
          null,
          7,
          "plain string message",
          { parts: [{ type: "text", content: "no role" }] },
          {
            role: "USER",
            parts: [{ type: "tool_call" }, { type: "blob", modality: "image", mime_type: "image/png", content: "iVBO" }],
          },
          { role: "assistant", parts: [] },
        ]),
        "gen_ai.output.messages": JSON.stringify(["only text output"]),
      },
    }),
  );
  assert.deepEqual(step.inputMessages, [
    { role: "user", content: "plain string message" },
    { role: "user", content: "no role" },
    {
      role: "user",
      content: [{ type: "tool_call" }, { type: "blob", modality: "image", mime_type: "image/png", content: "iVBO" }],
    },
    { role: "assistant", content: null },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "only text output" }]);
  assert.ok(step.consumed.has("gen_ai.input.messages"));
});

test("bytes, bigints and nested values in attributes do not throw", () => {
  const step = genai.normalize(
    buildSpan({
      name: "execute_tool t",
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.call.arguments": { blob: new Uint8Array([1, 2]), n: 5n },
        "gen_ai.usage.input_tokens": 9007199254740993n,
        "gen_ai.tool.call.id": 17,
      },
    }),
  );
  assert.equal(step.toolArguments, '{"blob":"AQI=","n":"5"}');
  assert.equal(step.toolCallId, "17");
  assert.equal(step.inputTokens, undefined);
});

test("tool definitions and old whole-conversation attributes", () => {
  const step = genai.normalize(
    buildSpan({
      name: "chat",
      attributes: {
        "gen_ai.system": "openai",
        "gen_ai.tool.definitions": '[{"type":"function","function":{"name":"get_weather"}}]',
        "gen_ai.prompt": '[{"role":"user","content":"Hi"}]',
        "gen_ai.completion": '[{"role":"assistant","content":"Hello"}]',
      },
    }),
  );
  assert.deepEqual(step.tools, [{ type: "function", function: { name: "get_weather" } }]);
  assert.deepEqual(step.inputMessages, [{ role: "user", content: "Hi" }]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "Hello" }]);
  assert.equal(step.kind, "llm");
});

test("older content events (semconv ≤ 1.27)", () => {
  const step = genai.normalize(
    buildSpan({
      name: "chat gpt-4",
      attributes: { "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4" },
      events: [
        buildEvent("gen_ai.content.prompt", { "gen_ai.prompt": '[{"role":"user","content":"What is 2+2?"}]' }),
        buildEvent("gen_ai.content.completion", { "gen_ai.completion": '[{"role":"assistant","content":"4"}]' }),
      ],
    }),
  );
  assert.deepEqual(step.inputMessages, [{ role: "user", content: "What is 2+2?" }]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "4" }]);
});

test("detect: GenAI markers only; agent name or conversation id alone is not enough", () => {
  assert.equal(genai.detect(buildSpan({ attributes: { "gen_ai.operation.name": "chat" } })), true);
  assert.equal(genai.detect(buildSpan({ attributes: { "gen_ai.system": "openai" } })), true);
  assert.equal(genai.detect(buildSpan({ attributes: { "gen_ai.prompt.0.role": "user" } })), true);
  assert.equal(genai.detect(buildSpan({ events: [buildEvent("gen_ai.user.message", { content: "x" })] })), true);
  assert.equal(
    genai.detect(
      buildSpan({ attributes: { "gen_ai.agent.name": "a", "gen_ai.conversation.id": "c", "http.request.method": "GET" } }),
    ),
    false,
  );
  assert.equal(genai.detect(buildSpan({ attributes: { "http.request.method": "GET" } })), false);
});
