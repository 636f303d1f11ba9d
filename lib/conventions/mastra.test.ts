import assert from "node:assert/strict";
import { test } from "node:test";
import { mastra } from "@/lib/conventions/mastra";
import { buildSpan as baseSpan, scope } from "@/lib/conventions/test-builders";
import { remainingAttributes } from "@/lib/conventions/types";
import type { Attributes, Span } from "@/lib/otlp/types";

/** Spans as @mastra/otel-exporter writes them (span-converter / gen-ai-semantics), current and older versions. */
function buildSpan(partial: Partial<Span> & { attributes: Attributes }): Span {
  return baseSpan({ parentSpanId: "b7ad6b7169203331", scope: scope("@mastra/otel", "1.0.0"), ...partial });
}

test("detect: mastra.span.type, or a Mastra scope", () => {
  assert.equal(mastra.detect(buildSpan({ attributes: { "mastra.span.type": "agent_run" }, scope: scope("other") })), true);
  assert.equal(mastra.detect(buildSpan({ attributes: {}, scope: scope("@mastra/otel-exporter") })), true);
  assert.equal(mastra.detect(buildSpan({ attributes: { "gen_ai.operation.name": "chat" }, scope: scope("gen_ai") })), false);
});

test("span types map to kinds; unknown types fall back to the GenAI reading", () => {
  const kinds = [
    "agent_run",
    "model_generation",
    "llm_generation",
    "model_step",
    "model_inference",
    "model_chunk",
    "tool_call",
    "mcp_tool_call",
    "workflow_run",
    "workflow_step",
    "processor_run",
    "rag_embedding",
    "memory_operation",
    "generic",
    "AGENT_RUN",
  ].map((t) => mastra.normalize(buildSpan({ attributes: { "mastra.span.type": t } })).kind);
  assert.deepEqual(kinds, [
    "agent",
    "llm",
    "llm",
    "chain",
    "chain",
    "other",
    "tool",
    "tool",
    "chain",
    "chain",
    "chain",
    "retrieval",
    "retrieval",
    "other",
    "agent",
  ]);
  assert.equal(
    mastra.normalize(buildSpan({ attributes: { "mastra.span.type": "brand_new", "gen_ai.operation.name": "execute_tool" } }))
      .kind,
    "tool",
  );
});

test("agent_run (current exporter): agent, run name, conversation, raw input/output, instructions", () => {
  const attrs: Attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "mastra.span.type": "agent_run",
    "mastra.agent_run.input": '[{"role":"user","content":"Weather in Paris?"}]',
    "mastra.agent_run.output": '{"text":"Sunny, 21C"}',
    "gen_ai.agent.id": "weatherAgent",
    "gen_ai.agent.name": "Weather Agent",
    "gen_ai.conversation.id": "thread-1",
    "mastra.agent_run.max_steps": 5,
    "gen_ai.system_instructions": "You are a weather assistant.",
  };
  const step = mastra.normalize(
    buildSpan({ name: "invoke_agent Weather Agent", parentSpanId: null, kind: 2, attributes: attrs }),
  );
  assert.equal(step.family, "mastra");
  assert.equal(step.kind, "agent");
  assert.equal(step.agentName, "Weather Agent");
  assert.equal(step.runName, "Weather Agent");
  assert.equal(step.sessionId, "thread-1");
  assert.equal(step.input, '[{"role":"user","content":"Weather in Paris?"}]');
  assert.equal(step.output, '{"text":"Sunny, 21C"}');
  assert.deepEqual(step.inputMessages, [{ role: "system", content: "You are a weather assistant." }]);
  assert.deepEqual(remainingAttributes(attrs, step.consumed), {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.id": "weatherAgent",
    "mastra.agent_run.max_steps": 5,
  });
});

