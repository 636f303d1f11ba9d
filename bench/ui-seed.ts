import { randomBytes } from "node:crypto";
import type pg from "pg";
import { kv, pb } from "@/collector/decode/pb-builder";

/**
 * Seed data for `npm run bench:ui`.
 * - `bigRunRequests`: one agent run of N spans as OTLP protobuf requests, sent through
 *   the real collector: a root agent, sub-agent groups, decisions choosing varied tools
 *   by tool-call id, results fed to the next decision, a growing (windowed) context.
 * - `seedSmallRuns`: a million small runs straight into the runs table (set-based SQL),
 *   for the run-list API at scale.
 */
const T0 = 1_763_700_000_000_000_000n;
const TOOLS = ["search_flights", "book_hotel", "get_weather", "lookup_visa", "convert_currency", "search_web"];
const SUBAGENT_EVERY = 400; // spans per sub-agent group

export function bigRunRequests(totalSpans: number, perRequest = 512): { traceId: string; bodies: Uint8Array[] } {
  const traceId = randomBytes(16);
  const rootId = randomBytes(8);
  const spans: Uint8Array[] = [
    span(traceId, rootId, null, "invoke_agent trip-planner", 0, totalSpans + 2, [
      kv.string(9, "gen_ai.operation.name", "invoke_agent"),
      kv.string(9, "gen_ai.agent.name", "trip-planner"),
    ]),
  ];
  let parent = rootId;
  let history: object[] = [{ role: "user", parts: [{ type: "text", content: "Plan a two-week trip across Portugal for 3." }] }];
  let pendingCall: { id: string; tool: string } | null = null;
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 1; spans.length < totalSpans; i++) {
    if (i % SUBAGENT_EVERY === 1 && i > 1) {
      parent = randomBytes(8);
      const group = Math.floor(i / SUBAGENT_EVERY);
      spans.push(
        span(traceId, parent, rootId, `invoke_agent researcher-${group}`, i, i + SUBAGENT_EVERY - 1, [
          kv.string(9, "gen_ai.operation.name", "invoke_agent"),
          kv.string(9, "gen_ai.agent.name", `researcher-${group}`),
        ]),
      );
      continue;
    }
    const id = randomBytes(8);
    if (!pendingCall) {
      const tool = TOOLS[Math.floor(rand() * TOOLS.length)]!;
      pendingCall = { id: `call_${i}`, tool };
      spans.push(
        span(traceId, id, parent, "chat gpt-4o", i, i + 1, [
          kv.string(9, "gen_ai.operation.name", "chat"),
          kv.string(9, "gen_ai.provider.name", "openai"),
          kv.string(9, "gen_ai.request.model", "gpt-4o"),
          kv.int(9, "gen_ai.usage.input_tokens", 1200 + (i % 300) * 20),
          kv.int(9, "gen_ai.usage.output_tokens", 80),
          kv.string(9, "gen_ai.input.messages", JSON.stringify(history.slice(-12))),
          kv.string(
            9,
            "gen_ai.output.messages",
            JSON.stringify([
              { role: "assistant", parts: [{ type: "tool_call", id: pendingCall.id, name: tool, arguments: { step: i } }] },
            ]),
          ),
        ]),
      );
    } else {
      const { id: callId, tool } = pendingCall;
      pendingCall = null;
      const failed = rand() < 0.03;
      spans.push(
        span(
          traceId,
          id,
          parent,
          `execute_tool ${tool}`,
          i,
          i + 1,
          [
            kv.string(9, "gen_ai.operation.name", "execute_tool"),
            kv.string(9, "gen_ai.tool.name", tool),
            kv.string(9, "gen_ai.tool.call.id", callId),
            kv.string(9, "gen_ai.tool.call.arguments", JSON.stringify({ step: i })),
            kv.string(9, "gen_ai.tool.call.result", JSON.stringify({ ok: !failed, items: i % 17 })),
          ],
          failed,
        ),
      );
      history = [
        ...history.slice(-30),
        { role: "tool", parts: [{ type: "tool_call_response", id: callId, response: { items: i % 17 } }] },
      ];
    }
  }
  const resource = pb.message(1, kv.string(1, "service.name", "trip-planner"), kv.string(1, "service.instance.id", "bench-ui"));
  const scope = pb.message(1, pb.string(1, "bench-ui"), pb.string(2, "1.0.0"));
  const bodies: Uint8Array[] = [];
  for (let at = 0; at < spans.length; at += perRequest)
    bodies.push(pb.message(1, resource, pb.message(2, scope, ...spans.slice(at, at + perRequest))));
  return { traceId: traceId.toString("hex"), bodies };
}

function span(
  traceId: Buffer,
  id: Buffer,
  parent: Buffer | null,
  name: string,
  startMs: number,
  endMs: number,
  attrs: Uint8Array[],
  failed = false,
): Uint8Array {
  return pb.message(
    2,
    pb.bytes(1, traceId),
    pb.bytes(2, id),
    ...(parent ? [pb.bytes(4, parent)] : []),
    pb.string(5, name),
    pb.varint(6, 1),
    pb.fixed64(7, T0 + BigInt(startMs) * 1_000_000n),
    pb.fixed64(8, T0 + BigInt(endMs) * 1_000_000n - 100_000n),
    ...attrs,
    pb.message(15, pb.varint(3, failed ? 2 : 1)),
  );
}

/** A million runs in a few set-based statements: realistic spread of agents, statuses, sessions and times. */
export async function seedSmallRuns(pool: pg.Pool, projectId: string, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO agents (project_id, service_name, instance_id)
     SELECT $1::uuid, 'agent-' || g, '' FROM generate_series(1, 50) g ON CONFLICT DO NOTHING`,
    [projectId],
  );
  const chunk = 250_000;
  for (let from = 0; from < count; from += chunk) {
    await pool.query(
      `INSERT INTO runs (project_id, id, agent_id, name, status, started_at, ended_at, last_activity_at, step_count,
                         llm_call_count, tool_call_count, input_tokens, output_tokens, total_tokens, error_count, updated_at)
       SELECT $1::uuid, md5('run' || g), a.id, 'task ' || (g % 977),
              (CASE WHEN g % 50 = 0 THEN 'error' WHEN g % 997 = 0 THEN 'live' ELSE 'ok' END)::"RunStatus",
              now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval + interval '12 seconds',
              now() - (g || ' seconds')::interval + interval '12 seconds', 8 + g % 40, 3 + g % 12, 2 + g % 10,
              4000 + g % 9000, 300 + g % 700, 4300 + g % 9700, (g % 50 = 0)::int, now()
       FROM generate_series($2::int, $3::int) g
       JOIN agents a ON a.project_id = $1::uuid AND a.service_name = 'agent-' || (1 + g % 50)`,
      [projectId, from + 1, Math.min(from + chunk, count)],
    );
  }
  await pool.query("ANALYZE runs");
}
