import { randomBytes } from "node:crypto";
import { concat, kv, pb } from "@/collector/decode/pb-builder";

/**
 * Realistic agent-shaped OTLP requests for benchmarks: each trace is a run of
 * invoke_agent -> (chat -> execute_tool)* -> chat, with GenAI attributes, message
 * JSON whose history grows turn by turn (so message dedup does real work), and ids
 * recorded so a benchmark can check what became queryable.
 */
export type GeneratedRequest = { body: Uint8Array; spans: number; probe: { traceId: string; spanId: string } };

const T0 = 1_763_700_000_000_000_000n;
const SYSTEM_PROMPT =
  "You are a travel agent. Use search_flights to find flights and book_hotel to reserve rooms. Always confirm dates, " +
  "number of travellers and budget before booking. Prefer direct flights. Never book without explicit confirmation. " +
  "Answer in the user's language, briefly, with prices in EUR.";
const TOOL_DEFINITIONS = JSON.stringify([
  {
    type: "function",
    name: "search_flights",
    description: "Search flights",
    parameters: { type: "object", properties: { to: { type: "string" }, leg: { type: "integer" } } },
  },
  {
    type: "function",
    name: "book_hotel",
    description: "Book a hotel room",
    parameters: { type: "object", properties: { city: { type: "string" }, nights: { type: "integer" } } },
  },
]);
const FARE_RULES =
  "Changes allowed up to 24 h before departure for a fee of 50 EUR. Refunds only for flexible fares. Baggage: one cabin bag of 8 kg.";

export function agentRequest(
  spanCount: number,
  /** fullHistory: each model call carries the whole conversation so far (most frameworks), not its last three messages. */
  opts: { contentBytes: number; spansPerRun?: number; fullHistory?: boolean },
): GeneratedRequest {
  const perRun = opts.spansPerRun ?? 32;
  const spans: Uint8Array[] = [];
  let probe = { traceId: "", spanId: "" };
  const filler = "x".repeat(Math.max(0, opts.contentBytes));
  for (let start = 0; start < spanCount; start += perRun) {
    const traceId = randomBytes(16);
    const rootId = randomBytes(8);
    const n = Math.min(perRun, spanCount - start);
    const history: object[] = [
      { role: "user", parts: [{ type: "text", content: `Plan a trip to Lisbon for 3 people. ${filler}` }] },
    ];
    const system = JSON.stringify([{ type: "text", content: SYSTEM_PROMPT }]);
    spans.push(
      span(traceId, rootId, null, "invoke_agent travel-agent", 0, [
        kv.string(9, "gen_ai.operation.name", "invoke_agent"),
        kv.string(9, "gen_ai.agent.name", "travel-agent"),
      ]),
    );
    for (let i = 1; i < n; i++) {
      const id = randomBytes(8);
      if (i % 2 === 1) {
        const callId = `call_${start + i}`;
        spans.push(
          span(traceId, id, rootId, "chat gpt-4o-mini", i, [
            kv.string(9, "gen_ai.operation.name", "chat"),
            kv.string(9, "gen_ai.provider.name", "openai"),
            kv.string(9, "gen_ai.request.model", "gpt-4o-mini"),
            kv.int(9, "gen_ai.usage.input_tokens", 900 + i * 40),
            kv.int(9, "gen_ai.usage.output_tokens", 60),
            kv.string(9, "gen_ai.response.id", `chatcmpl-${randomBytes(12).toString("hex")}`),
            kv.string(9, "gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
            kv.string(9, "server.address", "api.openai.com"),
            kv.string(9, "gen_ai.system_instructions", system),
            kv.string(9, "gen_ai.tool.definitions", TOOL_DEFINITIONS),
            kv.string(9, "gen_ai.input.messages", JSON.stringify(opts.fullHistory ? history : history.slice(-3))),
            kv.string(
              9,
              "gen_ai.output.messages",
              JSON.stringify([
                {
                  role: "assistant",
                  parts: [{ type: "tool_call", id: callId, name: "search_flights", arguments: { to: "LIS", leg: i } }],
                },
              ]),
            ),
          ]),
        );
        history.push({
          role: "tool",
          parts: [{ type: "tool_call_response", id: callId, response: { flights: i, cheapest: 120 + i, note: filler } }],
        });
      } else {
        spans.push(
          span(traceId, id, rootId, "execute_tool search_flights", i, [
            kv.string(9, "gen_ai.operation.name", "execute_tool"),
            kv.string(9, "gen_ai.tool.name", "search_flights"),
            kv.string(9, "gen_ai.tool.type", "function"),
            kv.string(9, "gen_ai.tool.description", "Search flights between two airports for given dates and travellers"),
            kv.string(9, "gen_ai.tool.call.id", `call_${start + i - 1}`),
            kv.string(9, "gen_ai.tool.call.arguments", JSON.stringify({ to: "LIS", leg: i })),
            kv.string(
              9,
              "gen_ai.tool.call.result",
              JSON.stringify({
                flights: i,
                cheapest: 120 + i,
                carriers: ["TAP", "easyJet", "Ryanair"],
                note: filler,
                fare_rules: FARE_RULES,
              }),
            ),
          ]),
        );
        if (probe.traceId === "") probe = { traceId: traceId.toString("hex"), spanId: id.toString("hex") };
      }
    }
  }
  const resource = pb.message(1, kv.string(1, "service.name", "travel-agent"), kv.string(1, "service.instance.id", "bench-1"));
  const scope = pb.message(1, pb.string(1, "bench"), pb.string(2, "1.0.0"));
  return { body: pb.message(1, resource, pb.message(2, scope, ...spans)), spans: spanCount, probe };
}

function span(traceId: Buffer, id: Buffer, parent: Buffer | null, name: string, i: number, attrs: Uint8Array[]): Uint8Array {
  const start = T0 + BigInt(i) * 1_000_000n;
  return pb.message(
    2,
    pb.bytes(1, traceId),
    pb.bytes(2, id),
    ...(parent ? [pb.bytes(4, parent)] : []),
    pb.string(5, name),
    pb.varint(6, 1),
    pb.fixed64(7, start),
    pb.fixed64(8, start + 800_000n),
    ...attrs,
    pb.message(15, pb.varint(3, 1)),
  );
}

export { concat };
