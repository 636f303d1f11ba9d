import { stepCountIs, streamText, tool } from "ai";
import { z } from "zod";
import { runAiSdkAgent } from "@/demo/agents/ai-sdk";
import { scriptedModel, type ScriptedTurn } from "@/demo/agents/scripted-model";
import type { AgentOptions, AgentRun } from "@/demo/agents/types";

/**
 * A travel deal-finder on the Vercel AI SDK (v6 `streamText`, Claude 3.5 Haiku through the SDK's mock model) that
 * gets stuck: the search results never show a price, and the model calls `search_web` with the very same query
 * again and again (`repeats`, default 6) until its step budget runs out — the loop Causeway's drift detection is
 * for.
 */
export type LoopOptions = AgentOptions & {
  /** How many identical search_web calls the model makes before giving up (default 6). */
  repeats?: number;
};

export const LOOP = {
  service: "travel-planner",
  functionId: "deal-finder",
  tool: "search_web",
  query: "cheapest direct flight Lisbon to Berlin 14 March",
  defaultRepeats: 6,
} as const;

const SYSTEM =
  "You find the cheapest travel options for the user. Use search_web to find current prices and always quote a price " +
  "with its source. Do not guess prices.";

const RESULTS = {
  query: LOOP.query,
  results: [
    {
      title: "Cheap flights from Lisbon to Berlin | Compare airlines",
      url: "https://flightcompare.example/lis-ber",
      snippet: "Compare cheap flights from Lisbon to Berlin. Find the best deals and book with confidence…",
    },
    {
      title: "Lisbon (LIS) to Berlin (BER) flights",
      url: "https://skyroutes.example/routes/lis-ber",
      snippet: "Flight time 3h 35m. Airlines flying this route: 4. Prices vary by date; enable JavaScript to see fares.",
    },
  ],
};

export async function runLoopAgent(o: LoopOptions): Promise<AgentRun> {
  const repeats = o.repeats ?? LOOP.defaultRepeats;
  const search: ScriptedTurn["toolCalls"] = [{ name: LOOP.tool, input: { query: LOOP.query } }];
  const turns: ScriptedTurn[] = [
    { toolCalls: search },
    ...Array.from({ length: repeats - 1 }, () => ({
      text: "These results don't show prices yet. Let me search again.",
      toolCalls: search,
    })),
    {
      text:
        "I couldn't find a current price for a direct Lisbon–Berlin flight on 14 March: the search results only link " +
        "to comparison pages without fares. Try flightcompare.example directly, or let me check a nearby date.",
    },
  ];
  return runAiSdkAgent(o, { name: LOOP.service, version: "0.4.1", functionId: LOOP.functionId }, async (run) => {
    const result = streamText({
      model: scriptedModel({
        provider: "anthropic.messages",
        modelId: "claude-3-5-haiku-latest",
        responseModelId: "claude-3-5-haiku-20241022",
        turns,
        latencyMs: [400, 1000],
        timeScale: run.scale,
      }),
      system: SYSTEM,
      prompt: "Find me the cheapest direct flight from Lisbon to Berlin on 14 March, ideally under €120.",
      tools: {
        [LOOP.tool]: tool({
          description: "Search the web; returns the top results with title, URL and snippet.",
          inputSchema: z.object({ query: z.string() }),
          execute: run.tool([500, 1200], () => RESULTS),
        }),
      },
      stopWhen: stepCountIs(repeats + 1),
      abortSignal: o.signal,
      prepareStep: run.prepareStep,
      experimental_telemetry: run.telemetry,
      // Errors reach us through the awaited promises below; the default handler would also log them.
      onError: () => {},
    });
    await result.consumeStream();
    o.signal?.throwIfAborted();
    return result.text;
  });
}
