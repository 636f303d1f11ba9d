import assert from "node:assert/strict";
import { test } from "node:test";
import { genai } from "@/lib/conventions/genai";
import { normalizeSpan } from "@/lib/conventions";
import { buildEvent, buildSpan, scope } from "@/lib/conventions/test-builders";
import { remainingAttributes } from "@/lib/conventions/types";
import { vercelAi } from "@/lib/conventions/vercel-ai";
import type { Attributes, Span } from "@/lib/otlp/types";

/**
 * AI SDK 7 + @ai-sdk/otel, attributes as ai@7.0.173 / @ai-sdk/otel@1.0.173 export them (ToolLoopAgent with
 * functionId "weather-agent", runtime context { sessionId } opted in, MockLanguageModelV4, one get_weather call):
 *
 *   invoke_agent mock-model-id
 *   ├─ step 1 ── chat mock-model-id (decides call_1), execute_tool get_weather
 *   └─ step 2 ── chat mock-model-id (answers)
 */

const TOOLS =
  '[{"type":"function","name":"get_weather","inputSchema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"description":"Current weather"}]';
const SYSTEM = '[{"type":"text","content":"You are a weather assistant."}]';
const PROMPT = '{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]}';
const CALL =
  '{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris"}}]}';
const RESULT =
  '{"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":{"city":"Paris","temperature_c":18}}]}';

const rootAttrs: Attributes = {
  "gen_ai.operation.name": "invoke_agent",
  "gen_ai.provider.name": "mock-provider",
  "gen_ai.request.model": "mock-model-id",
  "gen_ai.agent.name": "weather-agent",
  "gen_ai.system_instructions": SYSTEM,
  "gen_ai.input.messages": `[${PROMPT}]`,
  "ai.settings.context.sessionId": "s1",
  "gen_ai.response.finish_reasons": ["stop"],
  "gen_ai.usage.input_tokens": 76,
  "gen_ai.usage.output_tokens": 16,
  "gen_ai.output.messages":
    '[{"role":"assistant","parts":[{"type":"text","content":"It is 18C."},{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris"}},{"type":"tool_call_response","id":"call_1","response":{"city":"Paris","temperature_c":18}}],"finish_reason":"stop"}]',
};
const stepAttrs: Attributes = { "gen_ai.operation.name": "agent_step", "ai.settings.context.sessionId": "s1" };
const chat = (n: 1 | 2): Attributes => ({
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "mock-provider",
  "gen_ai.request.model": "mock-model-id",
  "gen_ai.system_instructions": SYSTEM,
  "gen_ai.input.messages": n === 1 ? `[${PROMPT}]` : `[${PROMPT},${CALL},${RESULT}]`,
  "gen_ai.tool.definitions": TOOLS,
  "gen_ai.client.operation.duration": 0.0081,
  "gen_ai.response.finish_reasons": [n === 1 ? "tool-calls" : "stop"],
  "gen_ai.response.id": `aitxt-${n}`,
  "gen_ai.response.model": "mock-model-id",
  "gen_ai.usage.input_tokens": n === 1 ? 31 : 45,
  "gen_ai.usage.output_tokens": n === 1 ? 7 : 9,
  "gen_ai.output.messages":
    n === 1
      ? '[{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris"}}],"finish_reason":"tool_call"}]'
      : '[{"role":"assistant","parts":[{"type":"text","content":"It is 18C."}],"finish_reason":"stop"}]',
});
const toolAttrs: Attributes = {
  "gen_ai.operation.name": "execute_tool",
  "gen_ai.tool.name": "get_weather",
  "gen_ai.tool.call.id": "call_1",
  "gen_ai.tool.type": "function",
  "gen_ai.tool.call.arguments": '{"city":"Paris"}',
  "gen_ai.execute_tool.duration": 0.016,
  "gen_ai.tool.call.result": '{"city":"Paris","temperature_c":18}',
};

function otelSpan(name: string, attributes: Attributes, partial: Partial<Span> = {}): Span {
  return buildSpan({ name, attributes, scope: scope("gen_ai"), parentSpanId: "b7ad6b7169203331", ...partial });
}

test("detect: the integration's tracer gen_ai, agent_step, a root named after its model, or an ai.* extra", () => {
  const spans: [string, Attributes][] = [
    ["invoke_agent mock-model-id", rootAttrs],
    ["step 1", stepAttrs],
    ["chat mock-model-id", chat(1)],
    ["execute_tool get_weather", toolAttrs],
  ];
  for (const [name, attrs] of spans) assert.equal(vercelAi.detect(otelSpan(name, attrs)), true, name);

  // A tracer of the application's own naming: only the spans that say AI SDK are claimed; chat and execute_tool
  // are plain GenAI spans then, read the same way by the genai family.
  const own = (name: string, attrs: Attributes) => vercelAi.detect(otelSpan(name, attrs, { scope: scope("weather-app") }));
  assert.equal(own("step 1", { "gen_ai.operation.name": "agent_step" }), true);
  const { "ai.settings.context.sessionId": _, ...plainRoot } = rootAttrs;
  assert.equal(own("invoke_agent mock-model-id", plainRoot), true);
  assert.equal(own("chat mock-model-id", chat(1)), false);
  assert.equal(own("execute_tool get_weather", toolAttrs), false);
  assert.equal(own("chat mock-model-id", { ...chat(1), "ai.usage.inputTokenDetails.noCacheTokens": 31 }), true);

  // Other GenAI producers: an agent named by its name, a chat span of an OpenAI instrumentation.
  const strands = { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "Weather", "gen_ai.request.model": "gpt-4o" };
  assert.equal(own("invoke_agent Weather", strands), false);
  assert.equal(
    vercelAi.detect(otelSpan("chat gpt-4o", chat(1), { scope: scope("opentelemetry.instrumentation.openai_v2") })),
    false,
  );
  assert.equal(normalizeSpan(otelSpan("chat mock-model-id", chat(1), { scope: scope("weather-app") })).family, "genai");
});

