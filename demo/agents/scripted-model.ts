import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { simulateReadableStream } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { between, estimateTokens, pause, responseId, toolCallId } from "@/demo/agents/sim";

/**
 * The AI SDK's own mock model (`MockLanguageModelV3` from `ai/test`) answering a script, one turn per model call,
 * with what a hosted model would add: latency, a response id and served model name, and token usage that grows
 * with the prompt the SDK actually sent. Works for `generateText` (doGenerate) and `streamText` (doStream).
 */
export type ScriptedTurn = { text?: string; toolCalls?: { name: string; input: Record<string, unknown> }[] };
export type ScriptedModelOptions = {
  /** AI SDK provider id, e.g. `openai.chat` (Causeway shows the first segment). */
  provider: string;
  modelId: string;
  /** The dated model name a provider reports back. */
  responseModelId: string;
  turns: ScriptedTurn[];
  latencyMs?: [number, number];
  timeScale: number;
};

export function scriptedModel(o: ScriptedModelOptions): MockLanguageModelV3 {
  let call = 0;
  const next = async (options: LanguageModelV3CallOptions) => {
    await pause(between(...(o.latencyMs ?? [500, 1500])), o.timeScale, options.abortSignal);
    const turn = o.turns[Math.min(call++, o.turns.length - 1)]!;
    const content: LanguageModelV3Content[] = [
      ...(turn.text ? [{ type: "text" as const, text: turn.text }] : []),
      ...(turn.toolCalls ?? []).map((c) => ({
        type: "tool-call" as const,
        toolCallId: toolCallId(o.provider),
        toolName: c.name,
        input: JSON.stringify(c.input),
      })),
    ];
    const calls = content.some((c) => c.type === "tool-call");
    const promptText = JSON.stringify(options.prompt) + JSON.stringify(options.tools ?? []);
    const input = estimateTokens(promptText, options.prompt.length);
    const output = estimateTokens(JSON.stringify(content));
    const usage: LanguageModelV3Usage = {
      inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: output, text: output, reasoning: undefined },
    };
    const finishReason = calls
      ? { unified: "tool-calls" as const, raw: o.provider.startsWith("anthropic") ? "tool_use" : "tool_calls" }
      : { unified: "stop" as const, raw: o.provider.startsWith("anthropic") ? "end_turn" : "stop" };
    const response = { id: responseId(o.provider), modelId: o.responseModelId, timestamp: new Date() };
    return { content, finishReason, usage, response };
  };
  return new MockLanguageModelV3({
    provider: o.provider,
    modelId: o.modelId,
    doGenerate: async (options): Promise<LanguageModelV3GenerateResult> => ({ ...(await next(options)), warnings: [] }),
    doStream: async (options) => {
      const { content, finishReason, usage, response } = await next(options);
      const chunks: LanguageModelV3StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "response-metadata", ...response },
        ...content.flatMap((c): LanguageModelV3StreamPart[] =>
          c.type === "text"
            ? [
                { type: "text-start", id: "txt-0" },
                // Streamed a few words at a time, like a provider does.
                ...(c.text.match(/\S+\s*/g) ?? []).map((delta) => ({ type: "text-delta" as const, id: "txt-0", delta })),
                { type: "text-end", id: "txt-0" },
              ]
            : c.type === "tool-call"
              ? [c]
              : [],
        ),
        { type: "finish", finishReason, usage },
      ];
      return { stream: simulateReadableStream({ chunks, chunkDelayInMs: Math.round(15 * o.timeScale) || null }) };
    },
  });
}
