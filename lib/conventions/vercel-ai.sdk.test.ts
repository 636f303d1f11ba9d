import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { generateText as generateText6, stepCountIs as stepCountIs6, tool as tool6 } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import {
  embed as embed5,
  generateText as generateText5,
  stepCountIs as stepCountIs5,
  streamText as streamText5,
  tool as tool5,
} from "ai-v5";
import { convertArrayToReadableStream, MockEmbeddingModelV2, MockLanguageModelV2 } from "ai-v5/test";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { createSpanProcessor } from "@traceloop/node-server-sdk";
import { z } from "zod";
import { fromReadableSpan, inMemoryTracing, spanNamed } from "@/lib/conventions/from-sdk.test-helper";
import type { NormalizedStep } from "@/lib/conventions/types";
import { vercelAi } from "@/lib/conventions/vercel-ai";
import type { Span } from "@/lib/otlp/types";

/** Real ai@5 and ai@6 runs with their mock models: one tool decision, one tool call, one answer. */

const tracing = inMemoryTracing();
beforeEach(() => tracing.exporter.reset());

const telemetry = { isEnabled: true, functionId: "weather-agent", metadata: { sessionId: "sess-1", userId: "u1" } };
const weatherInput = z.object({ city: z.string() });
const weatherExecute = async ({ city }: { city: string }) => ({ city, temp: 21 });

function normalizeAll(): { spans: Span[]; step: (s: Span) => NormalizedStep } {
  const spans = tracing.spans();
  for (const s of spans) assert.ok(vercelAi.detect(s), `detects ${s.name}`);
  return { spans, step: (s) => vercelAi.normalize(s) };
}

function llmSteps(spans: Span[]): NormalizedStep[] {
  return spans
    .filter((s) => /\.do(Generate|Stream)$/.test(s.name))
    .sort((a, b) => Number(a.startNs - b.startNs))
    .map((s) => vercelAi.normalize(s));
}

