import assert from "node:assert/strict";
import { test } from "node:test";
import { remainingAttributes } from "@/lib/conventions/types";
import { vercelAi } from "@/lib/conventions/vercel-ai";
import { buildSpan as baseSpan, scope } from "@/lib/conventions/test-builders";
import type { Attributes, Span } from "@/lib/otlp/types";

/** A child span (roots are opted into with parentSpanId: null) of the family's usual scope. */
function buildSpan(partial: Partial<Span> & { attributes: Attributes }): Span {
  return baseSpan({ parentSpanId: "b7ad6b7169203331", scope: scope("ai"), ...partial });
}

test("detect: ai.operationId, or an ai.* span name; GenAI spans only with AI SDK 7 marks (vercel-ai-otel.test.ts)", () => {
  assert.equal(
    vercelAi.detect(buildSpan({ name: "whatever", attributes: { "ai.operationId": "ai.toolCall" }, scope: scope("custom") })),
    true,
  );
  assert.equal(vercelAi.detect(buildSpan({ name: "ai.generateText.doGenerate", attributes: {}, scope: scope("custom") })), true);
  // A GenAI operation is not an ai.* span, even under the scope ai.
  for (const [name, op] of [
    ["chat gpt-4o", "chat"],
    ["execute_tool weather", "execute_tool"],
  ]) {
    assert.equal(vercelAi.detect(buildSpan({ name: name!, attributes: { "gen_ai.operation.name": op! } })), false, name);
  }
  assert.equal(vercelAi.detect(buildSpan({ name: "GET /api", attributes: {}, scope: scope("ai") })), false);
});

test("operations map to kinds: roots are agents, do* calls are llm, embeddings and reranking are retrieval", () => {
  const kinds = Object.fromEntries(
    [
      "ai.generateText",
      "ai.streamText",
      "ai.generateObject",
      "ai.streamObject",
      "ai.generateText.doGenerate",
      "ai.streamText.doStream",
      "ai.generateObject.doGenerate",
      "ai.streamObject.doStream",
      "ai.toolCall",
      "ai.embed",
      "ai.embedMany.doEmbed",
      "ai.rerank.doRerank",
      "ai.generateImage",
    ].map((op) => [op, vercelAi.normalize(buildSpan({ name: op, attributes: { "ai.operationId": op } })).kind]),
  );
  assert.deepEqual(kinds, {
    "ai.generateText": "agent",
    "ai.streamText": "agent",
    "ai.generateObject": "agent",
    "ai.streamObject": "agent",
    "ai.generateText.doGenerate": "llm",
    "ai.streamText.doStream": "llm",
    "ai.generateObject.doGenerate": "llm",
    "ai.streamObject.doStream": "llm",
    "ai.toolCall": "tool",
    "ai.embed": "retrieval",
    "ai.embedMany.doEmbed": "retrieval",
    "ai.rerank.doRerank": "retrieval",
    "ai.generateImage": "other",
  });
  // Without attributes the span name is the operation ("operation.name" carries the functionId after a space).
  assert.equal(vercelAi.normalize(buildSpan({ name: "ai.toolCall", attributes: {} })).kind, "tool");
});

// ai@4 shapes: promptTokens/completionTokens, toolCalls with toolCallType + args, prompt parts with args/result.
const v4Call: Attributes = {
  "operation.name": "ai.generateText.doGenerate support-bot",
  "resource.name": "support-bot",
  "ai.operationId": "ai.generateText.doGenerate",
  "ai.telemetry.functionId": "support-bot",
  "ai.telemetry.metadata.conversationId": "conv-9",
  "ai.telemetry.metadata.plan": "pro",
  "ai.model.provider": "openai.chat",
  "ai.model.id": "gpt-4o-mini",
  "ai.settings.maxRetries": 2,
  "ai.settings.temperature": 0.3,
  "ai.prompt.format": "messages",
  "ai.prompt.messages": JSON.stringify([
    { role: "system", content: "Be brief." },
    {
      role: "user",
      content: [
        { type: "text", text: "Find order 7" },
        { type: "image", image: "https://x/a.png" },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "text", text: "Looking." },
        { type: "tool-call", toolCallId: "call_a", toolName: "find_order", args: { id: 7 } },
        { type: "tool-call", toolName: "audit", args: {} },
      ],
    },
    {
      role: "tool",
      content: [
        { type: "tool-result", toolCallId: "call_a", toolName: "find_order", result: { status: "shipped" } },
        { type: "tool-result", toolName: "audit", result: "ok", isError: false },
      ],
    },
  ]),
  "ai.prompt.tools": '[{"type":"function","name":"find_order"}]',
  "gen_ai.system": "openai.chat",
  "gen_ai.request.model": "gpt-4o-mini",
  "gen_ai.request.temperature": 0.3,
  "gen_ai.request.max_tokens": 200,
  "ai.response.finishReason": "tool-calls",
  "ai.response.text": "",
  "ai.response.toolCalls": JSON.stringify([
    { toolCallType: "function", toolCallId: "call_b", toolName: "refund", args: '{"id":7}' },
  ]),
  "ai.response.id": "chatcmpl-1",
  "ai.response.model": "gpt-4o-mini-2024-07-18",
  "ai.usage.promptTokens": "120",
  "ai.usage.completionTokens": 14,
  "gen_ai.response.finish_reasons": ["tool-calls"],
  "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
  "gen_ai.usage.input_tokens": 120,
  "gen_ai.usage.output_tokens": 14,
};

