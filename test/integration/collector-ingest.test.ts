import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { runGenAiAgent } from "@/test/producers/otel-genai-agent";
import { endQuietRuns } from "@/collector/store/liveness";
import { writeBatches } from "@/collector/store/writer";
import { afterCommit } from "@/collector/store/after-commit";
import { normalizeBatch } from "@/collector/normalize/normalize";
import { decodeTracesJson } from "@/collector/decode/json";
import { getRunDetail } from "@/lib/server/repositories/run-detail";

/**
 * The collector as agents meet it: a real process, real OTLP/HTTP from the real
 * OpenTelemetry SDK, a real database behind it.
 */
const STATIC_KEY = "static-ingest-key-0123456789";
let tdb: TestDatabase;
let db: Db;
let sql: pg.Pool;
let collector: RunningCollector;
let key: string;
let readOnlyKey: string;

before(async () => {
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 2 });
  sql = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  key = (await createApiKey(db, { projectId: project.id, name: "ingest", scopes: ["ingest"] })).key;
  readOnlyKey = (await createApiKey(db, { projectId: project.id, name: "read", scopes: ["read"] })).key;
  collector = await startCollector(tdb.url, {
    CAUSEWAY_INGEST_KEY: STATIC_KEY,
    CAUSEWAY_MAX_BODY_BYTES: String(1024 * 1024),
    CAUSEWAY_MAX_VALUE_BYTES: "4096",
  });
});
after(async () => {
  await collector?.stop();
  await db?.$disconnect();
  await sql?.end();
  await tdb?.close();
});

const auth = () => ({ authorization: `Bearer ${key}` });
const q = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await sql.query<T>(text, params)).rows;

function jsonSpan(
  traceId: string,
  spanId: string,
  parent: string | null,
  name: string,
  attrs: Record<string, string | number> = {},
  end = true,
) {
  return {
    traceId,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind: 1,
    startTimeUnixNano: "1763700000000000000",
    endTimeUnixNano: end ? "1763700001000000000" : "0",
    attributes: Object.entries(attrs).map(([k, v]) => ({
      key: k,
      value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v },
    })),
    status: {},
  };
}
function jsonRequest(spans: object[], service = "json-agent") {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: "manual" }, spans }],
      },
    ],
  });
}
const post = (body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${collector.url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth(), ...headers },
    body: body as BodyInit,
  });
const hex = (n: number, len: number) => n.toString(16).padStart(len, "0");

