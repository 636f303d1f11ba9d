import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { OpenInferenceTracingProcessor } from "@arizeai/openinference-instrumentation-openai-agents";
import { Agent, run, setDefaultOpenAIClient, setOpenAIAPI, setTraceProcessors, tool } from "@openai/agents";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { z } from "zod";
import { fromReadableSpan } from "@/lib/conventions/from-sdk.test-helper";
import { openinference } from "@/lib/conventions/openinference";
import type { NormalizedStep } from "@/lib/conventions/types";
import type { Span } from "@/lib/otlp/types";

/**
 * The real OpenAI Agents SDK, traced by the real OpenInference processor, against a fake
 * model server: Triage calls lookup_order, then hands off to "Billing agent", which answers.
 */

let server: http.Server;
let calls = 0;

/** Three model turns, in Chat Completions or Responses shape depending on the path. */
function reply(path: string, n: number, request: { instructions?: unknown }): unknown {
  const decisions = [
    { id: "call_1", name: "lookup_order", arguments: '{"order_id":"A1"}' },
    { id: "call_2", name: "transfer_to_Billing_agent", arguments: "{}" },
  ];
  const d = decisions[n - 1];
  if (path.endsWith("/chat/completions")) {
    const message = d
      ? {
          role: "assistant",
          content: null,
          tool_calls: [{ id: d.id, type: "function", function: { name: d.name, arguments: d.arguments } }],
        }
      : { role: "assistant", content: "Refund issued." };
    return {
      id: `cmpl-${n}`,
      object: "chat.completion",
      created: 1,
      model: "gpt-4o-mini",
      choices: [{ index: 0, message, finish_reason: d ? "tool_calls" : "stop" }],
      usage: { prompt_tokens: 10 * n, completion_tokens: 3, total_tokens: 10 * n + 3 },
    };
  }
  const output = d
    ? [{ type: "function_call", id: `fc_${n}`, call_id: d.id, name: d.name, arguments: d.arguments, status: "completed" }]
    : [
        {
          type: "message",
          id: "msg_3",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "Refund issued.", annotations: [] }],
        },
      ];
  return {
    id: `resp_${n}`,
    object: "response",
    created_at: 1,
    model: "gpt-4o-mini",
    status: "completed",
    // The Responses API echoes the instructions; OpenInference turns them into the system message.
    instructions: request.instructions ?? null,
    output,
    tools: [],
    parallel_tool_calls: true,
    tool_choice: "auto",
    usage: { input_tokens: 10 * n, output_tokens: 3, total_tokens: 10 * n + 3 },
  };
}

before(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      calls++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(reply(req.url ?? "", calls, JSON.parse(body) as { instructions?: unknown })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  setDefaultOpenAIClient(new OpenAI({ apiKey: "sk-test", baseURL: `http://127.0.0.1:${port}/v1` }));
});

after(() => server.close());

async function traceRun(api: "chat_completions" | "responses"): Promise<{ spans: Span[]; steps: Map<Span, NormalizedStep> }> {
  calls = 0;
  setOpenAIAPI(api);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  setTraceProcessors([new OpenInferenceTracingProcessor({ tracerProvider: provider })]);

  const billing = new Agent({ name: "Billing agent", instructions: "Handle billing.", handoffDescription: "billing" });
  const lookup = tool({
    name: "lookup_order",
    description: "Look up an order",
    parameters: z.object({ order_id: z.string() }),
    execute: async ({ order_id }) => `order ${order_id}: paid`,
  });
  const triage = new Agent({
    name: "Triage",
    instructions: "Route the user.",
    tools: [lookup],
    handoffs: [billing],
    inputGuardrails: [{ name: "no_pii", execute: async () => ({ outputInfo: { ok: true }, tripwireTriggered: false }) }],
  });
  const result = await run(triage, "Refund order A1");
  assert.equal(result.finalOutput, "Refund issued.");
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map(fromReadableSpan);
  const steps = new Map<Span, NormalizedStep>();
  for (const s of spans) {
    assert.ok(openinference.detect(s), `detects ${s.name}`);
    steps.set(s, openinference.normalize(s));
  }
  return { spans, steps };
}

