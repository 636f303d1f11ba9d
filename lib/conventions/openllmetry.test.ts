import assert from "node:assert/strict";
import { test } from "node:test";
import { genai } from "@/lib/conventions/genai";
import { openllmetry, unwrapEntityInput, unwrapEntityOutput } from "@/lib/conventions/openllmetry";
import { remainingAttributes } from "@/lib/conventions/types";
import { buildSpan, scope } from "@/lib/conventions/test-builders";

// The first four fixtures are the exact attributes @traceloop/node-server-sdk 0.27 exported (InMemorySpanExporter)
// for: withAssociationProperties({session_id, user_id}) > withWorkflow("weather_flow") > withAgent("weather_agent") >
// [openai chat (tool call) -> withTool("get_weather", {city: "Paris"}) -> openai chat (answer)].

const SDK = scope("@traceloop/node-server-sdk", "0.27.0");
const OPENAI = scope("@traceloop/instrumentation-openai", "0.27.0");

const CHAT_DECIDES = {
  "gen_ai.provider.name": "openai",
  "gen_ai.operation.name": "chat",
  "gen_ai.request.model": "gpt-4o",
  "gen_ai.request.temperature": 0.2,
  "gen_ai.input.messages":
    '[{"role":"system","parts":[{"type":"text","content":"You are helpful."}]},{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]}]',
  "gen_ai.tool.definitions":
    '[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]',
  "traceloop.workflow.name": "weather_agent",
  "gen_ai.agent.name": "weather_agent",
  "traceloop.association.properties.session_id": "sess-1",
  "traceloop.association.properties.user_id": "u1",
  "gen_ai.response.model": "gpt-4o-2024-08-06",
  "gen_ai.response.id": "chatcmpl-1",
  "gen_ai.usage.total_tokens": 60,
  "gen_ai.usage.output_tokens": 10,
  "gen_ai.usage.input_tokens": 50,
  "gen_ai.response.finish_reasons": ["tool_call"],
  "gen_ai.output.messages":
    '[{"role":"assistant","finish_reason":"tool_call","parts":[{"type":"tool_call","id":"call_abc","name":"get_weather","arguments":{"city":"Paris"}}]}]',
};

const TOOL = {
  "traceloop.workflow.name": "weather_agent",
  "traceloop.entity.path": "",
  "gen_ai.agent.name": "weather_agent",
  "traceloop.association.properties.session_id": "sess-1",
  "traceloop.association.properties.user_id": "u1",
  "traceloop.entity.name": "get_weather",
  "traceloop.span.kind": "tool",
  "traceloop.entity.input": '{"args":[],"kwargs":{"city":"Paris"}}',
  "traceloop.entity.output": '"sunny"',
};

const CHAT_ANSWERS = {
  ...CHAT_DECIDES,
  "gen_ai.input.messages":
    '[{"role":"system","parts":[{"type":"text","content":"You are helpful."}]},{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]},' +
    '{"role":"assistant","parts":[{"type":"tool_call","id":"call_abc","name":"get_weather","arguments":{"city":"Paris"}}]},' +
    '{"role":"tool","parts":[{"type":"tool_call_response","id":"call_abc","response":"sunny"}]}]',
  "gen_ai.response.id": "chatcmpl-2",
  "gen_ai.usage.total_tokens": 88,
  "gen_ai.usage.output_tokens": 8,
  "gen_ai.usage.input_tokens": 80,
  "gen_ai.response.finish_reasons": ["stop"],
  "gen_ai.output.messages":
    '[{"role":"assistant","finish_reason":"stop","parts":[{"type":"text","content":"It is sunny in Paris."}]}]',
};

const AGENT = {
  "traceloop.workflow.name": "weather_agent",
  "gen_ai.agent.name": "weather_agent",
  "traceloop.association.properties.session_id": "sess-1",
  "traceloop.association.properties.user_id": "u1",
  "traceloop.entity.name": "weather_agent",
  "traceloop.entity.path": "",
  "traceloop.span.kind": "agent",
  "traceloop.entity.input": '{"args":[],"kwargs":{}}',
  "traceloop.entity.output": '"done"',
};

