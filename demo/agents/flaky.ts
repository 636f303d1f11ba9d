import { SpanStatusCode } from "@opentelemetry/api";
import { runGenAiAgent, type AgentProfile } from "@/demo/agents/genai";
import type { AgentOptions, AgentRun } from "@/demo/agents/types";

/**
 * A billing assistant (Gemini) whose `fetch_invoice` tool keeps failing: the billing API times out, the model retries
 * with the same arguments, and after three failures it opens a ticket and gives up — the run ends in error. With
 * `failures` below 3 the retry succeeds and the run completes. Hand-written loop, GenAI conventions, OTLP/HTTP
 * protobuf.
 */
export type FlakyOptions = AgentOptions & {
  /** How many fetch_invoice calls fail before one succeeds (default 3, which is when the agent gives up). */
  failures?: number;
};

export const FLAKY = {
  service: "billing-assistant",
  agent: "billing-assistant",
  tool: "fetch_invoice",
  invoiceId: "INV-2025-0342",
  maxAttempts: 3,
  error: "billing-api: 503 Service Unavailable (upstream timed out after 10000 ms)",
} as const;

/** What a real HTTP client would throw: its class name becomes the span's `error.type`. */
class BillingApiError extends Error {}

const AGENT: AgentProfile = {
  name: FLAKY.agent,
  description: "Answers billing questions: invoices, charges, refunds.",
  model: { provider: "gcp.vertex_ai", request: "gemini-2.5-flash", response: "gemini-2.5-flash", temperature: 0.1 },
  system:
    "You are the billing assistant of Northwind Cloud. Fetch invoices before discussing charges. If a system is " +
    "unavailable, retry at most twice, then open a ticket for the billing team and tell the customer honestly.",
  tools: [
    {
      name: FLAKY.tool,
      description: "Fetch an invoice with its line items and payments.",
      parameters: { type: "object", properties: { invoiceId: { type: "string" } }, required: ["invoiceId"] },
    },
    {
      name: "open_ticket",
      description: "Open a ticket for a human team.",
      parameters: {
        type: "object",
        properties: { team: { type: "string" }, summary: { type: "string" }, priority: { type: "string" } },
        required: ["team", "summary"],
      },
    },
  ],
};

const INVOICE = {
  invoiceId: FLAKY.invoiceId,
  period: "2025-03",
  lines: [
    { description: "Compute — 2 × standard-4 instances", amount: 184.0 },
    { description: "Object storage — 1.2 TB", amount: 27.6 },
  ],
  total: 211.6,
  currency: "USD",
  payments: [
    { id: "pay_7Q2x", amount: 211.6, at: "2025-04-01T06:12:09Z", status: "succeeded" },
    { id: "pay_7Q3m", amount: 211.6, at: "2025-04-01T06:12:11Z", status: "refund_pending" },
  ],
};

export async function runFlakyAgent(o: FlakyOptions): Promise<AgentRun> {
  const failures = o.failures ?? FLAKY.maxAttempts;
  let calls = 0;
  const fetchInvoice = async () => {
    if (++calls <= failures) throw new BillingApiError(FLAKY.error);
    return INVOICE;
  };
  return runGenAiAgent(o, { name: FLAKY.service, version: "2.3.0", protocol: "protobuf" }, AGENT, async (chat, _run, root) => {
    chat.user(`Can you send me invoice ${FLAKY.invoiceId} again? I think I was charged twice in March.`);
    const retries = ["", "The billing system timed out; trying again.", "Still timing out; one last try."];
    for (let attempt = 0; attempt < FLAKY.maxAttempts; attempt++) {
      const [call] = await chat.chat({
        text: retries[attempt],
        toolCalls: [{ name: FLAKY.tool, arguments: { invoiceId: FLAKY.invoiceId } }],
      });
      // The timeout is the slow part of a failing call.
      const outcome = await chat.tool(call!, fetchInvoice, calls < failures ? [2500, 4000] : [200, 500]);
      if (outcome.ok) {
        const answer =
          `You're right — invoice ${FLAKY.invoiceId} ($211.60) was paid twice on 1 April, two seconds apart. The second ` +
          "payment (pay_7Q3m) is already being refunded and should reach your card within 5–7 business days.";
        await chat.chat({ text: answer });
        return answer;
      }
    }
    const [ticket] = await chat.chat({
      toolCalls: [
        {
          name: "open_ticket",
          arguments: {
            team: "billing",
            summary: `Customer reports a double charge on ${FLAKY.invoiceId}; billing API unavailable (3 timeouts).`,
            priority: "high",
          },
        },
      ],
    });
    await chat.tool(ticket!, async () => ({ ticketId: "BILL-7731", status: "open", team: "billing" }));
    const answer =
      `I'm sorry — our billing system isn't responding, so I can't pull up ${FLAKY.invoiceId} right now. I've opened ` +
      "ticket BILL-7731 with the billing team (high priority); they'll check the double charge and email you today.";
    await chat.chat({ text: answer });
    root.setStatus({ code: SpanStatusCode.ERROR, message: `${FLAKY.tool} failed ${FLAKY.maxAttempts} times` });
    return answer;
  });
}