test("model_generation (current exporter): the llm step with messages, tokens, finish reason as JSON text", () => {
  const attrs: Attributes = {
    "gen_ai.operation.name": "chat",
    "mastra.span.type": "model_generation",
    "gen_ai.input.messages": JSON.stringify([
      { role: "system", parts: [{ type: "text", content: "You are a weather assistant." }] },
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "weatherTool", arguments: { city: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: { temp: 21 } }] },
    ]),
    "gen_ai.output.messages": JSON.stringify([
      { role: "assistant", parts: [{ type: "text", content: "Sunny, 21C" }], finish_reason: "stop" },
    ]),
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.provider.name": "openai",
    "gen_ai.usage.input_tokens": 120,
    "gen_ai.usage.output_tokens": "30",
    "gen_ai.agent.id": "weatherAgent",
    "gen_ai.agent.name": "Weather Agent",
    "gen_ai.request.temperature": 0.2,
    "gen_ai.response.finish_reasons": '["stop"]',
    "gen_ai.response.id": "resp_1",
  };
  const step = mastra.normalize(buildSpan({ name: "chat gpt-4o-mini", kind: 3, attributes: attrs }));
  assert.equal(step.kind, "llm");
  assert.equal(step.model, "gpt-4o-mini");
  assert.equal(step.provider, "openai");
  assert.equal(step.inputTokens, 120);
  assert.equal(step.outputTokens, 30);
  assert.equal(step.finishReason, "stop");
  assert.equal(step.agentName, "Weather Agent");
  assert.deepEqual(step.parameters, { temperature: 0.2 });
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "You are a weather assistant." },
    { role: "user", content: "Weather in Paris?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "weatherTool", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: '{"temp":21}', toolCallId: "call_1" },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: "assistant", content: "Sunny, 21C" }]);
});

test("model_step: a chain step whose output carries the step's tool-call decisions", () => {
  const attrs: Attributes = {
    "gen_ai.operation.name": "model_step",
    "mastra.span.type": "model_step",
    "mastra.model_step.input": '{"messages":[{"role":"user","content":"Weather in Paris?"}]}',
    "mastra.model_step.output": JSON.stringify({
      text: "",
      toolCalls: [
        { toolCallId: "call_1", toolName: "weatherTool", args: { city: "Paris" } },
        { toolName: "clockTool", args: {} },
      ],
    }),
  };
  const step = mastra.normalize(buildSpan({ name: "step: 0", attributes: attrs }));
  assert.equal(step.kind, "chain");
  assert.equal(step.input, '{"messages":[{"role":"user","content":"Weather in Paris?"}]}');
  assert.deepEqual(step.outputMessages, [
    {
      role: "assistant",
      content: null,
      toolCalls: [
        { id: "call_1", name: "weatherTool", arguments: '{"city":"Paris"}' },
        { id: null, name: "clockTool", arguments: "{}" },
      ],
    },
  ]);
  assert.deepEqual(remainingAttributes(attrs, step.consumed), { "gen_ai.operation.name": "model_step" });
});

test("tool_call (current exporter): name, call id, arguments, result", () => {
  const attrs: Attributes = {
    "gen_ai.operation.name": "execute_tool",
    "mastra.span.type": "tool_call",
    "gen_ai.tool.name": "weatherTool",
    "gen_ai.tool.call.id": "call_1",
    "gen_ai.tool.call.arguments": '{"city":"Paris"}',
    "gen_ai.tool.call.result": '{"temp":21}',
    "gen_ai.tool.description": "Get weather",
    "gen_ai.conversation.id": "thread-1",
  };
  const step = mastra.normalize(buildSpan({ name: "execute_tool weatherTool", attributes: attrs }));
  assert.equal(step.kind, "tool");
  assert.equal(step.name, "weatherTool");
  assert.equal(step.toolName, "weatherTool");
  assert.equal(step.toolCallId, "call_1");
  assert.equal(step.toolArguments, '{"city":"Paris"}');
  assert.equal(step.toolResult, '{"temp":21}');
  assert.equal(step.sessionId, "thread-1");
});