const WORKFLOW = {
  "traceloop.workflow.name": "weather_flow",
  "traceloop.association.properties.session_id": "sess-1",
  "traceloop.association.properties.user_id": "u1",
  "traceloop.entity.name": "weather_flow",
  "traceloop.entity.path": "",
  "traceloop.span.kind": "workflow",
  "traceloop.entity.input": '{"args":[],"kwargs":{}}',
  "traceloop.entity.output": '"done"',
};

test("Traceloop openai chat span: LLM decision with id, session from association properties", () => {
  const span = buildSpan({ name: "chat gpt-4o", kind: 3, scope: OPENAI, attributes: CHAT_DECIDES });
  assert.equal(openllmetry.detect(span), true);
  const step = openllmetry.normalize(span);
  assert.equal(step.family, "openllmetry");
  assert.equal(step.kind, "llm");
  assert.equal(step.name, "chat gpt-4o");
  assert.equal(step.provider, "openai");
  assert.equal(step.model, "gpt-4o-2024-08-06");
  assert.equal(step.inputTokens, 50);
  assert.equal(step.outputTokens, 10);
  assert.equal(step.totalTokens, 60);
  assert.equal(step.finishReason, "tool_calls");
  assert.equal(step.sessionId, "sess-1");
  assert.equal(step.agentName, "weather_agent");
  assert.equal(step.runName, undefined);
  assert.deepEqual(step.parameters, { temperature: 0.2 });
  assert.deepEqual(step.tools, [
    {
      type: "function",
      function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
    },
  ]);
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "You are helpful." },
    { role: "user", content: "Weather in Paris?" },
  ]);
  assert.deepEqual(step.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: "call_abc", name: "get_weather", arguments: '{"city":"Paris"}' }] },
  ]);
  // The workflow name stamped on every span, other association properties, the request model and response id stay.
  assert.deepEqual(Object.keys(remainingAttributes(span.attributes, step.consumed)).sort(), [
    "gen_ai.operation.name",
    "gen_ai.request.model",
    "gen_ai.response.id",
    "traceloop.association.properties.user_id",
    "traceloop.workflow.name",
  ]);
});

test("Traceloop withTool span: tool step with unwrapped arguments and result, no call id", () => {
  const span = buildSpan({ name: "get_weather.tool", scope: SDK, attributes: TOOL });
  assert.equal(openllmetry.detect(span), true);
  const step = openllmetry.normalize(span);
  assert.equal(step.kind, "tool");
  assert.equal(step.name, "get_weather");
  assert.equal(step.toolName, "get_weather");
  assert.equal(step.toolCallId, undefined);
  assert.equal(step.toolArguments, '{"city":"Paris"}');
  assert.equal(step.toolResult, "sunny");
  assert.equal(step.input, undefined);
  assert.equal(step.agentName, "weather_agent");
  assert.equal(step.sessionId, "sess-1");
  assert.deepEqual(Object.keys(remainingAttributes(span.attributes, step.consumed)).sort(), [
    "traceloop.association.properties.user_id",
    "traceloop.entity.path",
    "traceloop.workflow.name",
  ]);
});