test("ai@4 model call: provider, model, tokens as strings, parameters merged from ai.settings and gen_ai.request", () => {
  const step = vercelAi.normalize(buildSpan({ name: "ai.generateText.doGenerate", attributes: v4Call }));
  assert.equal(step.kind, "llm");
  assert.equal(step.provider, "openai");
  assert.equal(step.model, "gpt-4o-mini-2024-07-18");
  assert.equal(step.name, "chat gpt-4o-mini-2024-07-18");
  assert.equal(step.agentName, "support-bot");
  assert.equal(step.runName, undefined);
  assert.equal(step.sessionId, "conv-9");
  assert.equal(step.inputTokens, 120);
  assert.equal(step.outputTokens, 14);
  // Not sent: the shared GenAI reading derives it from input + output.
  assert.equal(step.totalTokens, 134);
  assert.equal(step.finishReason, "tool_calls");
  assert.deepEqual(step.parameters, { maxRetries: 2, temperature: 0.3, maxOutputTokens: 200 });
  assert.deepEqual(step.tools, [{ type: "function", name: "find_order" }]);
});

test("ai@4 model call: messages with tool calls (with and without ids) and one message per tool result", () => {
  const step = vercelAi.normalize(buildSpan({ name: "ai.generateText.doGenerate", attributes: v4Call }));
  assert.deepEqual(step.inputMessages, [
    { role: "system", content: "Be brief." },
    {
      role: "user",
      content: [
        { type: "text", text: "Find order 7" },
        { type: "image", image: "https://x/a.png" },
      ],
    },
    {
      role: "assistant",
      content: "Looking.",
      toolCalls: [
        { id: "call_a", name: "find_order", arguments: '{"id":7}' },
        { id: null, name: "audit", arguments: "{}" },
      ],
    },
    { role: "tool", content: '{"status":"shipped"}', toolCallId: "call_a", name: "find_order" },
    { role: "tool", content: "ok", name: "audit" },
  ]);
  assert.deepEqual(step.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: "call_b", name: "refund", arguments: '{"id":7}' }] },
  ]);
  // Duplicates are consumed; what only one key says stays.
  assert.deepEqual(remainingAttributes(v4Call, step.consumed), {
    "ai.telemetry.metadata.plan": "pro",
    "ai.model.id": "gpt-4o-mini",
    "ai.prompt.format": "messages",
    "gen_ai.request.model": "gpt-4o-mini",
    "ai.response.id": "chatcmpl-1",
  });
});

test("ai@6 root: run name from functionId, prompt and answer as raw input/output, totals left as attributes", () => {
  const attrs: Attributes = {
    "operation.name": "ai.generateText weather-agent",
    "resource.name": "weather-agent",
    "ai.operationId": "ai.generateText",
    "ai.telemetry.functionId": "weather-agent",
    "ai.telemetry.metadata.threadId": "thread-3",
    "ai.model.provider": "anthropic.messages",
    "ai.model.id": "claude-sonnet-4",
    "ai.prompt": '{"prompt":"hi"}',
    "ai.response.finishReason": "length",
    "ai.response.text": "Hello",
    "ai.usage.inputTokens": 30,
    "ai.usage.outputTokens": 9,
    "ai.usage.totalTokens": 39,
  };
  const step = vercelAi.normalize(buildSpan({ name: "ai.generateText", parentSpanId: null, attributes: attrs }));
  assert.equal(step.kind, "agent");
  assert.equal(step.name, "weather-agent");
  assert.equal(step.runName, "weather-agent");
  assert.equal(step.agentName, "weather-agent");
  assert.equal(step.sessionId, "thread-3");
  assert.equal(step.input, '{"prompt":"hi"}');
  assert.equal(step.output, "Hello");
  assert.equal(step.finishReason, "length");
  assert.equal(step.inputTokens, undefined);
  assert.deepEqual(remainingAttributes(attrs, step.consumed), {
    "ai.model.provider": "anthropic.messages",
    "ai.model.id": "claude-sonnet-4",
    "ai.usage.inputTokens": 30,
    "ai.usage.outputTokens": 9,
    "ai.usage.totalTokens": 39,
  });
});