describe("a real OpenTelemetry SDK agent", () => {
  for (const protocol of ["json", "protobuf"] as const)
    test(`its run is stored with steps, kinds, tokens and agent (${protocol})`, async () => {
      const { traceId } = await runGenAiAgent({
        endpoint: collector.url,
        headers: auth(),
        protocol,
        conversationId: `conv-${protocol}`,
      });
      const [run] = await q<{
        status: string;
        step_count: number;
        llm_call_count: number;
        tool_call_count: number;
        total_tokens: string;
        error_count: number;
        name: string;
        session_id: string;
        service_name: string;
      }>(`SELECT r.*, a.service_name FROM runs r JOIN agents a ON a.id = r.agent_id WHERE r.id = $1`, [traceId]);
      assert.ok(run, "run stored");
      assert.equal(run.status, "ok");
      assert.equal(run.step_count, 4);
      assert.equal(run.llm_call_count, 2);
      assert.equal(run.tool_call_count, 1);
      assert.equal(Number(run.total_tokens), 52 + 17 + 88 + 21);
      assert.equal(run.error_count, 0);
      assert.equal(run.service_name, "weather-agent");
      assert.equal(run.session_id, `conv-${protocol}`);
      const steps = await q<{ kind: string; tool_name: string | null; tool_call_id: string | null; model: string | null }>(
        `SELECT kind, tool_name, tool_call_id, model FROM steps WHERE run_id = $1 ORDER BY start_ns, span_id`,
        [traceId],
      );
      assert.deepEqual(steps.map((s) => s.kind).sort(), ["agent", "llm", "llm", "tool"]);
      assert.deepEqual(
        steps.filter((s) => s.kind === "tool").map((s) => [s.tool_name, s.tool_call_id]),
        [["get_weather", "call_weather_1"]],
      );
    });

  test("its causal edges link the decision to the tool and the tool's result to the next decision", async () => {
    const { traceId } = await runGenAiAgent({ endpoint: collector.url, headers: auth() });
    const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
    const detail = await getRunDetail(db, project.id, traceId);
    assert.ok(detail);
    // Steps are named by what tells them apart (the two model calls by their input tokens: 52, then 88),
    // not by start order: spans started within the same clock tick tie on start time.
    const name = (spanId: string) => {
      const s = detail.steps.find((x) => x.spanId === spanId)!;
      return `${s.kind}:${s.name}${s.kind === "llm" ? `(${s.inputTokens} in)` : ""}`;
    };
    assert.deepEqual(
      detail.edges.map((e) => `${name(e.from)} -${e.kind}(${e.via})-> ${name(e.to)}`),
      [
        "llm:chat gpt-4o(52 in) -tool_call(call_weather_1)-> tool:get_weather",
        "tool:get_weather -tool_result(call_weather_1)-> llm:chat gpt-4o(88 in)",
      ],
    );
    assert.deepEqual(
      detail.steps
        .filter((s) => s.kind === "llm")
        .sort((a, b) => (a.inputTokens ?? 0) - (b.inputTokens ?? 0))
        .map((s) => s.contextSize),
      [2, 4],
      "system + user, then system + user + assistant call + tool result",
    );
  });

  test("a failing tool makes an error run with its error counted", async () => {
    const { traceId } = await runGenAiAgent({ endpoint: collector.url, headers: auth(), failTool: true });
    const [run] = await q<{ status: string; error_count: number }>(`SELECT status, error_count FROM runs WHERE id = $1`, [
      traceId,
    ]);
    assert.equal(run!.status, "error");
    assert.equal(run!.error_count, 2);
  });

  test("a seeded secret and email never reach the database", async () => {
    const secret = "sk-proj-SEEDEDsecretVALUE0123456789abcdef";
    const { traceId } = await runGenAiAgent({
      endpoint: collector.url,
      headers: auth(),
      userText: `my key is ${secret}, mail me at seed@example.com`,
    });
    const tables = ["steps", "step_payloads", "messages", "runs", "agents", "sessions"];
    for (const t of tables) {
      const hits = await q(`SELECT 1 FROM ${t} x WHERE x::text LIKE '%SEEDEDsecret%' OR x::text LIKE '%seed@example.com%'`);
      assert.equal(hits.length, 0, `no secret in ${t}`);
    }
    const msgs = await q<{ content: string }>(
      `SELECT m.content::text AS content FROM steps s JOIN messages m ON m.project_id = s.project_id AND m.hash = ANY(s.context_hashes) WHERE s.run_id = $1`,
      [traceId],
    );
    assert.ok(
      msgs.some((m) => m.content.includes("[REDACTED:api_key]") && m.content.includes("[REDACTED:email]")),
      "redaction markers visible",
    );
  });
});

describe("the OTLP/HTTP contract", () => {
  test("content types, keys and empty requests", async () => {
    assert.equal((await post("{}", { "content-type": "text/plain" })).status, 415);
    assert.equal((await post("{}", { authorization: "" })).status, 401);
    assert.equal((await post("{}", { authorization: "Bearer cwk_not-a-real-key-000000000000000000000000000" })).status, 401);
    assert.equal(
      (await post("{}", { authorization: `Bearer ${readOnlyKey}` })).status,
      401,
      "a key without the ingest scope cannot ingest",
    );
    assert.equal((await post("{}", { authorization: "", "x-api-key": key })).status, 200, "x-api-key header accepted");
    assert.equal((await post("{}", { authorization: `Bearer ${STATIC_KEY}` })).status, 200, "CAUSEWAY_INGEST_KEY accepted");
    const empty = await post("");
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get("content-type"), "application/json");
    const proto = await post(new Uint8Array(0), { "content-type": "application/x-protobuf" });
    assert.equal(proto.status, 200);
    assert.equal(proto.headers.get("content-type"), "application/x-protobuf");
  });

  test("undecodable data gets 400 with a Status naming the problem", async () => {
    const res = await post("{not json");
    assert.equal(res.status, 400);
    const body = (await res.json()) as { code: number; message: string };
    assert.match(body.message, /could not decode/);
    const proto = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), { "content-type": "application/x-protobuf" });
    assert.equal(proto.status, 400);
  });

  test("a gzip bomb is refused with 413 after decompression, without exhausting memory", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)); // ~50 KB compressed, 50 MiB inflated
    assert.ok(bomb.length < 200_000);
    const res = await post(bomb, { "content-encoding": "gzip" });
    assert.equal(res.status, 413);
    const ok = await post(gzipSync(jsonRequest([])), { "content-encoding": "gzip" });
    assert.equal(ok.status, 200, "gzip accepted");
  });

  test("invalid spans are rejected with partial success; valid ones in the same request are stored", async () => {
    const traceId = hex(0xabc001, 32);
    const res = await post(
      jsonRequest([jsonSpan(traceId, hex(1, 16), null, "good"), jsonSpan("zz", hex(2, 16), null, "bad id")]),
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as { partialSuccess?: { rejectedSpans: string | number; errorMessage: string } };
    assert.equal(Number(body.partialSuccess?.rejectedSpans), 1);
    assert.match(body.partialSuccess!.errorMessage, /trace/i);
    assert.equal((await q(`SELECT 1 FROM steps WHERE run_id = $1`, [traceId])).length, 1);
  });

  test("/metrics shows request, batch and commit histograms and the process's own metrics", async () => {
    assert.equal((await post(jsonRequest([jsonSpan(hex(0xabc0f1, 32), hex(1, 16), null, "one")]))).status, 200);
    assert.equal((await post("{}", { "content-type": "text/plain" })).status, 415);
    const res = await fetch(`${collector.url}/metrics`);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const value = (series: string) =>
      Number(
        text
          .split("\n")
          .find((line) => line.startsWith(`${series} `))
          ?.split(" ")[1],
      );
    assert.ok(value('causeway_collector_request_duration_seconds_count{signal="traces",code="200"}') >= 1, text);
    assert.ok(value('causeway_collector_request_duration_seconds_count{signal="traces",code="415"}') >= 1);
    // Batches are written in the ingest worker: their histograms cross to the main thread's registry.
    assert.ok(value("causeway_collector_batch_spans_count") >= 1);
    assert.ok(value('causeway_collector_batch_spans_bucket{le="+Inf"}') >= 1);
    assert.ok(value("causeway_collector_commit_duration_seconds_sum") > 0);
    assert.ok(value("process_cpu_seconds_total") > 0, "standard process metrics");
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  });
});

