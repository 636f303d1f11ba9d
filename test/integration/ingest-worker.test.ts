import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import pg from "pg";
import { createLogger } from "@/lib/log";
import { IngestWorker } from "@/collector/ingest/client";
import { DecodeError } from "@/collector/decode/errors";
import { COLLECTOR_METRICS, createMetrics } from "@/collector/receiver/metrics";
import { RetryableError } from "@/collector/store/errors";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * The collector's ingest worker thread on its own: bodies in, committed rows and outcomes out,
 * errors rebuilt as the classes the receiver maps to statuses, metrics and changed runs
 * reported to the main thread, and a worker that dies fails only what it held, with 503.
 */
let tdb: TestDatabase;
let sql: pg.Pool;
let projectId: string;
let ingest: IngestWorker;
const metrics = createMetrics(COLLECTOR_METRICS);
const committed: string[] = [];

before(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url; // the worker reads the collector's settings
  sql = new pg.Pool({ connectionString: tdb.url, max: 2 });
  projectId = (await sql.query<{ id: string }>(`SELECT id FROM projects WHERE slug = 'default'`)).rows[0]!.id;
  ingest = new IngestWorker({
    metrics,
    log: createLogger("test", "error"),
    onCommitted: (runs) => committed.push(...runs.map((r) => r.runId)),
  });
});

after(async () => {
  await ingest.close();
  await sql.end();
  await tdb.close();
});

function body(traceId: string, spans: { spanId: string; name: string }[], extra: object[] = []): Uint8Array {
  const json = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "worker-test" } }] },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: [
              ...spans.map((s, i) => ({
                traceId,
                spanId: s.spanId,
                name: s.name,
                startTimeUnixNano: String(1_763_700_000_000_000_000n + BigInt(i) * 1_000_000n),
                endTimeUnixNano: String(1_763_700_000_000_000_000n + BigInt(i) * 1_000_000n + 500_000n),
                attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }],
              })),
              ...extra,
            ],
          },
        ],
      },
    ],
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

const hex = (n: number) => randomBytes(n).toString("hex");

test("spans are decoded, stored and reported: outcome, metrics, the changed run", async () => {
  const traceId = hex(16);
  const spans = [
    { spanId: hex(8), name: "chat gpt-4o" },
    { spanId: hex(8), name: "chat gpt-4o" },
  ];
  const outcome = await ingest.traces(projectId, "json", body(traceId, spans, [{ traceId: "xyz", spanId: "1", name: "bad" }]));
  assert.equal(outcome.rejected, 1);
  assert.match(outcome.message, /trace/i);
  const { rows } = await sql.query(`SELECT span_id FROM steps WHERE run_id = $1 ORDER BY span_id`, [traceId]);
  assert.deepEqual(
    rows.map((r: { span_id: string }) => r.span_id),
    spans.map((s) => s.spanId).sort(),
  );
  assert.ok(committed.includes(traceId), "the drift stage hears of the run");
  const text = await metrics.render();
  assert.match(text, /^causeway_collector_spans_accepted_total 2$/m);
  assert.match(text, /^causeway_collector_spans_rejected_total 1$/m);
  assert.match(text, /^causeway_collector_batches_committed_total [1-9]/m);
  assert.equal(ingest.queued(), 0);
});

test("a request counts toward the busy limit from the moment it is handed over until it is answered", async () => {
  const spans = Array.from({ length: 200 }, () => ({ spanId: hex(8), name: "chat gpt-4o" }));
  const bodies = [0, 1, 2].map(() => body(hex(16), spans));
  const bytes = bodies[0]!.byteLength;
  const pending = bodies.map((b) => ingest.traces(projectId, "json", b));
  // Not decoded yet (the worker has not had a turn): estimated from their size, so a burst is refused at the door.
  assert.ok(ingest.queued() >= 100, `queued right after handing over: ${ingest.queued()} (600 held)`);
  assert.equal(ingest.queuedBytes(), bytes * 3, "their bodies' bytes, exactly");
  await Promise.all(pending);
  assert.equal(ingest.queued(), 0, "nothing counted once all are answered");
  assert.equal(ingest.queuedBytes(), 0);
});

test("an undecodable body is a DecodeError (400), and nothing is stored", async () => {
  await assert.rejects(ingest.traces(projectId, "protobuf", new Uint8Array([0x0a, 0xff, 0xff, 0xff])), DecodeError);
  await assert.rejects(ingest.traces(projectId, "json", new TextEncoder().encode("{not json")), DecodeError);
});

test("the caller's buffer is copied, not taken: it stays usable after the call", async () => {
  const b = body(hex(16), [{ spanId: hex(8), name: "chat gpt-4o" }]);
  const before = b.length;
  await ingest.traces(projectId, "json", b);
  assert.equal(b.length, before);
  assert.equal(b[0], "{".charCodeAt(0));
});

test("a worker that dies fails what it held with 503, and a new one takes the next request", async () => {
  const traceId = hex(16);
  const held = ingest.traces(projectId, "json", body(traceId, [{ spanId: hex(8), name: "chat gpt-4o" }]));
  await ingest.restartWorker();
  await held.then(
    () => {
      // It may have committed before the worker ended: then it is stored, which a 200 would have said.
    },
    (error: unknown) => {
      assert.ok(error instanceof RetryableError && error.status === 503, `503, got ${String(error)}`);
    },
  );
  // Until the new worker is up, requests are refused with 503; an exporter retries.
  const next = hex(16);
  const request = body(next, [{ spanId: hex(8), name: "chat gpt-4o" }]);
  let refused = 0;
  for (;;) {
    try {
      await ingest.traces(projectId, "json", request);
      break;
    } catch (error) {
      assert.ok(error instanceof RetryableError && error.status === 503, `503 while restarting, got ${String(error)}`);
      assert.ok(++refused < 100, "a new worker started");
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM steps WHERE run_id = $1`, [next]);
  assert.equal(rows[0].n, 1);
});