function assertToolLoop(spans: Span[], version: string) {
  const [decide, answer] = llmSteps(spans);
  assert.ok(decide && answer);
  assert.equal(decide.kind, "llm");
  assert.equal(decide.name, "chat mock-model-id");
  assert.equal(decide.model, "mock-model-id");
  assert.equal(decide.provider, "mock-provider");
  assert.equal(decide.agentName, "weather-agent");
  assert.equal(decide.sessionId, "sess-1");
  assert.equal(decide.inputTokens, 10);
  assert.equal(decide.outputTokens, 5);
  assert.equal(decide.finishReason, "tool_calls");
  assert.deepEqual(decide.inputMessages, [
    { role: "system", content: "You are helpful" },
    { role: "user", content: "Weather in Paris?" },
  ]);
  assert.deepEqual(decide.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: "call-1", name: "weather", arguments: '{"city":"Paris"}' }] },
  ]);
  assert.deepEqual(
    decide.tools?.map((t) => (t as { name: string }).name),
    ["weather"],
  );
  assert.equal(decide.parameters?.maxRetries, 2);

  const toolStep = vercelAi.normalize(spanNamed(spans, "ai.toolCall"));
  assert.equal(toolStep.kind, "tool");
  assert.equal(toolStep.name, "weather");
  assert.equal(toolStep.toolName, "weather");
  assert.equal(toolStep.toolCallId, "call-1");
  assert.equal(toolStep.toolArguments, '{"city":"Paris"}');
  assert.equal(toolStep.toolResult, '{"city":"Paris","temp":21}');

  // The next call sees the decision (arguments as an object there) and the result, by id.
  assert.deepEqual(answer.inputMessages?.slice(2), [
    { role: "assistant", content: null, toolCalls: [{ id: "call-1", name: "weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: '{"city":"Paris","temp":21}', toolCallId: "call-1", name: "weather" },
  ]);
  assert.deepEqual(answer.outputMessages, [{ role: "assistant", content: "It is sunny." }]);
  assert.equal(answer.finishReason, "stop");
  assert.equal(answer.inputTokens, 20);
  if (version === "v6") assert.equal(answer.totalTokens, 24);

  const root = vercelAi.normalize(spanNamed(spans, "ai.generateText"));
  assert.equal(root.kind, "agent");
  assert.equal(root.name, "weather-agent");
  assert.equal(root.runName, "weather-agent");
  assert.equal(root.agentName, "weather-agent");
  assert.equal(root.sessionId, "sess-1");
  assert.equal(root.output, "It is sunny.");
  assert.equal(root.input, '{"system":"You are helpful","prompt":"Weather in Paris?"}');
  assert.equal(root.inputTokens, undefined, "root usage is not a model call's usage");

  // Parent/child: every model call and the tool call hang off the root, in time order.
  const rootSpan = spanNamed(spans, "ai.generateText");
  const children = spans
    .filter((s) => s.parentSpanId === rootSpan.spanId)
    .sort((a, b) => Number(a.startNs - b.startNs))
    .map((s) => s.name);
  assert.deepEqual(children, ["ai.generateText.doGenerate", "ai.toolCall", "ai.generateText.doGenerate"]);
}

test("ai@5 generateText: decision -> tool -> result -> answer", async () => {
  let call = 0;
  const model = new MockLanguageModelV2({
    doGenerate: async () =>
      ++call === 1
        ? {
            content: [{ type: "tool-call", toolCallId: "call-1", toolName: "weather", input: '{"city":"Paris"}' }],
            finishReason: "tool-calls",
            usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
            warnings: [],
          }
        : {
            content: [{ type: "text", text: "It is sunny." }],
            finishReason: "stop",
            usage: { inputTokens: 20, outputTokens: 4, totalTokens: 24 },
            warnings: [],
          },
  });
  await generateText5({
    model,
    system: "You are helpful",
    prompt: "Weather in Paris?",
    tools: { weather: tool5({ description: "Get weather", inputSchema: weatherInput, execute: weatherExecute }) },
    stopWhen: stepCountIs5(3),
    experimental_telemetry: telemetry,
  });
  const { spans } = normalizeAll();
  assertToolLoop(spans, "v5");
  // v5 writes usage under the v4 names on model calls.
  assert.ok(spanNamed(spans, "ai.generateText.doGenerate").attributes["ai.usage.promptTokens"] !== undefined);
});

test("ai@6 generateText: decision -> tool -> result -> answer", async () => {
  let call = 0;
  const model = new MockLanguageModelV3({
    doGenerate: async () =>
      ++call === 1
        ? {
            content: [{ type: "tool-call", toolCallId: "call-1", toolName: "weather", input: '{"city":"Paris"}' }],
            finishReason: { unified: "tool-calls", raw: "tool_calls" },
            usage: {
              inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
              outputTokens: { total: 5, text: 5, reasoning: undefined },
            },
            warnings: [],
          }
        : {
            content: [{ type: "text", text: "It is sunny." }],
            finishReason: { unified: "stop", raw: "stop" },
            usage: {
              inputTokens: { total: 20, noCache: 20, cacheRead: undefined, cacheWrite: undefined },
              outputTokens: { total: 4, text: 4, reasoning: undefined },
            },
            warnings: [],
          },
  });
  await generateText6({
    model,
    system: "You are helpful",
    prompt: "Weather in Paris?",
    tools: { weather: tool6({ description: "Get weather", inputSchema: weatherInput, execute: weatherExecute }) },
    stopWhen: stepCountIs6(3),
    experimental_telemetry: telemetry,
  });
  const { spans } = normalizeAll();
  assertToolLoop(spans, "v6");
  const consumed = vercelAi.normalize(spanNamed(spans, "ai.generateText.doGenerate")).consumed;
  for (const k of [
    "ai.usage.inputTokens",
    "gen_ai.usage.input_tokens",
    "gen_ai.response.finish_reasons",
    "ai.prompt.messages",
    "ai.model.id",
    "gen_ai.request.model",
  ]) {
    assert.ok(consumed.has(k), k);
  }
});

test("ai@5 streamText: doStream spans are model calls; the tool runs while the stream is open", async () => {
  let call = 0;
  const model = new MockLanguageModelV2({
    doStream: async () => ({
      stream:
        ++call === 1
          ? convertArrayToReadableStream([
              { type: "stream-start", warnings: [] },
              { type: "tool-call", toolCallId: "call-1", toolName: "weather", input: '{"city":"Paris"}' },
              { type: "finish", finishReason: "tool-calls", usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
            ])
          : convertArrayToReadableStream([
              { type: "stream-start", warnings: [] },
              { type: "text-start", id: "t" },
              { type: "text-delta", id: "t", delta: "Sunny" },
              { type: "text-end", id: "t" },
              { type: "finish", finishReason: "stop", usage: { inputTokens: 20, outputTokens: 4, totalTokens: 24 } },
            ]),
    }),
  });
  const result = streamText5({
    model,
    prompt: "Weather in Paris?",
    tools: { weather: tool5({ inputSchema: weatherInput, execute: weatherExecute }) },
    stopWhen: stepCountIs5(3),
    experimental_telemetry: { isEnabled: true },
  });
  await result.consumeStream();
  const { spans } = normalizeAll();
  const [decide, answer] = llmSteps(spans);
  // A tool-call step streams an empty text: no content, only the decision.
  assert.deepEqual(decide?.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: "call-1", name: "weather", arguments: '{"city":"Paris"}' }] },
  ]);
  assert.equal(decide?.finishReason, "tool_calls");
  assert.deepEqual(answer?.outputMessages, [{ role: "assistant", content: "Sunny" }]);
  assert.equal(answer?.inputMessages?.at(-1)?.toolCallId, "call-1");
  const root = vercelAi.normalize(spanNamed(spans, "ai.streamText"));
  assert.equal(root.kind, "agent");
  assert.equal(root.name, "ai.streamText");
  assert.equal(root.runName, undefined);
  assert.equal(vercelAi.normalize(spanNamed(spans, "ai.toolCall")).toolCallId, "call-1");
});