test("the next chat's input holds the tool result under the decision's id", () => {
  const step = openllmetry.normalize(buildSpan({ name: "chat gpt-4o", scope: OPENAI, attributes: CHAT_ANSWERS }));
  assert.deepEqual(step.inputMessages?.slice(2), [
    { role: "assistant", content: null, toolCalls: [{ id: "call_abc", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: "sunny", toolCallId: "call_abc" },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "It is sunny in Paris." }]);
  assert.equal(step.finishReason, "stop");
});

test("Traceloop withAgent and withWorkflow spans: agent and chain steps naming the run", () => {
  const agent = openllmetry.normalize(buildSpan({ name: "weather_agent.agent", scope: SDK, attributes: AGENT }));
  assert.equal(agent.kind, "agent");
  assert.equal(agent.name, "weather_agent");
  assert.equal(agent.agentName, "weather_agent");
  assert.equal(agent.runName, "weather_agent");
  assert.equal(agent.input, '{"args":[],"kwargs":{}}');
  assert.equal(agent.output, '"done"');
  assert.ok(agent.consumed.has("traceloop.workflow.name") && agent.consumed.has("traceloop.entity.name"));

  const wf = openllmetry.normalize(buildSpan({ name: "weather_flow.workflow", scope: SDK, attributes: WORKFLOW }));
  assert.equal(wf.kind, "chain");
  assert.equal(wf.name, "weather_flow");
  assert.equal(wf.runName, "weather_flow");
  assert.equal(wf.sessionId, "sess-1");
  assert.equal(wf.input, '{"args":[],"kwargs":{}}');
  assert.deepEqual(Object.keys(remainingAttributes(WORKFLOW, wf.consumed)).sort(), [
    "traceloop.association.properties.user_id",
    "traceloop.entity.path",
  ]);

  const task = openllmetry.normalize(
    buildSpan({
      name: "summarize.task",
      scope: SDK,
      attributes: { "traceloop.span.kind": "task", "traceloop.entity.name": "summarize", "traceloop.entity.output": '"ok"' },
    }),
  );
  assert.equal(task.kind, "chain");
  assert.equal(task.name, "summarize");
  assert.equal(task.runName, undefined);
  assert.equal(task.output, '"ok"');
});

test("LangChain instrumentation: execute_tool marked task is a tool, invoke_agent marked workflow is an agent", () => {
  const LC = scope("@traceloop/instrumentation-langchain", "0.27.0");
  const tool = openllmetry.normalize(
    buildSpan({
      name: "execute_tool Calculator",
      scope: LC,
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.provider.name": "langchain",
        "traceloop.span.kind": "task",
        "traceloop.entity.name": "Calculator",
        "traceloop.entity.input": JSON.stringify({ args: ['{"expression":"2+2"}'] }),
        "traceloop.entity.output": JSON.stringify("4"),
      },
    }),
  );
  assert.equal(tool.kind, "tool");
  assert.equal(tool.toolName, "Calculator");
  assert.equal(tool.toolArguments, '{"expression":"2+2"}');
  assert.equal(tool.toolResult, "4");
  assert.ok(tool.consumed.has("traceloop.entity.name"));

  const agent = openllmetry.normalize(
    buildSpan({
      name: "invoke_agent AgentExecutor",
      scope: LC,
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": "langchain",
        "traceloop.span.kind": "workflow",
        "traceloop.workflow.name": "AgentExecutor",
        "gen_ai.agent.name": "AgentExecutor",
        "traceloop.entity.input": '{"input":"what is 2+2"}',
      },
    }),
  );
  assert.equal(agent.kind, "agent");
  assert.equal(agent.agentName, "AgentExecutor");
  assert.equal(agent.runName, "AgentExecutor");
  assert.equal(agent.input, '{"input":"what is 2+2"}');

  const chain = openllmetry.normalize(
    buildSpan({
      name: "workflow RunnableSequence",
      scope: LC,
      attributes: {
        "gen_ai.operation.name": "workflow",
        "traceloop.span.kind": "workflow",
        "traceloop.workflow.name": "RunnableSequence",
      },
    }),
  );
  assert.equal(chain.kind, "chain");
  assert.equal(chain.runName, "RunnableSequence");
});

