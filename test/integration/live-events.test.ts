import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { runGenAiAgent } from "@/test/producers/otel-genai-agent";

/**
 * Live views: a run's spans committed by the collector process reach the web
 * app's event stream (GET /api/v1/events) through Postgres notifications, on a
 * real server and on the embedded one (where the web app and the collector are
 * separate connections to one shared PGlite session).
 */
let tdb: TestDatabase;
let db: Db;
let collector: RunningCollector;
let ingestKey: string;
let readKey: string;

before(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: tdb.url, CAUSEWAY_PUBLIC_URL: "http://localhost:3000" });
  db = createPrisma(tdb.url, { max: 2 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  ingestKey = (await createApiKey(db, { projectId: project.id, name: "ingest", scopes: ["ingest"] })).key;
  readKey = (await createApiKey(db, { projectId: project.id, name: "read", scopes: ["read"] })).key;
  collector = await startCollector(tdb.url);
});
after(async () => {
  const { closeNotifications } = await import("@/lib/server/live/notifications");
  await closeNotifications();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await collector?.stop();
  await db?.$disconnect();
  await tdb?.close();
});

/** Reads a Server-Sent Events body; `waitFor` resolves with the first event (seen or to come) that matches. */
class EventReader {
  readonly events: { name: string; data: unknown }[] = [];
  private reader: ReadableStreamDefaultReader<string>;
  private buffer = "";

  constructor(res: Response) {
    this.reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  async waitFor(match: (name: string, data: unknown) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    let checked = 0;
    for (;;) {
      for (; checked < this.events.length; checked++) if (match(this.events[checked]!.name, this.events[checked]!.data)) return;
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`no matching event in ${timeoutMs} ms: ${JSON.stringify(this.events)}`);
      const chunk = await Promise.race([this.reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (chunk?.done) assert.fail("stream ended");
      if (chunk) this.take(chunk.value);
    }
  }

  private take(text: string) {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (name && data !== undefined) this.events.push({ name, data: JSON.parse(data) });
    }
  }

  close = () => this.reader.cancel().catch(() => {});
}

test("a run's committed spans reach an open event stream within a second", async () => {
  const { GET } = await import("@/app/api/v1/events/route");
  const res = await GET(new Request("http://localhost:3000/api/v1/events", { headers: { authorization: `Bearer ${readKey}` } }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const stream = new EventReader(res);
  try {
    // The stream says whether notifications flow; they must before anything is produced.
    await stream.waitFor((name, data) => name === "status" && (data as { live: boolean }).live, 5_000);
    const { traceId } = await runGenAiAgent({ endpoint: collector.url, headers: { authorization: `Bearer ${ingestKey}` } });
    // The exporter has its 200s, so the spans are committed: the notification follows within a second.
    await stream.waitFor((name, data) => name === "runs" && (data as { runIds: string[] }).runIds.includes(traceId), 1_000);
  } finally {
    await stream.close();
  }
});

test("a control command on a run reaches an open event stream as a control event", async () => {
  const { GET } = await import("@/app/api/v1/events/route");
  const { POST } = await import("@/app/api/v1/runs/[runId]/control/route");
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const operateKey = (await createApiKey(db, { projectId: project.id, name: "operate", scopes: ["read", "operate"] })).key;
  const { traceId } = await runGenAiAgent({ endpoint: collector.url, headers: { authorization: `Bearer ${ingestKey}` } });
  const res = await GET(new Request("http://localhost:3000/api/v1/events", { headers: { authorization: `Bearer ${readKey}` } }));
  const stream = new EventReader(res);
  try {
    await stream.waitFor((name, data) => name === "status" && (data as { live: boolean }).live, 5_000);
    const command = await POST(
      new Request(`http://localhost:3000/api/v1/runs/${traceId}/control`, {
        method: "POST",
        headers: { authorization: `Bearer ${operateKey}`, "content-type": "application/json" },
        body: JSON.stringify({ action: "pause" }),
      }),
      { params: Promise.resolve({ runId: traceId }) },
    );
    assert.equal(command.status, 202);
    await stream.waitFor((name, data) => name === "control" && (data as { runIds: string[] }).runIds.includes(traceId), 1_000);
  } finally {
    await stream.close();
  }
});
