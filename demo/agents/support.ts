import { generateText, stepCountIs, tool, type ModelMessage } from "ai";
import { z } from "zod";
import { runAiSdkAgent } from "@/demo/agents/ai-sdk";
import { scriptedModel, type ScriptedTurn } from "@/demo/agents/scripted-model";
import type { AgentOptions, AgentRun } from "@/demo/agents/types";

/**
 * A customer-support bot on the Vercel AI SDK (v6 `generateText`, GPT-4o mini through the SDK's mock model) that
 * looks orders up, quotes the refund policy and opens refunds: several tool calls per run, each decided by one model
 * call and answered in the next. The `refund-followup` scenario continues the `damaged-item` conversation (pass the
 * same sessionId: one session, two runs).
 */
export type SupportScenario = keyof typeof SCENARIOS;
export type SupportOptions = AgentOptions & { scenario?: SupportScenario };

export const SUPPORT = {
  service: "support-bot",
  functionId: "support-bot",
  model: "gpt-4o-mini",
} as const;

const SYSTEM =
  "You are the support assistant of Aurora Electronics. Look the order up before answering, quote the refund policy " +
  "exactly, and never promise a refund the policy does not allow. Be brief and friendly.";

const ORDERS: Record<string, object> = {
  "A-10428": {
    orderId: "A-10428",
    status: "delivered",
    deliveredAt: "2025-03-02",
    region: "EU",
    items: [{ sku: "TAB-11-128", name: "Aurora Tab 11 (128 GB)", category: "tablets", qty: 1, price: 329.0 }],
    total: 329.0,
    currency: "EUR",
    contact: "dana.whitfield@example.com",
  },
  "B-20913": {
    orderId: "B-20913",
    status: "in_transit",
    shippedAt: "2025-03-08",
    promisedBy: "2025-03-11",
    region: "US",
    carrier: "UPS",
    trackingNumber: "1Z999AA10123456784",
    items: [{ sku: "HP-Q45-BLK", name: "Aurora Q45 headphones", category: "audio", qty: 1, price: 149.0 }],
    total: 149.0,
    currency: "USD",
  },
};

const DAMAGED_ANSWER =
  "I'm sorry your tablet arrived damaged! It was delivered on 2 March, so you're within the 30-day window, and " +
  "damaged-on-arrival items get a full refund with free return shipping. I've opened refund RF-55120 for €329.00: " +
  "a prepaid return label is on its way by email, and the money goes back to your original payment method 3–5 " +
  "business days after the tablet reaches our warehouse.";

const SCENARIOS = {
  "damaged-item": {
    question: "Hi! My Aurora Tab 11 from order A-10428 arrived with a cracked screen. Can I get my money back?",
    history: [] as ModelMessage[],
    turns: [
      { toolCalls: [{ name: "lookup_order", input: { orderId: "A-10428" } }] },
      { toolCalls: [{ name: "get_refund_policy", input: { region: "EU", category: "tablets", reason: "damaged_on_arrival" } }] },
      {
        text: "The order is eligible; opening the refund now.",
        toolCalls: [{ name: "create_refund", input: { orderId: "A-10428", amount: 329.0, reason: "damaged_on_arrival" } }],
      },
      { text: DAMAGED_ANSWER },
    ],
  },
  "refund-followup": {
    question: "Thanks! Do I need the original box to send it back, and when exactly will the €329 show up?",
    history: [
      {
        role: "user",
        content: "Hi! My Aurora Tab 11 from order A-10428 arrived with a cracked screen. Can I get my money back?",
      },
      { role: "assistant", content: DAMAGED_ANSWER },
    ] as ModelMessage[],
    turns: [
      { toolCalls: [{ name: "lookup_refund", input: { refundId: "RF-55120" } }] },
      {
        text:
          "No need for the original box — any padded packaging works, and the prepaid label was emailed this morning. " +
          "Refund RF-55120 is waiting for the parcel: once the warehouse scans it, €329.00 is credited within 3–5 " +
          "business days (usually 2 with your bank).",
      },
    ],
  },
  "where-is-my-order": {
    question: "Where is my order B-20913? It was supposed to arrive yesterday.",
    history: [] as ModelMessage[],
    turns: [
      { toolCalls: [{ name: "lookup_order", input: { orderId: "B-20913" } }] },
      { toolCalls: [{ name: "track_shipment", input: { carrier: "UPS", trackingNumber: "1Z999AA10123456784" } }] },
      {
        text:
          "Sorry for the wait! Your Aurora Q45 headphones were delayed by weather at the UPS hub in Louisville and are " +
          "now out for delivery: UPS expects them today by 7 pm. If they haven't arrived by Friday, reply here and " +
          "I'll send a replacement right away.",
      },
    ],
  },
} satisfies Record<string, { question: string; history: ModelMessage[]; turns: ScriptedTurn[] }>;

