import assert from "node:assert/strict";
import { test } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { ContextPoint, StepDetail } from "@/lib/api/step-schemas";
import { diffContext } from "@/lib/context/diff";
import { decision, msg, system, toolResult, user } from "@/lib/context/test-messages";
import { ContextSizeChart } from "@/components/context/context-size-chart";
import { ContextView } from "@/components/context/context-view";
import { StepDetailView } from "@/components/step/step-detail";

/** Server-rendered markup: the labels and data attributes Playwright and screen readers rely on. */
const first = [system("You are a weather assistant."), user("What is the weather in Paris?")];
const second = [
  ...first,
  decision("call_weather_1", "get_weather", { city: "Paris" }),
  toolResult("call_weather_1", { temperature_c: 18, sky: "cloudy" }),
];

test("the context diff marks the tool result added between two decisions", () => {
  const html = renderToStaticMarkup(
    createElement(ContextView, {
      messages: second,
      diff: diffContext(first, second, { before: 52, after: 88 }),
      defaultMode: "full",
    }),
  );
  assert.match(html, /<section aria-label="Context"/);
  assert.match(html, /<article aria-label="message 1 system"[^>]*data-diff="unchanged"/);
  assert.match(html, /<article aria-label="message 3 assistant"[^>]*data-diff="added"[^>]*data-role="assistant"/);
  assert.match(html, /<article aria-label="message 4 tool"[^>]*data-diff="added"[^>]*data-role="tool"/);
  assert.match(html, /\+2 messages \(1 tool result, 1 assistant\), \+\d+ B, \+36 tokens/);
  assert.match(html, /href="#ctx-m3"[^>]*>result: message 4</, "the call links to its result");
  assert.match(html, /href="#ctx-m2"[^>]*>result of get_weather \(message 3\)</, "the result links to its call");
});

test("only changes folds unchanged messages; removed and rewritten ones are marked; the system prompt banner shows", () => {
  const next = [system("You are a weather assistant. Answer in French."), user("What is the weather in Lyon?")];
  const html = renderToStaticMarkup(
    createElement(ContextView, { messages: next, diff: diffContext(second, next), defaultMode: "changes" }),
  );
  assert.match(html, /aria-label="System prompt changed"/);
  assert.match(html, /<ins[^>]*>Answer in French.<\/ins>/);
  assert.match(html, /<article aria-label="message 1 system"[^>]*data-diff="rewritten"/);
  assert.match(html, /<article aria-label="previous message 3 assistant"[^>]*data-diff="removed"/);
  assert.match(html, /<article aria-label="previous message 4 tool"[^>]*data-diff="removed"/);
  assert.match(html, /aria-pressed="true"[^>]*>Only changes</);
});

test("span content is rendered as text, never as HTML", () => {
  const evil = [user('<img src=x onerror="alert(1)"><script>alert(2)</script>')];
  const html = renderToStaticMarkup(createElement(ContextView, { messages: evil, diff: null }));
  assert.ok(!html.includes("<img") && !html.includes("<script"));
  assert.match(html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
});

test("a truncated message shows its original and kept sizes", () => {
  const cut = toolResult("c1", "x".repeat(4096) + "…[truncated]", {
    truncated: true,
    cuts: [{ path: "content", bytes: 1_200_000 }],
  });
  const html = renderToStaticMarkup(createElement(ContextView, { messages: [cut], diff: null }));
  assert.match(html, /content truncated: 1\.2 MB → 4\.1 KB/);
});

test("the step detail: errors first, tabs, export for model calls", () => {
  const detail: StepDetail = {
    runId: "a".repeat(32),
    step: {
      spanId: "b".repeat(16),
      parentSpanId: null,
      kind: "llm",
      name: "chat gpt-4o",
      family: "genai",
      status: "error",
      statusMessage: "rate limited",
      startNs: "1000000000",
      endNs: "1250000000",
      agentName: null,
      provider: "openai",
      model: "gpt-4o",
      toolName: null,
      toolCallId: null,
      inputTokens: 88,
      outputTokens: 21,
      handoffTo: null,
      contextSize: 4,
      scopeName: "weather-agent",
      spanKind: 3,
      totalTokens: 109,
    },
    agent: "weather-agent",
    attributes: { "http.status_code": 429 },
    tools: [],
    parameters: { temperature: 0.2 },
    finishReason: null,
    truncated: [],
    omitted: [],
    events: [
      {
        name: "exception",
        timeNs: "1200000000",
        attributes: {},
        exception: {
          type: "RateLimitError",
          message: "429 Too Many Requests",
          stacktrace: "RateLimitError: 429\n    at call (llm.ts:10:5)",
        },
      },
    ],
    links: [],
    input: null,
    output: null,
    inputMessages: second,
    outputMessages: [msg("assistant", "It is 18°C.")],
    previous: { spanId: "c".repeat(16), name: "chat gpt-4o", startNs: "1", agent: "weather-agent", inputTokens: 52 },
    contextDiff: diffContext(first, second, { before: 52, after: 88 }),
  };
  const html = renderToStaticMarkup(createElement(StepDetailView, { detail }));
  assert.match(html, /<section aria-label="Errors"/);
  assert.match(html, /Step failed: rate limited/);
  assert.match(html, /RateLimitError: 429 Too Many Requests/);
  assert.match(html, /role="tab"[^>]*aria-selected="true"[^>]*>Context \(4\)</);
  assert.match(html, />Events\/Errors \(1 error\)</);
  assert.match(html, />Export context \(JSON\)</);
  assert.match(html, /250 ms/);
});

test("the context size chart: one labelled point per call, the current one marked", () => {
  const points: ContextPoint[] = [120, 40, 1400].map((t, i) => ({
    spanId: `s${i}`,
    startNs: String(i),
    agentName: i === 1 ? "writer" : "planner",
    messageCount: [2, 2, 4][i]!,
    bytes: 100 * (i + 1),
    inputTokens: t,
  }));
  const html = renderToStaticMarkup(createElement(ContextSizeChart, { points, currentSpanId: "s2", onSelect: () => {} }));
  assert.match(html, /<figure aria-label="Context size per step"/);
  assert.match(html, /aria-label="model call 3 \(planner\): 1\.4k tokens, 4 messages" aria-current="step"/);
  assert.equal(html.match(/<circle [^>]*role="button"/g)?.length, 3);
  assert.match(html, /input tokens/);
  assert.match(html, /writer/);
});
