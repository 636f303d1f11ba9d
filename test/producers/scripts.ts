import type { FakeTurn, FakeUsage } from "@/test/producers/fake-openai";

/**
 * What the producers' mock models and fake servers answer, shared with the tests so their assertions use the
 * values the SDKs really saw. No SDK is imported here: the test process reads these without loading any producer.
 */

export const WEATHER = {
  toolName: "get_weather",
  city: "Paris",
  result: { city: "Paris", temperature_c: 18, sky: "cloudy" },
  answer: "It is 18°C and cloudy in Paris.",
  error: "weather service unavailable",
  system: "You are a weather assistant.",
  prompt: "What is the weather in Paris?",
} as const;

/** The get_weather tool as an OpenAI chat.completions tool definition. */
export const WEATHER_TOOL_DEFINITION = {
  type: "function" as const,
  function: {
    name: WEATHER.toolName,
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** Two model turns: call get_weather (Paris), then answer. */
function toolThenAnswer(toolCallId: string, usage: readonly [FakeUsage, FakeUsage]): FakeTurn[] {
  return [
    { toolCalls: [{ id: toolCallId, name: WEATHER.toolName, arguments: '{"city":"Paris"}' }], usage: usage[0] },
    { text: WEATHER.answer, usage: usage[1] },
  ];
}

/** Vercel AI SDK: scripted mock model turns (tool call, then answer) per major version. */
export const VERCEL = {
  functionId: "weather-agent",
  /** The mocks' defaults (MockLanguageModelV2/V3/V4). */
  model: "mock-model-id",
  provider: "mock-provider",
  toolCallId: (version: number, failTool = false) => `call_v${version}_weather${failTool ? "_fail" : ""}`,
  usage: [
    { input: 31, output: 7 },
    { input: 45, output: 9 },
  ],
} as const;

/**
 * AI SDK 7 with the `@ai-sdk/otel` integration: the same mock turns, model and usage as VERCEL, one call id per API
 * (the runs without the integration use VERCEL's, and must leave no trace of them).
 */
export const VERCEL_OTEL = {
  functionId: "weather-agent",
  serviceName: "vercel-ai-v7-otel",
  toolCallId: (api: string, failTool = false) => `call_v7_otel_${api}${failTool ? "_fail" : ""}`,
} as const;

/** OpenAI Agents SDK: Triage calls get_weather, hands off to the Forecaster agent, which answers. */
export const AGENTS = {
  triage: "Triage",
  forecaster: "Forecaster",
  workflow: "Weather workflow",
  toolCallId: "call_agents_weather",
  handoffCallId: "call_agents_handoff",
  handoffTool: "transfer_to_Forecaster",
  model: "gpt-4o-mini-2024-07-18",
  usage: [
    { input: 52, output: 11 },
    { input: 71, output: 6 },
    { input: 90, output: 14 },
  ],
  script(): FakeTurn[] {
    return [
      { toolCalls: [{ id: this.toolCallId, name: WEATHER.toolName, arguments: '{"city":"Paris"}' }], usage: this.usage[0] },
      { toolCalls: [{ id: this.handoffCallId, name: this.handoffTool, arguments: "{}" }], usage: this.usage[1] },
      { text: WEATHER.answer, usage: this.usage[2] },
    ];
  },
} as const;

/** OpenInference OpenAI instrumentation: a hand-written agent loop over chat.completions. */
export const OI_OPENAI = {
  agent: "weather-agent",
  toolCallId: (failTool = false) => `call_oi_weather${failTool ? "_fail" : ""}`,
  model: "gpt-4o-mini-2024-07-18",
  usage: [
    { input: 64, output: 13 },
    { input: 97, output: 15 },
  ],
  script(failTool = false): FakeTurn[] {
    return toolThenAnswer(this.toolCallId(failTool), this.usage);
  },
} as const;

/** Traceloop SDK: withWorkflow -> (chat -> withTool -> chat) over the instrumented openai client. */
export const TRACELOOP = {
  workflow: "weather_workflow",
  toolCallId: (failTool = false) => `call_tl_weather${failTool ? "_fail" : ""}`,
  model: "gpt-4o-mini-2024-07-18",
  usage: [
    { input: 83, output: 17 },
    { input: 121, output: 19 },
  ],
  script(failTool = false): FakeTurn[] {
    return toolThenAnswer(this.toolCallId(failTool), this.usage);
  },
} as const;

/** The Vercel AI SDK (ai@6) under Traceloop's span processor. */
export const TRACELOOP_AI = {
  functionId: "weather-agent",
  agent: "weather",
  model: "mock-model-id",
  toolCallId: "call_tl_ai_weather",
  usage: [
    { input: 38, output: 8 },
    { input: 57, output: 12 },
  ],
} as const;
