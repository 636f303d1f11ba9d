import assert from "node:assert/strict";
import { test } from "node:test";
import { adk } from "@/lib/conventions/adk";
import { buildSpan as baseSpan, scope } from "@/lib/conventions/test-builders";
import { remainingAttributes } from "@/lib/conventions/types";
import type { Attributes, Span } from "@/lib/otlp/types";

/** Spans as google/adk/telemetry/tracing.py writes them (tracer "gcp.vertex.agent"). */
function buildSpan(partial: Partial<Span> & { attributes: Attributes }): Span {
  return baseSpan({ parentSpanId: "b7ad6b7169203331", scope: scope("gcp.vertex.agent", "1.18.0"), ...partial });
}

// trace_call_llm: _build_llm_request_for_trace (model, config without response_schema, contents) and
// LlmResponse.model_dump_json(exclude_none=True), both snake_case.
const llmRequest = {
  model: "gemini-2.0-flash",
  config: {
    system_instruction: "You are a weather agent.",
    temperature: 0.1,
    tools: [
      { function_declarations: [{ name: "get_weather", description: "Weather for a city", parameters: { type: "OBJECT" } }] },
    ],
  },
  contents: [
    { role: "user", parts: [{ text: "Weather in Paris and Rome?" }] },
    {
      role: "model",
      parts: [
        { function_call: { id: "adk-1", name: "get_weather", args: { city: "Paris" } } },
        { function_call: { id: "adk-2", name: "get_weather", args: { city: "Rome" } } },
      ],
    },
    {
      role: "user",
      parts: [
        { function_response: { id: "adk-1", name: "get_weather", response: { result: "21C" } } },
        { function_response: { id: "adk-2", name: "get_weather", response: { result: "25C" } } },
      ],
    },
  ],
};
const llmResponse = {
  content: { role: "model", parts: [{ text: "Thinking about it", thought: true }, { text: "Paris 21C, Rome 25C." }] },
  finish_reason: "STOP",
  usage_metadata: { prompt_token_count: 52, candidates_token_count: 11, total_token_count: 70 },
};
const callLlm: Attributes = {
  "gen_ai.system": "gcp.vertex.agent",
  "gen_ai.request.model": "gemini-2.0-flash",
  "gcp.vertex.agent.invocation_id": "e-42",
  "gcp.vertex.agent.session_id": "sess-7",
  "gcp.vertex.agent.event_id": "ev-3",
  "gcp.vertex.agent.llm_request": JSON.stringify(llmRequest),
  "gen_ai.request.max_tokens": 1024,
  "gcp.vertex.agent.llm_response": JSON.stringify(llmResponse),
  "gen_ai.usage.input_tokens": 52,
  "gen_ai.usage.output_tokens": 11,
  "gen_ai.response.finish_reasons": ["stop"],
};

test("detect: the gcp.vertex.agent tracer or its attributes; never a plain GenAI span", () => {
  assert.equal(adk.detect(buildSpan({ name: "invoke_agent x", attributes: { "gen_ai.operation.name": "invoke_agent" } })), true);
  assert.equal(adk.detect(buildSpan({ attributes: { "gcp.vertex.agent.llm_request": "{}" }, scope: scope("other") })), true);
  assert.equal(adk.detect(buildSpan({ attributes: { "gen_ai.system": "gcp.vertex.agent" }, scope: scope("other") })), true);
  assert.equal(
    adk.detect(
      buildSpan({
        name: "generate_content gemini-2.0-flash",
        attributes: { "gen_ai.operation.name": "generate_content" },
        scope: scope("opentelemetry.instrumentation.google_genai"),
      }),
    ),
    false,
  );
});

test("call_llm: model, provider from the model, tokens, finish reason, session, parameters, tools", () => {
  const step = adk.normalize(buildSpan({ name: "call_llm", attributes: callLlm }));
  assert.equal(step.family, "adk");
  assert.equal(step.kind, "llm");
  assert.equal(step.model, "gemini-2.0-flash");
  assert.equal(step.provider, "google");
  assert.equal(step.inputTokens, 52);
  assert.equal(step.outputTokens, 11);
  assert.equal(step.finishReason, "stop");
  assert.equal(step.sessionId, "sess-7");
  assert.deepEqual(step.parameters, { temperature: 0.1, max_tokens: 1024 });
  assert.deepEqual(step.tools, [{ name: "get_weather", description: "Weather for a city", parameters: { type: "OBJECT" } }]);
  // The framework marker and ADK's ids stay visible.
  assert.deepEqual(remainingAttributes(callLlm, step.consumed), {
    "gen_ai.system": "gcp.vertex.agent",
    "gcp.vertex.agent.invocation_id": "e-42",
    "gcp.vertex.agent.event_id": "ev-3",
  });
});

test("call_llm: system instruction first, decisions with ids, each function response its own tool message", () => {
  const step = adk.normalize(buildSpan({ name: "call_llm", attributes: callLlm }));
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "You are a weather agent." },
    { role: "user", content: "Weather in Paris and Rome?" },
    {
      role: "model",
      content: null,
      toolCalls: [
        { id: "adk-1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { id: "adk-2", name: "get_weather", arguments: '{"city":"Rome"}' },
      ],
    },
    { role: "tool", content: '{"result":"21C"}', toolCallId: "adk-1", name: "get_weather" },
    { role: "tool", content: '{"result":"25C"}', toolCallId: "adk-2", name: "get_weather" },
  ]);
  assert.deepEqual(step.outputMessages, [
    {
      role: "model",
      content: [
        { type: "reasoning", content: "Thinking about it" },
        { type: "text", content: "Paris 21C, Rome 25C." },
      ],
    },
  ]);
});