test("legacy indexed form (together/cohere/withLLMCall): llm.request.type, llm.usage.total_tokens, functions", () => {
  const span = buildSpan({
    name: "together.chat",
    kind: 3,
    scope: scope("@traceloop/instrumentation-together"),
    attributes: {
      "gen_ai.system": "TogetherAI",
      "llm.request.type": "chat",
      "gen_ai.request.model": "mistralai/Mixtral-8x7B-Instruct-v0.1",
      "llm.frequency_penalty": 0.1,
      "gen_ai.prompt.0.role": "user",
      "gen_ai.prompt.0.content": "What's the weather?",
      "llm.request.functions.0.name": "get_weather",
      "llm.request.functions.0.description": "Weather",
      "llm.request.functions.0.arguments": '{"type":"object"}',
      "llm.usage.total_tokens": 99,
      "gen_ai.usage.completion_tokens": 9,
      "gen_ai.usage.prompt_tokens": 90,
      "gen_ai.completion.0.finish_reason": "tool_calls",
      "gen_ai.completion.0.role": "assistant",
      "gen_ai.completion.0.content": "",
      "gen_ai.completion.0.function_call.name": "get_weather",
      "gen_ai.completion.0.function_call.arguments": '{"city":"Oslo"}',
      "gen_ai.completion.0.tool_calls.0.name": "get_weather",
      "gen_ai.completion.0.tool_calls.0.arguments": '{"city":"Oslo"}',
    },
  });
  assert.equal(genai.detect(span), true);
  assert.equal(openllmetry.detect(span), true);
  const step = openllmetry.normalize(span);
  assert.equal(step.kind, "llm");
  assert.equal(step.provider, "TogetherAI");
  assert.equal(step.totalTokens, 99);
  assert.deepEqual(step.parameters, { frequency_penalty: 0.1 });
  assert.deepEqual(step.tools, [{ name: "get_weather", description: "Weather", parameters: { type: "object" } }]);
  assert.deepEqual(step.inputMessages, [{ role: "user", content: "What's the weather?" }]);
  assert.deepEqual(step.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: null, name: "get_weather", arguments: '{"city":"Oslo"}' }] },
  ]);
  assert.equal(step.finishReason, "tool_calls");
  assert.deepEqual(Object.keys(remainingAttributes(span.attributes, step.consumed)), ["llm.request.type"]);

  const cohere = openllmetry.normalize(
    buildSpan({
      name: "cohere.chat",
      scope: scope("@traceloop/instrumentation-cohere"),
      attributes: {
        "gen_ai.system": "Cohere",
        "llm.request.type": "chat",
        "gen_ai.prompt.0.role": "user",
        "gen_ai.prompt.0.user": "Hello Cohere",
        "gen_ai.completion.0.role": "assistant",
        "gen_ai.completion.0.content": "Hi!",
        "gen_ai.completion.0.finish_reason": "COMPLETE",
      },
    }),
  );
  assert.deepEqual(cohere.inputMessages, [{ role: "user", content: "Hello Cohere" }]);
  assert.equal(cohere.finishReason, "complete");

  const rerank = openllmetry.normalize(
    buildSpan({
      name: "cohere.rerank",
      scope: scope("@traceloop/instrumentation-cohere"),
      attributes: { "llm.request.type": "rerank" },
    }),
  );
  assert.equal(rerank.kind, "retrieval");
});

test("handoff (Python openai-agents instrumentation) and session span kinds", () => {
  const handoff = openllmetry.normalize(
    buildSpan({
      name: "Triage → Billing.handoff",
      attributes: { "traceloop.span.kind": "handoff", "gen_ai.provider.name": "openai" },
    }),
  );
  assert.equal(handoff.kind, "agent");
  assert.equal(handoff.agentName, "Triage");
  assert.equal(handoff.handoffTo, "Billing");

  const withAttrs = openllmetry.normalize(
    buildSpan({
      name: "Triage → Billing.handoff",
      attributes: {
        "traceloop.span.kind": "handoff",
        "gen_ai.handoff.from_agent": "Triage",
        "gen_ai.handoff.to_agent": "Billing",
      },
    }),
  );
  assert.equal(withAttrs.handoffTo, "Billing");
  assert.ok(withAttrs.consumed.has("gen_ai.handoff.to_agent"));

  const session = openllmetry.normalize(buildSpan({ name: "s", attributes: { "traceloop.span.kind": "session" } }));
  assert.equal(session.kind, "other");
});

test("span-name suffix when the kind marker is missing, and alternative session keys", () => {
  const step = openllmetry.normalize(
    buildSpan({
      name: "research.agent",
      scope: SDK,
      attributes: { "traceloop.association.properties.sessionId": "s-9", "traceloop.entity.path": "" },
    }),
  );
  assert.equal(step.kind, "agent");
  assert.equal(step.agentName, "research");
  assert.equal(step.runName, "research");
  assert.equal(step.sessionId, "s-9");

  const conv = openllmetry.normalize(
    buildSpan({
      name: "chat m",
      scope: OPENAI,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.conversation.id": "c-1",
        "traceloop.association.properties.session_id": "s-1",
      },
    }),
  );
  assert.equal(conv.sessionId, "c-1");
  assert.ok(!conv.consumed.has("traceloop.association.properties.session_id"));
});

test("entity input/output that repeat the messages are consumed without being duplicated", () => {
  const msgs = '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]';
  const out = '[{"role":"assistant","parts":[{"type":"text","content":"hello"}]}]';
  const step = openllmetry.normalize(
    buildSpan({
      name: "support.agent",
      scope: scope("ai"),
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.input.messages": msgs,
        "gen_ai.output.messages": out,
        "traceloop.span.kind": "agent",
        "traceloop.entity.name": "support",
        "traceloop.entity.input": msgs,
        "traceloop.entity.output": out,
      },
    }),
  );
  assert.equal(step.kind, "agent");
  assert.equal(step.input, undefined);
  assert.equal(step.output, undefined);
  assert.deepEqual(step.inputMessages, [{ role: "user", content: "hi" }]);
  assert.ok(step.consumed.has("traceloop.entity.input") && step.consumed.has("traceloop.entity.output"));
});