test("ai@5 embed: retrieval steps with model and tokens", async () => {
  await embed5({
    model: new MockEmbeddingModelV2<string>({ doEmbed: async () => ({ embeddings: [[0.1, 0.2]], usage: { tokens: 3 } }) }),
    value: "hello",
    experimental_telemetry: { isEnabled: true },
  });
  const { spans } = normalizeAll();
  const inner = vercelAi.normalize(spanNamed(spans, "ai.embed.doEmbed"));
  assert.equal(inner.kind, "retrieval");
  assert.equal(inner.model, "mock-model-id");
  assert.equal(inner.inputTokens, 3);
  assert.equal(vercelAi.normalize(spanNamed(spans, "ai.embed")).input, '"hello"');
});

test("ai@6 under Traceloop's span processor: renamed spans, content moved to gen_ai.*, same steps", async () => {
  // Traceloop rewrites AI SDK spans before export (names, ai.* -> gen_ai.* / traceloop.*) but keeps ai.operationId.
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [createSpanProcessor({ exporter, disableBatch: true })] });
  let call = 0;
  const usage = (input: number, output: number) => ({
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
  });
  const model = new MockLanguageModelV3({
    doGenerate: async () =>
      ++call === 1
        ? {
            content: [{ type: "tool-call", toolCallId: "call-1", toolName: "weather", input: '{"city":"Paris"}' }],
            finishReason: { unified: "tool-calls", raw: "tool_calls" },
            usage: usage(10, 5),
            warnings: [],
          }
        : {
            content: [{ type: "text", text: "It is sunny." }],
            finishReason: { unified: "stop", raw: "stop" },
            usage: usage(20, 4),
            warnings: [],
          },
  });
  await generateText6({
    model,
    system: "You are helpful",
    prompt: "Weather in Paris?",
    tools: { weather: tool6({ inputSchema: weatherInput, execute: weatherExecute }) },
    stopWhen: stepCountIs6(3),
    experimental_telemetry: {
      ...telemetry,
      metadata: { ...telemetry.metadata, agent: "weather" },
      tracer: provider.getTracer("ai"),
    },
  });
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map(fromReadableSpan);
  for (const s of spans) assert.ok(vercelAi.detect(s), `detects ${s.name}`);
  assert.deepEqual(spans.map((s) => s.name).sort(), [
    "chat mock-model-id",
    "chat mock-model-id",
    "execute_tool weather",
    "weather.agent",
  ]);

  const [decide, answer] = spans
    .filter((s) => s.name === "chat mock-model-id")
    .sort((a, b) => Number(a.startNs - b.startNs))
    .map((s) => vercelAi.normalize(s));
  assert.ok(decide && answer);
  assert.equal(decide.kind, "llm");
  assert.equal(decide.agentName, "weather");
  assert.equal(decide.sessionId, "sess-1");
  assert.equal(decide.inputTokens, 10);
  assert.deepEqual(decide.inputMessages, [
    { role: "system", content: "You are helpful" },
    { role: "user", content: "Weather in Paris?" },
  ]);
  assert.deepEqual(decide.outputMessages, [
    { role: "assistant", content: null, toolCalls: [{ id: "call-1", name: "weather", arguments: '{"city":"Paris"}' }] },
  ]);
  assert.equal(decide.finishReason, "tool_calls");
  assert.deepEqual(answer.inputMessages?.at(-1), { role: "tool", content: '{"city":"Paris","temp":21}', toolCallId: "call-1" });

  const toolStep = vercelAi.normalize(spanNamed(spans, "execute_tool weather"));
  assert.equal(toolStep.kind, "tool");
  assert.equal(toolStep.toolCallId, "call-1");
  assert.equal(toolStep.toolArguments, '{"city":"Paris"}');
  assert.equal(toolStep.toolResult, '{"city":"Paris","temp":21}');

  // The root is still the agent loop, not a second model call.
  const root = vercelAi.normalize(spanNamed(spans, "weather.agent"));
  assert.equal(root.kind, "agent");
  assert.equal(root.runName, "weather-agent");
  assert.equal(root.agentName, "weather");
  await provider.shutdown();
});
