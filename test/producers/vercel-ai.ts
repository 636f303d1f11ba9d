import { generateText as generateText6, stepCountIs as stepCountIs6, streamText as streamText6, tool as tool6 } from "ai";
import { convertArrayToReadableStream as toStream6, MockLanguageModelV3 } from "ai/test";
import { generateText as generateText5, stepCountIs as stepCountIs5, streamText as streamText5, tool as tool5 } from "ai-v5";
import { convertArrayToReadableStream as toStream5, MockLanguageModelV2 } from "ai-v5/test";
import { generateText as generateText7, stepCountIs as stepCountIs7, tool as tool7, type Telemetry } from "ai-v7";
import { MockLanguageModelV4 } from "ai-v7/test";
import { z } from "zod";
import { ensureContextManager, otlpTracing, type ProducerBase, type ProducerResult } from "@/test/producers/otlp";
import { VERCEL, WEATHER } from "@/test/producers/scripts";

/**
 * A weather agent on the Vercel AI SDK — ai@5 (`ai-v5`), ai@6 (`ai`) or ai@7 (`ai-v7`) — driven by that version's
 * mock language model (first a `get_weather` tool call, then the answer), a real `tool()` with `execute`, and
 * `experimental_telemetry: { isEnabled, functionId, metadata: { sessionId }, tracer }` with the tracer of our own
 * OTLP provider.
 *
 * ai@5/6 emit `ai.generateText` -> `ai.generateText.doGenerate`, `ai.toolCall`, `ai.generateText.doGenerate`; with
 * `stream` (ai@5/6) the agent uses `streamText` and the mock's `doStream`: `ai.streamText` -> `ai.streamText.doStream`,
 * `ai.toolCall`, `ai.streamText.doStream`.
 * ai@7 emits no OpenTelemetry spans by itself: its spans (`invoke_agent`, `step N`, `chat`, `execute_tool`) come from
 * the separate `@ai-sdk/otel` integration (see vercel-ai-otel.ts), and `TelemetryOptions` has no `tracer`. Here v7
 * runs without it: telemetry enabled and a per-call `Telemetry` integration that records the lifecycle events v7
 * does produce; the result reports them (and the provider's trace ids, expected empty).
 *
 * Registers an AsyncLocalStorage context manager globally (the AI SDK nests spans through the active context):
 * run it in its own process (child.ts).
 */
export type VercelAiOptions = ProducerBase & { version: 5 | 6 | 7; failTool?: boolean; sessionId?: string; stream?: boolean };
export type VercelAiResult = ProducerResult & {
  text: string;
  /** Tool call ids the SDK executed (from the result's steps). */
  toolCallIds: string[];
  /** ai@7 only: lifecycle events delivered to a per-call Telemetry integration. */
  telemetryEvents?: string[];
};

export const weatherInput = z.object({ city: z.string() });

export function weatherExecute(failTool: boolean) {
  return async ({ city }: { city: string }) => {
    if (failTool) throw new Error(WEATHER.error);
    return { ...WEATHER.result, city };
  };
}

/** The scripted turns as the model returns them (v2 usage is flat, v3/v4 usage is detailed), calling `callId`. */
export function turns(version: 5 | 6 | 7, callId: string) {
  const [u1, u2] = VERCEL.usage;
  const usage = (u: { input: number; output: number }) =>
    version === 5
      ? { inputTokens: u.input, outputTokens: u.output, totalTokens: u.input + u.output }
      : {
          inputTokens: { total: u.input, noCache: u.input, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: u.output, text: u.output, reasoning: undefined },
        };
  const finish = (reason: "tool-calls" | "stop") => (version === 5 ? reason : { unified: reason, raw: reason });
  return [
    {
      content: [
        {
          type: "tool-call" as const,
          toolCallId: callId,
          toolName: WEATHER.toolName,
          input: JSON.stringify({ city: WEATHER.city }),
        },
      ],
      finishReason: finish("tool-calls"),
      usage: usage(u1),
      warnings: [],
    },
    { content: [{ type: "text" as const, text: WEATHER.answer }], finishReason: finish("stop"), usage: usage(u2), warnings: [] },
  ];
}

/** The same turns as stream parts (doStream): a tool-call step streams no text. */
export function streamTurns(version: 5 | 6 | 7, callId: string) {
  return turns(version, callId).map((t) => [
    { type: "stream-start" as const, warnings: [] },
    ...t.content.flatMap((c): object[] =>
      c.type === "text"
        ? [
            { type: "text-start" as const, id: "t1" },
            { type: "text-delta" as const, id: "t1", delta: c.text },
            { type: "text-end" as const, id: "t1" },
          ]
        : [c],
    ),
    { type: "finish" as const, finishReason: t.finishReason, usage: t.usage },
  ]);
}