for (const api of ["chat_completions", "responses"] as const) {
  test(`OpenAI Agents (${api}): kinds and the parent/child shape`, async () => {
    const { spans, steps } = await traceRun(api);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const shape = spans
      .map((s) => {
        const parent = s.parentSpanId ? byId.get(s.parentSpanId)?.name : "-";
        return `${steps.get(s)!.kind}:${s.name} <- ${parent}`;
      })
      .sort();
    const llm = api === "responses" ? "response" : "generation";
    assert.deepEqual(
      shape,
      [
        "agent:Agent workflow <- -",
        "agent:Billing agent <- Agent workflow",
        "agent:Triage <- Agent workflow",
        "agent:handoff to Billing agent <- turn",
        "chain:Agent workflow <- Agent workflow",
        "chain:turn <- Billing agent",
        "chain:turn <- Triage",
        "chain:turn <- Triage",
        "guardrail:no_pii <- Triage",
        `llm:${llm} <- turn`,
        `llm:${llm} <- turn`,
        `llm:${llm} <- turn`,
        "tool:lookup_order <- turn",
      ].sort(),
    );
    const root = spans.find((s) => s.parentSpanId === null)!;
    assert.equal(steps.get(root)!.runName, "Agent workflow");
    assert.equal(steps.get(root)!.output, "Refund issued.");
  });

  test(`OpenAI Agents (${api}): decision -> tool -> result -> next decision -> handoff`, async () => {
    const { spans, steps } = await traceRun(api);
    const llms = spans.filter((s) => steps.get(s)!.kind === "llm").sort((a, b) => Number(a.startNs - b.startNs));
    const [first, second, third] = llms.map((s) => steps.get(s)!);
    assert.ok(first && second && third);

    assert.deepEqual(
      first.inputMessages?.map((m) => [m.role, m.content]),
      [
        ["system", "Route the user."],
        ["user", "Refund order A1"],
      ],
    );
    assert.deepEqual(first.outputMessages?.[0]?.toolCalls, [
      { id: "call_1", name: "lookup_order", arguments: '{"order_id":"A1"}' },
    ]);
    assert.equal(first.inputTokens, 10);
    assert.equal(first.outputTokens, 3);
    assert.equal(first.totalTokens, 13);
    // Chat Completions passes finish_reason through; the Responses API reports "completed" -> "stop" even for tool calls.
    assert.equal(first.finishReason, api === "responses" ? "stop" : "tool_calls");

    // The tool span carries no call id: only its name and order link it to call_1.
    const toolStep = steps.get(spans.find((s) => s.name === "lookup_order")!)!;
    assert.equal(toolStep.toolName, "lookup_order");
    assert.equal(toolStep.toolCallId, undefined);
    assert.equal(toolStep.toolArguments, '{"order_id":"A1"}');
    assert.equal(toolStep.toolResult, "order A1: paid");

    // The next decision sees the result, linked by tool_call_id.
    assert.deepEqual(second.inputMessages?.slice(2), [
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "lookup_order", arguments: '{"order_id":"A1"}' }] },
      { role: "tool", content: "order A1: paid", toolCallId: "call_1" },
    ]);
    assert.deepEqual(second.outputMessages?.[0]?.toolCalls, [
      { id: "call_2", name: "transfer_to_Billing_agent", arguments: "{}" },
    ]);

    const handoff = steps.get(spans.find((s) => s.name === "handoff to Billing agent")!)!;
    assert.equal(handoff.kind, "agent");
    assert.equal(handoff.agentName, "Triage");
    assert.equal(handoff.handoffTo, "Billing agent");

    const billing = spans.find((s) => s.name === "Billing agent")!;
    assert.equal(steps.get(billing)!.agentName, "Billing agent");
    assert.equal(billing.attributes["graph.node.parent_id"], "Triage");

    assert.deepEqual(third.inputMessages?.at(-1), {
      role: "tool",
      content: '{"assistant":"Billing agent"}',
      toolCallId: "call_2",
    });
    assert.deepEqual(third.outputMessages, [{ role: "assistant", content: "Refund issued." }]);
    assert.equal(third.inputMessages?.[0]?.content, "Handle billing.");
  });
}