describe("storage semantics", () => {
  test("a redelivered request is stored once and counted once", async () => {
    const traceId = hex(0xabc002, 32);
    const body = jsonRequest([jsonSpan(traceId, hex(1, 16), null, "root"), jsonSpan(traceId, hex(2, 16), hex(1, 16), "child")]);
    for (let i = 0; i < 3; i++) assert.equal((await post(body)).status, 200);
    assert.equal((await q(`SELECT 1 FROM steps WHERE run_id = $1`, [traceId])).length, 2);
    const [run] = await q<{ step_count: number }>(`SELECT step_count FROM runs WHERE id = $1`, [traceId]);
    assert.equal(run!.step_count, 2);
  });

  test("spans delivered out of order, one per request, give the same run as in order", async () => {
    // root
    //  ├─ a (llm, 10+5 tokens)
    //  │   └─ a1 (tool, error)
    //  └─ b (llm, 7+3 tokens)
    const build = (traceId: string) => [
      jsonSpan(traceId, hex(1, 16), null, "root"),
      jsonSpan(traceId, hex(2, 16), hex(1, 16), "chat m", {
        "gen_ai.operation.name": "chat",
        "gen_ai.usage.input_tokens": 10,
        "gen_ai.usage.output_tokens": 5,
      }),
      {
        ...jsonSpan(traceId, hex(3, 16), hex(2, 16), "execute_tool t", {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "t",
        }),
        status: { code: 2, message: "boom" },
      },
      jsonSpan(traceId, hex(4, 16), hex(1, 16), "chat m", {
        "gen_ai.operation.name": "chat",
        "gen_ai.usage.input_tokens": "7",
        "gen_ai.usage.output_tokens": "3",
      }),
    ];
    const ordered = hex(0xabc003, 32);
    for (const s of build(ordered)) await post(jsonRequest([s]));
    const snapshot = async (id: string) =>
      (
        await q(
          `SELECT status, step_count, llm_call_count, tool_call_count, total_tokens, error_count, started_at, ended_at, root_span_id, name FROM runs WHERE id = $1`,
          [id],
        )
      )[0];
    const expected = await snapshot(ordered);
    for (let round = 0; round < 4; round++) {
      const id = hex(0xabc100 + round, 32);
      const spans = build(id).sort(() => Math.random() - 0.5);
      await Promise.all(spans.map((s) => post(jsonRequest([s]))));
      assert.deepEqual(await snapshot(id), expected, `shuffled round ${round}`);
    }
  });

  test("a run is live until its root ends", async () => {
    const traceId = hex(0xabc004, 32);
    await post(jsonRequest([jsonSpan(traceId, hex(2, 16), hex(1, 16), "child")]));
    assert.equal((await q<{ status: string }>(`SELECT status FROM runs WHERE id = $1`, [traceId]))[0]!.status, "live");
    await post(jsonRequest([jsonSpan(traceId, hex(1, 16), null, "root")]));
    assert.equal((await q<{ status: string }>(`SELECT status FROM runs WHERE id = $1`, [traceId]))[0]!.status, "ok");
  });

  test("a 50-turn conversation stores each message once", async () => {
    const traceId = hex(0xabc005, 32);
    const history: object[] = [];
    const spans = [jsonSpan(traceId, hex(1, 16), null, "root")];
    for (let turn = 0; turn < 50; turn++) {
      history.push({ role: "user", parts: [{ type: "text", content: `question ${turn}` }] });
      spans.push(
        jsonSpan(traceId, hex(100 + turn, 16), hex(1, 16), "chat m", {
          "gen_ai.operation.name": "chat",
          "gen_ai.input.messages": JSON.stringify(history),
          "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: `answer ${turn}` }] }]),
        }),
      );
      history.push({ role: "assistant", parts: [{ type: "text", content: `answer ${turn}` }] });
    }
    assert.equal((await post(jsonRequest(spans))).status, 200);
    const [{ n }] = (await q<{ n: string }>(
      `SELECT count(DISTINCT m.hash) AS n FROM steps s JOIN messages m ON m.project_id = s.project_id AND (m.hash = ANY(s.context_hashes) OR m.hash = ANY(s.output_hashes)) WHERE s.run_id = $1`,
      [traceId],
    )) as [{ n: string }];
    assert.equal(Number(n), 100, "50 questions + 50 answers, not 50×50/2");
    const [last] = await q<{ len: number }>(
      `SELECT cardinality(context_hashes) AS len FROM steps WHERE run_id = $1 AND span_id = $2`,
      [traceId, hex(149, 16)],
    );
    assert.equal(last!.len, 99, "the last call saw the whole history, in order");
  });

  test("a very large value is capped and the cut is recorded", async () => {
    const traceId = hex(0xabc006, 32);
    await post(jsonRequest([jsonSpan(traceId, hex(1, 16), null, "root", { "big.value": "x".repeat(20_000) })]));
    const [step] = await q<{ attributes: Record<string, unknown> }>(`SELECT attributes FROM steps WHERE run_id = $1`, [traceId]);
    assert.ok(String(step!.attributes["big.value"]).length < 5000);
    assert.deepEqual(step!.attributes["causeway.truncated"], [{ path: "attributes.big.value", bytes: 20_000 }]);
  });
});