export async function runSupportAgent(o: SupportOptions): Promise<AgentRun> {
  const scenario = SCENARIOS[o.scenario ?? "damaged-item"];
  return runAiSdkAgent(o, { name: SUPPORT.service, version: "3.1.0", functionId: SUPPORT.functionId }, async (run) => {
    const model = scriptedModel({
      provider: "openai.chat",
      modelId: SUPPORT.model,
      responseModelId: "gpt-4o-mini-2024-07-18",
      turns: scenario.turns,
      latencyMs: [700, 1600],
      timeScale: run.scale,
    });
    const result = await generateText({
      model,
      system: SYSTEM,
      messages: [...scenario.history, { role: "user", content: scenario.question }],
      temperature: 0.2,
      tools: {
        lookup_order: tool({
          description: "Look an order up by id: status, items, delivery and contact.",
          inputSchema: z.object({ orderId: z.string() }),
          execute: run.tool([120, 400], ({ orderId }) => ORDERS[orderId] ?? { error: `no order ${orderId}` }),
        }),
        get_refund_policy: tool({
          description: "The refund policy for a region, product category and reason.",
          inputSchema: z.object({ region: z.string(), category: z.string(), reason: z.string() }),
          execute: run.tool([80, 250], ({ region, category, reason }) => ({
            region,
            category,
            reason,
            windowDays: 30,
            refund: reason === "damaged_on_arrival" ? "full" : "full minus 10% restocking fee",
            returnShipping: reason === "damaged_on_arrival" ? "free (prepaid label)" : "paid by customer",
            creditDelay: "3–5 business days after the return is received",
          })),
        }),
        create_refund: tool({
          description: "Open a refund for an order.",
          inputSchema: z.object({ orderId: z.string(), amount: z.number(), reason: z.string() }),
          execute: run.tool([300, 900], ({ orderId, amount }) => ({
            refundId: "RF-55120",
            orderId,
            amount,
            status: "awaiting_return",
            returnLabel: "emailed",
          })),
        }),
        lookup_refund: tool({
          description: "Status of a refund.",
          inputSchema: z.object({ refundId: z.string() }),
          execute: run.tool([100, 300], ({ refundId }) => ({
            refundId,
            status: "awaiting_return",
            labelEmailedAt: "2025-03-10T08:41:00Z",
            amount: 329.0,
            currency: "EUR",
          })),
        }),
        track_shipment: tool({
          description: "Tracking events of a parcel.",
          inputSchema: z.object({ carrier: z.string(), trackingNumber: z.string() }),
          execute: run.tool([400, 1200], ({ carrier, trackingNumber }) => ({
            carrier,
            trackingNumber,
            events: [
              { at: "2025-03-10T21:14:00-05:00", where: "Louisville, KY", what: "Delayed: severe weather" },
              { at: "2025-03-12T06:02:00-05:00", where: "Columbus, OH", what: "Out for delivery" },
            ],
            estimatedDelivery: "today by 19:00",
          })),
        }),
      },
      stopWhen: stepCountIs(8),
      abortSignal: o.signal,
      prepareStep: run.prepareStep,
      experimental_telemetry: run.telemetry,
    });
    return result.text;
  });
}