test("tool span with both gen_ai.tool.call.* and entity input keeps one copy", () => {
  const span = buildSpan({
    name: "execute_tool weather",
    attributes: {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "weather",
      "gen_ai.tool.call.id": "call_9",
      "gen_ai.tool.call.arguments": '{"city": "Oslo"}',
      "gen_ai.tool.call.result": "cold",
      "traceloop.span.kind": "tool",
      "traceloop.entity.name": "weather",
      "traceloop.entity.input": '{"city":"Oslo"}',
      "traceloop.entity.output": "cold",
    },
  });
  const step = openllmetry.normalize(span);
  assert.equal(step.toolCallId, "call_9");
  assert.equal(step.toolArguments, '{"city": "Oslo"}');
  assert.equal(step.toolResult, "cold");
  assert.equal(step.input, undefined);
  assert.equal(step.output, undefined);
  assert.deepEqual(Object.keys(remainingAttributes(span.attributes, step.consumed)), ["gen_ai.operation.name"]);
});

test("malformed Traceloop values do not throw", () => {
  const step = openllmetry.normalize(
    buildSpan({
      name: "x.tool",
      scope: SDK,
      attributes: {
        "traceloop.span.kind": "tool",
        "traceloop.entity.name": 12,
        "traceloop.entity.input": "{broken",
        "traceloop.entity.output": { nested: [1, 2n] },
        "traceloop.association.properties.session_id": "",
        "llm.request.functions.x.name": "bad index",
        "llm.usage.total_tokens": "many",
      },
    }),
  );
  assert.equal(step.kind, "tool");
  assert.equal(step.toolName, "12");
  assert.equal(step.toolArguments, "{broken");
  assert.equal(step.toolResult, '{"nested":[1,"2"]}');
  assert.equal(step.sessionId, undefined);
  assert.equal(step.tools, undefined);
  assert.equal(step.totalTokens, undefined);
  assert.ok(!step.consumed.has("llm.usage.total_tokens"));
  assert.ok(!step.consumed.has("traceloop.association.properties.session_id"));
});

test("unwrap helpers", () => {
  assert.equal(unwrapEntityInput('{"args":[],"kwargs":{"a":1}}'), '{"a":1}');
  assert.equal(unwrapEntityInput('{"args":["x"]}'), "x");
  assert.equal(unwrapEntityInput('{"args":[{"a":1}],"kwargs":{}}'), '{"a":1}');
  assert.equal(unwrapEntityInput('{"args":[1,2],"kwargs":{}}'), '{"args":[1,2],"kwargs":{}}');
  assert.equal(unwrapEntityInput('{"query":"q"}'), '{"query":"q"}');
  assert.equal(unwrapEntityOutput('"sunny"'), "sunny");
  assert.equal(unwrapEntityOutput('{"a":1}'), '{"a":1}');
  assert.equal(unwrapEntityOutput('"broken'), '"broken');
});

test("detect: Traceloop scope or markers; an HTTP span stamped with the workflow name is not claimed", () => {
  assert.equal(openllmetry.detect(buildSpan({ scope: scope("@traceloop/instrumentation-anthropic") })), true);
  assert.equal(openllmetry.detect(buildSpan({ attributes: { "traceloop.span.kind": "task" } })), true);
  assert.equal(openllmetry.detect(buildSpan({ attributes: { "llm.request.type": "chat" } })), true);
  assert.equal(
    openllmetry.detect(
      buildSpan({
        scope: scope("@opentelemetry/instrumentation-openai"),
        attributes: { "traceloop.workflow.name": "wf", "gen_ai.operation.name": "chat" },
      }),
    ),
    true,
  );
  assert.equal(
    openllmetry.detect(
      buildSpan({
        scope: scope("@opentelemetry/instrumentation-undici"),
        attributes: { "traceloop.workflow.name": "wf", "gen_ai.agent.name": "a", "http.request.method": "POST" },
      }),
    ),
    false,
  );
  assert.equal(openllmetry.detect(buildSpan({ attributes: { "gen_ai.operation.name": "chat" } })), false);
});