test("tool spans: v4–v6 args/result and the input/output spelling; a missing id stays undefined", () => {
  const step = vercelAi.normalize(
    buildSpan({
      name: "ai.toolCall",
      attributes: {
        "ai.operationId": "ai.toolCall",
        "ai.toolCall.name": "search",
        "ai.toolCall.input": '{"q":"x"}',
        "ai.toolCall.output": "[]",
      },
    }),
  );
  assert.equal(step.name, "search");
  assert.equal(step.toolCallId, undefined);
  assert.equal(step.toolArguments, '{"q":"x"}');
  assert.equal(step.toolResult, "[]");
  const failed = vercelAi.normalize(
    buildSpan({
      name: "ai.toolCall",
      status: { code: 2, message: "boom" },
      attributes: {
        "ai.operationId": "ai.toolCall",
        "ai.toolCall.name": "search",
        "ai.toolCall.id": "c1",
        "ai.toolCall.args": "{}",
      },
    }),
  );
  assert.equal(failed.toolCallId, "c1");
  assert.equal(failed.toolResult, undefined);
});

test("ai@3 result attributes and v5+ tool-result output shapes", () => {
  const v3 = vercelAi.normalize(
    buildSpan({
      name: "ai.generateText.doGenerate",
      attributes: {
        "ai.operationId": "ai.generateText.doGenerate",
        "ai.finishReason": "stop",
        "ai.result.text": "Done",
        "ai.result.toolCalls": "[]",
      },
    }),
  );
  assert.deepEqual(v3.outputMessages, [{ role: "assistant", content: "Done" }]);
  assert.equal(v3.finishReason, "stop");

  const v5 = vercelAi.normalize(
    buildSpan({
      name: "ai.streamText.doStream",
      attributes: {
        "ai.operationId": "ai.streamText.doStream",
        "ai.prompt.messages": JSON.stringify([
          {
            role: "tool",
            content: [
              { type: "tool-result", toolCallId: "t1", toolName: "a", output: { type: "text", value: "plain" } },
              { type: "tool-result", toolCallId: "t2", toolName: "b", output: { type: "error-text", value: "failed" } },
              { type: "tool-result", toolCallId: "t3", toolName: "c", output: { type: "json", value: [1, 2] } },
            ],
          },
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "hmm" },
              { type: "text", text: "ok" },
            ],
          },
        ]),
      },
    }),
  );
  assert.deepEqual(v5.inputMessages, [
    { role: "tool", content: "plain", toolCallId: "t1", name: "a" },
    { role: "tool", content: "failed", toolCallId: "t2", name: "b" },
    { role: "tool", content: "[1,2]", toolCallId: "t3", name: "c" },
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "hmm" },
        { type: "text", text: "ok" },
      ],
    },
  ]);
});

test("malformed values never throw and are left unconsumed", () => {
  const attrs: Attributes = {
    "ai.operationId": "ai.generateText.doGenerate",
    "ai.prompt.messages": "[{broken",
    "ai.response.toolCalls": '{"not":"a list"}',
    "ai.prompt.tools": 42,
    "ai.usage.inputTokens": "lots",
    "ai.usage.outputTokens": -1,
    "ai.model.provider": 7,
    "ai.telemetry.metadata.sessionId": "",
    "gen_ai.response.finish_reasons": [3],
  };
  const step = vercelAi.normalize(buildSpan({ name: "ai.generateText.doGenerate", attributes: attrs }));
  assert.equal(step.inputMessages, undefined);
  assert.equal(step.outputMessages, undefined);
  assert.equal(step.tools, undefined);
  assert.equal(step.inputTokens, undefined);
  assert.equal(step.outputTokens, undefined);
  assert.equal(step.provider, "7");
  assert.equal(step.sessionId, undefined);
  assert.equal(step.finishReason, undefined);
  for (const k of [
    "ai.prompt.messages",
    "ai.response.toolCalls",
    "ai.prompt.tools",
    "ai.usage.inputTokens",
    "gen_ai.response.finish_reasons",
  ]) {
    assert.equal(step.consumed.has(k), false, k);
  }
  const odd = vercelAi.normalize(
    buildSpan({
      name: "ai.generateText.doGenerate",
      attributes: {
        "ai.operationId": "ai.generateText.doGenerate",
        "ai.prompt.messages": JSON.stringify([
          null,
          3,
          { role: 5 },
          { role: "user", content: { weird: true } },
          { role: "assistant", content: [{ type: "tool-call" }] },
        ]),
        "ai.response.toolCalls": JSON.stringify([{ toolName: "x", args: null }, "junk"]),
      },
    }),
  );
  // Shared message parsing (messages.ts): a role-less message defaults to user, odd content stays structured,
  // a tool call with neither name nor id is kept as a content part.
  assert.deepEqual(odd.inputMessages, [
    { role: "user", content: null },
    { role: "user", content: [{ weird: true }] },
    { role: "assistant", content: [{ type: "tool-call" }] },
  ]);
  assert.deepEqual(odd.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: null, name: "x", arguments: "" }] },
  ]);
});