test("call_llm without GenAI usage: tokens and finish reason from the response; camelCase (Java/JS ADK) parts", () => {
  const step = adk.normalize(
    buildSpan({
      name: "call_llm",
      attributes: {
        "gcp.vertex.agent.llm_request": JSON.stringify({
          model: "openai/gpt-4o",
          config: { systemInstruction: { parts: [{ text: "Be brief." }] } },
          contents: [{ role: "model", parts: [{ functionCall: { name: "lookup", args: {} } }] }],
        }),
        "gcp.vertex.agent.llm_response": JSON.stringify({
          content: { role: "model", parts: [{ text: "ok" }] },
          finishReason: "MAX_TOKENS",
          usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2, totalTokenCount: 11 },
        }),
      },
    }),
  );
  assert.equal(step.model, "openai/gpt-4o");
  assert.equal(step.provider, "openai");
  assert.equal(step.inputTokens, 9);
  assert.equal(step.outputTokens, 2);
  assert.equal(step.totalTokens, 11);
  assert.equal(step.finishReason, "max_tokens");
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "Be brief." },
    { role: "model", content: null, toolCalls: [{ id: null, name: "lookup", arguments: "{}" }] },
  ]);
});

test("execute_tool: name, call id, arguments and response; placeholders are not values", () => {
  const attrs: Attributes = {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.description": "Weather for a city",
    "gen_ai.tool.name": "get_weather",
    "gen_ai.tool.type": "FunctionTool",
    "gcp.vertex.agent.llm_request": "{}",
    "gcp.vertex.agent.llm_response": "{}",
    "gcp.vertex.agent.tool_call_args": '{"city": "Paris"}',
    "gen_ai.tool.call.id": "adk-1",
    "gcp.vertex.agent.event_id": "ev-4",
    "gcp.vertex.agent.tool_response": '{"result": "21C"}',
  };
  const step = adk.normalize(buildSpan({ name: "execute_tool get_weather", attributes: attrs }));
  assert.equal(step.kind, "tool");
  assert.equal(step.name, "get_weather");
  assert.equal(step.toolName, "get_weather");
  assert.equal(step.toolCallId, "adk-1");
  assert.equal(step.toolArguments, '{"city": "Paris"}');
  assert.equal(step.toolResult, '{"result": "21C"}');
  assert.deepEqual(remainingAttributes(attrs, step.consumed), {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.description": "Weather for a city",
    "gen_ai.tool.type": "FunctionTool",
    "gcp.vertex.agent.event_id": "ev-4",
  });

  const unknown = adk.normalize(
    buildSpan({
      name: "execute_tool get_weather",
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gcp.vertex.agent.tool_call_args": {},
        "gen_ai.tool.call.id": "<not specified>",
        "gcp.vertex.agent.tool_response": "{}",
      },
    }),
  );
  assert.equal(unknown.toolName, "get_weather");
  assert.equal(unknown.toolCallId, undefined);
  assert.equal(unknown.toolArguments, undefined);
  assert.equal(unknown.toolResult, undefined);
  assert.equal(unknown.consumed.has("gen_ai.tool.call.id"), false);
});

test("invoke_agent / agent_run [name] / invocation: agents, session, root chain", () => {
  const agent = adk.normalize(
    buildSpan({
      name: "invoke_agent weather_agent",
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.description": "Answers weather questions",
        "gen_ai.agent.name": "weather_agent",
        "gen_ai.conversation.id": "sess-7",
      },
    }),
  );
  assert.equal(agent.kind, "agent");
  assert.equal(agent.agentName, "weather_agent");
  assert.equal(agent.sessionId, "sess-7");

  const old = adk.normalize(buildSpan({ name: "agent_run [root_agent]", parentSpanId: null, attributes: {} }));
  assert.equal(old.kind, "agent");
  assert.equal(old.agentName, "root_agent");
  assert.equal(old.runName, "root_agent");

  assert.equal(adk.normalize(buildSpan({ name: "invocation", parentSpanId: null, attributes: {} })).kind, "chain");
});

test("malformed values never throw", () => {
  const step = adk.normalize(
    buildSpan({
      name: "call_llm",
      attributes: {
        "gcp.vertex.agent.llm_request": "{broken",
        "gcp.vertex.agent.llm_response": '{"content": 5, "usage_metadata": {"prompt_token_count": "x"}}',
        "gcp.vertex.agent.session_id": 12,
      },
    }),
  );
  assert.equal(step.kind, "llm");
  assert.equal(step.inputMessages, undefined);
  assert.equal(step.outputMessages, undefined);
  assert.equal(step.inputTokens, undefined);
  assert.equal(step.sessionId, "12");
  assert.equal(step.consumed.has("gcp.vertex.agent.llm_request"), false);
  const weird = adk.normalize(
    buildSpan({
      name: "call_llm",
      attributes: {
        "gcp.vertex.agent.llm_request": JSON.stringify({
          contents: [null, { parts: "x" }, { role: "user", parts: [7, { inline_data: {} }] }],
          config: [],
        }),
      },
    }),
  );
  assert.deepEqual(weird.inputMessages, [
    { role: "user", content: null },
    { role: "user", content: [7, { inline_data: {} }] },
  ]);
});