test("root: the function id names agent and run, usage stays an attribute, the final text is the output", () => {
  const step = vercelAi.normalize(otelSpan("invoke_agent mock-model-id", rootAttrs, { parentSpanId: null }));
  assert.equal(step.family, "vercel-ai");
  assert.equal(step.kind, "agent");
  assert.equal(step.name, "weather-agent");
  assert.equal(step.agentName, "weather-agent");
  assert.equal(step.runName, "weather-agent");
  assert.equal(step.sessionId, "s1");
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "You are a weather assistant." },
    { role: "user", content: "Weather in Paris?" },
  ]);
  // The output message merges the run (text, the call, its result): the calls and results are the child steps.
  assert.equal(step.outputMessages, undefined);
  assert.equal(step.output, "It is 18C.");
  assert.equal(step.finishReason, "stop");
  assert.equal(step.inputTokens, undefined);
  assert.equal(step.totalTokens, undefined);
  assert.deepEqual(remainingAttributes(rootAttrs, step.consumed), {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.usage.input_tokens": 76,
    "gen_ai.usage.output_tokens": 16,
  });
});

test("root: a span named after the model names no agent; an agentSpanName callback's name does", () => {
  const { "gen_ai.agent.name": _, ...noFunctionId } = rootAttrs;
  const unnamed = vercelAi.normalize(otelSpan("invoke_agent mock-model-id", noFunctionId, { parentSpanId: null }));
  assert.equal(unnamed.name, "invoke_agent mock-model-id");
  assert.equal(unnamed.agentName, undefined);
  assert.equal(unnamed.runName, undefined);
  // The GenAI core alone takes the model id for the agent.
  assert.equal(genai.normalize(otelSpan("invoke_agent mock-model-id", noFunctionId)).agentName, "mock-model-id");

  const named = vercelAi.normalize(otelSpan("invoke_agent weather-bot", noFunctionId, { parentSpanId: null }));
  assert.equal(named.agentName, "weather-bot");
  assert.equal(named.runName, "weather-bot");
  // A root that ended before any output (an error) has no output.
  const { "gen_ai.output.messages": __, ...failed } = rootAttrs;
  assert.equal(vercelAi.normalize(otelSpan("invoke_agent mock-model-id", failed)).output, undefined);
});

test("step N is a chain step carrying the runtime-context session; gen_ai.conversation.id (enrichSpan) wins", () => {
  const s = vercelAi.normalize(otelSpan("step 1", stepAttrs));
  assert.equal(s.kind, "chain");
  assert.equal(s.name, "step 1");
  assert.equal(s.runName, undefined);
  assert.equal(s.sessionId, "s1");
  assert.deepEqual(remainingAttributes(stepAttrs, s.consumed), { "gen_ai.operation.name": "agent_step" });
  // Other runtime-context keys are kept; conversationId and friends name a session too.
  const other = vercelAi.normalize(
    otelSpan("step 1", { ...stepAttrs, "ai.settings.context.sessionId": null, "ai.settings.context.threadId": "t9" }),
  );
  assert.equal(other.sessionId, "t9");
  const enriched = vercelAi.normalize(otelSpan("step 1", { ...stepAttrs, "gen_ai.conversation.id": "conv-1" }));
  assert.equal(enriched.sessionId, "conv-1");
  assert.equal(enriched.consumed.has("ai.settings.context.sessionId"), false);
});

test("chat and execute_tool read as the GenAI core reads them: ids link decision, tool and next context", () => {
  for (const [name, attrs] of [
    ["chat mock-model-id", chat(1)],
    ["chat mock-model-id", chat(2)],
    ["execute_tool get_weather", toolAttrs],
  ] as const) {
    const span = otelSpan(name, attrs);
    assert.deepEqual({ ...vercelAi.normalize(span), family: "genai" }, genai.normalize(span), name);
  }
  const decision = vercelAi.normalize(otelSpan("chat mock-model-id", chat(1)));
  assert.equal(decision.kind, "llm");
  assert.equal(decision.model, "mock-model-id");
  assert.equal(decision.provider, "mock-provider");
  assert.deepEqual([decision.inputTokens, decision.outputTokens, decision.totalTokens], [31, 7, 38]);
  assert.equal(decision.finishReason, "tool_calls");
  assert.deepEqual(decision.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
  ]);
  const answer = vercelAi.normalize(otelSpan("chat mock-model-id", chat(2)));
  assert.deepEqual(answer.inputMessages?.slice(2), [
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: '{"city":"Paris","temperature_c":18}', toolCallId: "call_1" },
  ]);
  const t = vercelAi.normalize(otelSpan("execute_tool get_weather", toolAttrs));
  assert.deepEqual(
    [t.kind, t.name, t.toolCallId, t.toolArguments, t.toolResult],
    ["tool", "get_weather", "call_1", '{"city":"Paris"}', '{"city":"Paris","temperature_c":18}'],
  );

  // A throwing tool: error status and an exception event, no result.
  const { "gen_ai.tool.call.result": _, ...thrown } = toolAttrs;
  const failed = vercelAi.normalize(
    otelSpan("execute_tool get_weather", thrown, {
      status: { code: 2, message: "weather service unavailable" },
      events: [buildEvent("exception", { "exception.type": "Error", "exception.message": "weather service unavailable" })],
    }),
  );
  assert.equal(failed.toolCallId, "call_1");
  assert.equal(failed.toolResult, undefined);
});