export async function runVercelAiAgent(o: VercelAiOptions): Promise<VercelAiResult> {
  ensureContextManager();
  const failTool = o.failTool ?? false;
  const tracing = otlpTracing({ ...o, serviceName: `vercel-ai-v${o.version}`, protocol: "protobuf", processor: "batch" });
  const tracer = tracing.provider.getTracer("ai");
  const metadata: Record<string, string> = o.sessionId ? { sessionId: o.sessionId } : {};
  const callId = VERCEL.toolCallId(o.version, failTool);
  const scripted = turns(o.version, callId);
  let call = 0;
  // The mocks' doGenerate returns the next scripted turn; the shapes differ per spec version only in usage/finish.
  const next = async () => scripted[Math.min(call++, scripted.length - 1)]!;
  const common = { system: WEATHER.system, prompt: WEATHER.prompt };

  let text: string;
  let steps: { toolCalls: { toolCallId: string }[] }[];
  let telemetryEvents: string[] | undefined;
  if (o.stream && o.version !== 7) {
    const parts = streamTurns(o.version, callId);
    const nextStream = async () => {
      const chunks = parts[Math.min(call++, parts.length - 1)]!;
      return { stream: o.version === 5 ? toStream5(chunks) : toStream6(chunks) };
    };
    const settings = {
      ...common,
      experimental_telemetry: { isEnabled: true, functionId: VERCEL.functionId, metadata, tracer },
    };
    const r =
      o.version === 5
        ? streamText5({
            ...settings,
            model: new MockLanguageModelV2({ doStream: nextStream as unknown as MockLanguageModelV2["doStream"] }),
            stopWhen: stepCountIs5(3),
            tools: { [WEATHER.toolName]: tool5({ inputSchema: weatherInput, execute: weatherExecute(failTool) }) },
          })
        : streamText6({
            ...settings,
            model: new MockLanguageModelV3({ doStream: nextStream as unknown as MockLanguageModelV3["doStream"] }),
            stopWhen: stepCountIs6(3),
            tools: { [WEATHER.toolName]: tool6({ inputSchema: weatherInput, execute: weatherExecute(failTool) }) },
          });
    await r.consumeStream();
    text = await r.text;
    steps = await r.steps;
  } else if (o.version === 5) {
    const r = await generateText5({
      ...common,
      model: new MockLanguageModelV2({ doGenerate: next as unknown as MockLanguageModelV2["doGenerate"] }),
      tools: {
        [WEATHER.toolName]: tool5({
          description: "Current weather",
          inputSchema: weatherInput,
          execute: weatherExecute(failTool),
        }),
      },
      stopWhen: stepCountIs5(3),
      experimental_telemetry: { isEnabled: true, functionId: VERCEL.functionId, metadata, tracer },
    });
    ({ text, steps } = r);
  } else if (o.version === 6) {
    const r = await generateText6({
      ...common,
      model: new MockLanguageModelV3({ doGenerate: next as unknown as MockLanguageModelV3["doGenerate"] }),
      tools: {
        [WEATHER.toolName]: tool6({
          description: "Current weather",
          inputSchema: weatherInput,
          execute: weatherExecute(failTool),
        }),
      },
      stopWhen: stepCountIs6(3),
      experimental_telemetry: { isEnabled: true, functionId: VERCEL.functionId, metadata, tracer },
    });
    ({ text, steps } = r);
  } else {
    const events: string[] = [];
    // Every lifecycle callback v7 offers an integration, recorded by name (in call order).
    const recorder: Telemetry = Object.fromEntries(
      [
        "onStart",
        "onStepStart",
        "onLanguageModelCallStart",
        "onLanguageModelCallEnd",
        "onToolExecutionStart",
        "onToolExecutionEnd",
        "onStepEnd",
        "onEnd",
        "onError",
      ].map((name) => [name, () => void events.push(name)]),
    );
    const r = await generateText7({
      ...common,
      model: new MockLanguageModelV4({ doGenerate: next as unknown as MockLanguageModelV4["doGenerate"] }),
      tools: {
        [WEATHER.toolName]: tool7({
          description: "Current weather",
          inputSchema: weatherInput,
          execute: weatherExecute(failTool),
        }),
      },
      stopWhen: stepCountIs7(3),
      experimental_telemetry: { isEnabled: true, functionId: VERCEL.functionId, integrations: [recorder] },
    });
    ({ text, steps } = r);
    telemetryEvents = events;
  }
  const traceIds = await tracing.finish();
  return {
    traceIds,
    text,
    toolCallIds: steps.flatMap((s) => s.toolCalls.map((c) => c.toolCallId)),
    ...(telemetryEvents ? { telemetryEvents } : {}),
  };
}