test("older exporter: agent.{id}, tool.execute {name} with gen_ai.tool.input/output, llm_generation with gen_ai.prompt, threadId metadata", () => {
  const agent = mastra.normalize(
    buildSpan({
      name: "agent.weatherAgent",
      parentSpanId: null,
      attributes: {
        "gen_ai.operation.name": "agent.run",
        "span.kind": "server",
        "mastra.span.type": "agent_run",
        "mastra.trace_id": "abc",
        "agent.id": "weatherAgent",
        "agent.max_steps": 5,
        input: "Weather in Paris?",
        output: "Sunny",
        threadId: "thread-9",
        resourceId: "user-1",
      },
    }),
  );
  assert.equal(agent.kind, "agent");
  assert.equal(agent.agentName, "weatherAgent");
  assert.equal(agent.runName, "weatherAgent");
  assert.equal(agent.input, "Weather in Paris?");
  assert.equal(agent.output, "Sunny");
  assert.equal(agent.sessionId, "thread-9");

  const tool = mastra.normalize(
    buildSpan({
      name: "tool.execute weatherTool",
      attributes: {
        "gen_ai.operation.name": "tool.execute",
        "mastra.span.type": "tool_call",
        input: '{"toolCallId":"call_7","city":"Paris"}',
        "gen_ai.tool.input": '{"toolCallId":"call_7","city":"Paris"}',
        output: '{"temp":21}',
        "gen_ai.tool.output": '{"temp":21}',
        "gen_ai.tool.success": true,
      },
    }),
  );
  assert.equal(tool.kind, "tool");
  assert.equal(tool.name, "weatherTool");
  assert.equal(tool.toolName, "weatherTool");
  assert.equal(tool.toolCallId, "call_7");
  assert.equal(tool.toolArguments, '{"toolCallId":"call_7","city":"Paris"}');
  assert.equal(tool.toolResult, '{"temp":21}');

  const llm = mastra.normalize(
    buildSpan({
      name: "chat gpt-4",
      attributes: {
        "gen_ai.operation.name": "chat",
        "mastra.span.type": "llm_generation",
        input: '[{"role":"user","content":"hi"}]',
        "gen_ai.prompt": '[{"role":"user","content":"hi"}]',
        "gen_ai.request.model": "gpt-4",
        "gen_ai.system": "openai",
        "gen_ai.usage.input_tokens": 5,
        "gen_ai.usage.output_tokens": 2,
        "gen_ai.usage.total_tokens": 7,
        "gen_ai.response.finish_reasons": "stop",
      },
    }),
  );
  assert.equal(llm.kind, "llm");
  assert.equal(llm.model, "gpt-4");
  assert.equal(llm.provider, "openai");
  assert.equal(llm.totalTokens, 7);
  assert.equal(llm.finishReason, "stop");
  assert.deepEqual(llm.inputMessages, [{ role: "user", content: "hi" }]);
});

test("workflow_run: a chain step naming the run", () => {
  const step = mastra.normalize(
    buildSpan({
      name: "invoke_workflow weather-workflow",
      parentSpanId: null,
      attributes: {
        "gen_ai.operation.name": "invoke_workflow",
        "mastra.span.type": "workflow_run",
        "mastra.workflow_run.input": '{"city":"Paris"}',
      },
    }),
  );
  assert.equal(step.kind, "chain");
  assert.equal(step.runName, "weather-workflow");
  assert.equal(step.input, '{"city":"Paris"}');
  const old = mastra.normalize(
    buildSpan({
      name: "workflow.weatherWorkflow",
      attributes: { "mastra.span.type": "workflow_run", "workflow.id": "weatherWorkflow", "workflow.status": "success" },
    }),
  );
  assert.equal(old.runName, "weatherWorkflow");
});

test("malformed values never throw", () => {
  const step = mastra.normalize(
    buildSpan({
      name: "step: 1",
      attributes: {
        "mastra.span.type": 42,
        "mastra.model_step.output": "{broken",
        "gen_ai.input.messages": "[not json",
        "gen_ai.usage.input_tokens": "x",
        threadId: "",
      },
    }),
  );
  assert.equal(step.kind, "other");
  assert.equal(step.inputTokens, undefined);
  assert.equal(step.sessionId, undefined);
  const bad = mastra.normalize(
    buildSpan({ name: "step: 2", attributes: { "mastra.span.type": "model_step", "mastra.model_step.output": "[1,2]" } }),
  );
  assert.equal(bad.outputMessages, undefined);
  assert.equal(bad.output, "[1,2]");
});