describe("the store", () => {
  test("several requests from the same agent and session are written in one transaction", async () => {
    const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
    const opts = { redact: (t: string) => t, maxValueBytes: 65536 };
    const batch = (traceId: string) =>
      normalizeBatch(
        project.id,
        decodeTracesJson(
          jsonRequest(
            [
              jsonSpan(traceId, hex(1, 16), null, "root", {
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.conversation.id": "same-session",
              }),
            ],
            "same-agent",
          ),
        ).spans,
        opts,
      );
    const client = await sql.connect();
    try {
      const result = await writeBatches(client, [batch(hex(0xabc008, 32)), batch(hex(0xabc009, 32)), batch(hex(0xabc00a, 32))]);
      assert.equal(result.stored, 3);
      await afterCommit(sql, result.touched, result.changedRuns);
    } finally {
      client.release();
    }
    const [session] = await q<{ run_count: number }>(`SELECT run_count FROM sessions WHERE id = 'same-session'`);
    assert.equal(session!.run_count, 3);
  });

  // Spans whose text needs every kind of escaping, with a model call that decided calls with awkward names.
  const awkward = async (traceId: string) => {
    const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
    const odd = 'tab\there, newline\nthere, back\\slash \\N, "quotes", {braces,commas}, é ✓';
    const spans = [
      jsonSpan(traceId, hex(1, 16), null, `root ${odd}`, { "gen_ai.operation.name": "invoke_agent", note: odd }),
      jsonSpan(traceId, hex(2, 16), hex(1, 16), "chat", {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": odd,
        "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: odd }] }]),
        "gen_ai.output.messages": JSON.stringify([
          { role: "assistant", parts: [{ type: "tool_call", id: 'c"1\\', name: odd, arguments: { q: odd } }] },
        ]),
      }),
      jsonSpan(traceId, hex(3, 16), hex(1, 16), "tool", { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": odd }),
    ];
    const opts = { redact: (t: string) => t, maxValueBytes: 65536 };
    return normalizeBatch(project.id, decodeTracesJson(jsonRequest(spans)).spans, opts);
  };
  const stepRows = (traceId: string) =>
    q(
      `SELECT span_id, parent_span_id, kind, name, family, span_kind, status, status_message, start_ns, end_ns, agent_name,
              provider, model, tool_name, tool_call_id, input_tokens, output_tokens, total_tokens, context_hashes, output_hashes,
              context_count, context_bytes, call_ids, call_names, tool_result_ids, handoff_to, attributes, events, links, scope_name
       FROM steps WHERE run_id = $1 ORDER BY span_id`,
      [traceId],
    );

  test("COPY (Postgres) stores exactly what INSERT stores, escapes and all", async (t) => {
    const client = await sql.connect();
    try {
      const { copySupported } = await import("@/collector/store/writer");
      if (!(await copySupported(client))) return t.skip("the embedded database has no COPY FROM STDIN");
      const [a, b] = [hex(0xc0b1, 32), hex(0xc0b2, 32)];
      assert.equal((await writeBatches(client, [await awkward(a)], { copy: true })).stored, 3);
      assert.equal((await writeBatches(client, [await awkward(b)], { copy: false })).stored, 3);
      const [copied, inserted] = [await stepRows(a), await stepRows(b)];
      assert.equal(copied.length, 3);
      assert.deepEqual(copied, inserted);
      assert.ok(JSON.stringify(copied).includes("back\\\\slash"), "the text arrived unaltered");
      const again = await writeBatches(client, [await awkward(a), await awkward(a)], { copy: true });
      assert.deepEqual([again.stored, again.duplicates], [0, 6], "redelivered spans, twice in one write: none stored again");
      // The lookup of redelivered spans includes their start; one re-sent with another start meets the unique key.
      const moved = await awkward(a);
      moved.steps = moved.steps.map((s) => ({ ...s, startNs: s.startNs + 1n }));
      const shifted = await writeBatches(client, [moved], { copy: true });
      assert.deepEqual([shifted.stored, shifted.duplicates], [0, 3], "a redelivery with another start is still a duplicate");
      assert.deepEqual(await stepRows(a), copied, "the first delivery's rows are kept");
    } finally {
      client.release();
    }
  });

  test("two writes of the same spans at once: stored once, counted once", async () => {
    const traceId = hex(0xc0b3, 32);
    const { copySupported } = await import("@/collector/store/writer");
    const [first, second] = [await sql.connect(), await sql.connect()];
    let results: Awaited<ReturnType<typeof writeBatches>>[];
    try {
      const copy = await copySupported(first);
      await writeBatches(
        first,
        [await awkward(traceId)].map((b) => ({ ...b, steps: b.steps.slice(0, 1) })),
        { copy },
      );
      // The run exists: both writers look for the two other spans, find neither, and write them; the one
      // that loses the race meets the other's rows at its commit and is written again without COPY.
      results = await Promise.all([
        writeBatches(first, [await awkward(traceId)], { copy }),
        writeBatches(second, [await awkward(traceId)], { copy }),
      ]);
    } finally {
      first.release();
      second.release();
    }
    assert.deepEqual(results.map((r) => r.stored).sort(), [0, 2]);
    const [run] = await q<{ step_count: number }>(`SELECT step_count FROM runs WHERE id = $1`, [traceId]);
    assert.equal(run!.step_count, 3);
    assert.equal((await stepRows(traceId)).length, 3);
  });
});

describe("liveness", () => {
  test("a run whose root never arrives ends when it goes quiet, and comes back to life with new spans", async () => {
    const traceId = hex(0xabc007, 32);
    await post(jsonRequest([jsonSpan(traceId, hex(2, 16), hex(1, 16), "orphan child")]));
    const state = async () =>
      (
        await q<{ status: string; ended: boolean }>(`SELECT status, ended_at IS NOT NULL AS ended FROM runs WHERE id = $1`, [
          traceId,
        ])
      )[0];
    assert.deepEqual(await state(), { status: "live", ended: false });
    await new Promise((r) => setTimeout(r, 1100));
    const ended = await endQuietRuns(sql, 1);
    assert.ok(ended.some((r) => r.runId === traceId));
    assert.deepEqual(await state(), { status: "ok", ended: true });
    await post(jsonRequest([jsonSpan(traceId, hex(3, 16), hex(1, 16), "late child")]));
    assert.deepEqual(await state(), { status: "live", ended: false });
  });
});
