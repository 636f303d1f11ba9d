import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { errorBody, runPage, sessionPage, type SessionPage, type SessionSummary } from "@/lib/api/schemas";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { runGenAiAgent } from "@/test/producers/otel-genai-agent";

/**
 * Sessions: runs sent by the OpenTelemetry SDK with a conversation id, through a real
 * collector, grouped and added up by GET /api/v1/sessions; the session links to the run
 * list filtered by it (GET /api/v1/runs?session=). Paging is checked on seeded sessions
 * whose activity times tie, where a cursor on the time alone would skip or repeat rows.
 */
const ADMIN_TOKEN = "sessions-test-admin-token-0123";
const ORIGIN = "http://localhost:3000";
let tdb: TestDatabase;
let db: Db;
let collector: RunningCollector;
let projectId: string;
let ingest: Record<string, string>;
let readKey: string;
type Handler = (req: Request) => Promise<Response>;
let sessionsRoute: Handler;
let runsRoute: Handler;

before(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: tdb.url, CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN, CAUSEWAY_PUBLIC_URL: ORIGIN });
  db = createPrisma(tdb.url, { max: 3 });
  projectId = (await db.project.findUniqueOrThrow({ where: { slug: "default" } })).id;
  ingest = { authorization: `Bearer ${(await createApiKey(db, { projectId, name: "ingest", scopes: ["ingest"] })).key}` };
  readKey = (await createApiKey(db, { projectId, name: "read", scopes: ["read"] })).key;
  collector = await startCollector(tdb.url);
  sessionsRoute = (await import("@/app/api/v1/sessions/route")).GET;
  runsRoute = (await import("@/app/api/v1/runs/route")).GET;
});
after(async () => {
  await collector?.stop();
  await db?.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb?.close();
});

async function get(route: Handler, path: string, token = readKey): Promise<Response> {
  return route(new Request(`${ORIGIN}${path}`, { headers: { authorization: `Bearer ${token}` } }));
}
async function listSessions(query: string, token?: string): Promise<SessionPage> {
  const res = await get(sessionsRoute, `/api/v1/sessions?${query}`, token);
  assert.equal(res.status, 200, await res.clone().text());
  return sessionPage.parse(await res.json());
}
async function runsOfSession(id: string): Promise<{ ids: string[]; page: ReturnType<typeof runPage.parse> }> {
  const res = await get(runsRoute, `/api/v1/runs?${new URLSearchParams({ session: id, limit: "500" })}`);
  assert.equal(res.status, 200);
  const page = runPage.parse(await res.json());
  return { ids: page.runs.map((r) => r.id).sort(), page };
}

/** The collector refreshes a session's activity time and run count after its commit: wait for it. */
async function sessionSettled(id: string, runCount: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const s = await db.session.findUnique({ where: { projectId_id: { projectId, id } } });
    if (s?.runCount === runCount) return;
    if (Date.now() > deadline) assert.fail(`session ${id} did not reach ${runCount} runs: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A run still going: a model call with the conversation id whose agent span has not ended (not sent yet). */
async function sendLiveRun(conversationId: string, serviceName: string): Promise<string> {
  const traceId = randomBytes(16).toString("hex");
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: serviceName } }] },
        scopeSpans: [
          {
            scope: { name: "live-agent" },
            spans: [
              {
                traceId,
                spanId: randomBytes(8).toString("hex"),
                parentSpanId: randomBytes(8).toString("hex"),
                name: "chat gpt-4o",
                kind: 3,
                startTimeUnixNano: String(now - 500_000_000n),
                endTimeUnixNano: String(now),
                attributes: [
                  { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
                  { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
                  { key: "gen_ai.conversation.id", value: { stringValue: conversationId } },
                  { key: "gen_ai.usage.input_tokens", value: { intValue: "40" } },
                  { key: "gen_ai.usage.output_tokens", value: { intValue: "2" } },
                ],
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
  const res = await fetch(`${collector.url}/v1/traces`, {
    method: "POST",
    headers: { ...ingest, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
  return traceId;
}

describe("sessions from runs sent through the collector", () => {
  const runs = { refundA: "", refundB: "", billing: "", billingLive: "", loose: "" };

  before(async () => {
    const agent = (o: Partial<Parameters<typeof runGenAiAgent>[0]>) =>
      runGenAiAgent({ endpoint: collector.url, headers: ingest, ...o }).then((r) => r.traceId);
    // Activity order: refund (1st run), billing (both runs), then refund again: refund is the newest session.
    runs.refundA = await agent({ conversationId: "conv-refund", serviceName: "support-bot" });
    await sessionSettled("conv-refund", 1);
    runs.billing = await agent({ conversationId: "conv-billing", serviceName: "billing-bot", failTool: true });
    runs.billingLive = await sendLiveRun("conv-billing", "triage-bot");
    await sessionSettled("conv-billing", 2);
    runs.loose = await agent({ serviceName: "support-bot" });
    runs.refundB = await agent({ conversationId: "conv-refund", serviceName: "support-bot" });
    await sessionSettled("conv-refund", 2);
  });

  test("sessions are listed newest activity first, one row per conversation id", async () => {
    const page = await listSessions("");
    assert.deepEqual(
      page.sessions.map((s) => s.id),
      ["conv-refund", "conv-billing"],
    );
    assert.equal(page.nextCursor, null);
  });

  test("a session adds up exactly the runs the run list shows for it", async () => {
    const { sessions } = await listSessions("");
    for (const s of sessions) {
      const { page } = await runsOfSession(s.id);
      const sum = (f: (r: (typeof page.runs)[number]) => number) => page.runs.reduce((n, r) => n + f(r), 0);
      assert.equal(s.runCount, page.runs.length, s.id);
      assert.equal(s.liveRunCount, page.runs.filter((r) => r.status === "live").length, s.id);
      assert.equal(s.errorRunCount, page.runs.filter((r) => r.status === "error").length, s.id);
      assert.equal(
        s.stepCount,
        sum((r) => r.stepCount),
        s.id,
      );
      assert.equal(
        s.llmCallCount,
        sum((r) => r.llmCallCount),
        s.id,
      );
      assert.equal(
        s.toolCallCount,
        sum((r) => r.toolCallCount),
        s.id,
      );
      assert.equal(
        s.inputTokens,
        sum((r) => r.inputTokens),
        s.id,
      );
      assert.equal(
        s.outputTokens,
        sum((r) => r.outputTokens),
        s.id,
      );
      assert.equal(
        s.totalTokens,
        sum((r) => r.totalTokens),
        s.id,
      );
      assert.equal(
        s.errorCount,
        sum((r) => r.errorCount),
        s.id,
      );
      assert.equal(
        s.driftCount,
        sum((r) => r.driftCount),
        s.id,
      );
      assert.equal(s.startedAt, page.runs.map((r) => r.startedAt).sort()[0], s.id);
    }
  });

  test("the aggregates are the producers' numbers: runs, live runs, model calls, tokens, errors, agents", async () => {
    const byId = new Map((await listSessions("")).sessions.map((s) => [s.id, s]));
    const refund = byId.get("conv-refund")!;
    // Each SDK run: invoke_agent, chat (52+17 tokens), execute_tool, chat (88+21 tokens).
    assert.deepEqual(
      pick(refund, [
        "runCount",
        "liveRunCount",
        "errorRunCount",
        "stepCount",
        "llmCallCount",
        "toolCallCount",
        "totalTokens",
        "errorCount",
      ]),
      {
        runCount: 2,
        liveRunCount: 0,
        errorRunCount: 0,
        stepCount: 8,
        llmCallCount: 4,
        toolCallCount: 2,
        totalTokens: 356,
        errorCount: 0,
      },
    );
    assert.deepEqual(refund.agents, ["support-bot"]);
    assert.equal(refund.agentCount, 1);

    const billing = byId.get("conv-billing")!;
    assert.equal(billing.runCount, 2);
    assert.equal(billing.liveRunCount, 1, "the run whose agent span has not arrived is live");
    assert.equal(billing.errorRunCount, 1, "the run whose tool failed ended in error");
    assert.ok(billing.errorCount >= 1);
    assert.equal(billing.llmCallCount, 3);
    assert.equal(billing.totalTokens, 178 + 42);
    assert.deepEqual(billing.agents, ["billing-bot", "triage-bot"]);
    assert.ok(Date.parse(billing.firstSeenAt) <= Date.parse(billing.lastSeenAt));
  });

  test("the run list filtered by a session shows exactly its runs; a run without one is in no session", async () => {
    assert.deepEqual((await runsOfSession("conv-refund")).ids, [runs.refundA, runs.refundB].sort());
    assert.deepEqual((await runsOfSession("conv-billing")).ids, [runs.billing, runs.billingLive].sort());
    assert.deepEqual((await runsOfSession("conv-nobody")).ids, []);
    const loose = await db.run.findUniqueOrThrow({ where: { projectId_id: { projectId, id: runs.loose } } });
    assert.equal(loose.sessionId, null);
  });
});

describe("paging and filtering the session list", () => {
  const slug = "paging";
  let expected: string[] = [];

  before(async () => {
    // 25 sessions; 10 share one activity time to the millisecond (the column's precision), 5 more share another.
    const project = await db.project.create({ data: { slug, name: "Paging" } });
    const base = Date.parse("2026-11-20T10:00:00.000Z");
    const at = (i: number) => new Date(i < 10 ? base : i < 15 ? base - 1000 : base - 1000 * (i + 10));
    const rows = Array.from({ length: 25 }, (_, i) => ({ id: `s-${String(i).padStart(2, "0")}`, lastSeenAt: at(i) }));
    await db.session.createMany({
      data: rows.map((r) => ({
        projectId: project.id,
        id: r.id,
        firstSeenAt: new Date(base - 3_600_000),
        lastSeenAt: r.lastSeenAt,
      })),
    });
    await db.run.createMany({
      data: rows.flatMap((r, i) =>
        Array.from({ length: 1 + (i % 3) }, () => ({
          projectId: project.id,
          id: randomBytes(16).toString("hex"),
          sessionId: r.id,
          startedAt: r.lastSeenAt,
          lastActivityAt: r.lastSeenAt,
          stepCount: 5,
        })),
      ),
    });
    // Ids are same-length lowercase and digits, which every collation orders alike.
    expected = [...rows]
      .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
  });

  test("walking the pages with nextCursor visits every session once, in order, across tied times", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const page = await listSessions(
        `project=${slug}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        ADMIN_TOKEN,
      );
      assert.ok(page.sessions.length <= 4);
      seen.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
      assert.ok(++pages <= 10, "paging ends");
    }
    assert.deepEqual(seen, expected);
    assert.equal(pages, 7);
  });

  test("each row counts its own runs", async () => {
    const page = await listSessions(`project=${slug}&limit=200`, ADMIN_TOKEN);
    for (const s of page.sessions) {
      const i = Number(s.id.slice(2));
      assert.equal(s.runCount, 1 + (i % 3), s.id);
      assert.equal(s.stepCount, 5 * (1 + (i % 3)), s.id);
      assert.deepEqual(s.agents, []);
    }
  });

  test("q keeps the sessions whose id starts with it, taken literally, and pages within them", async () => {
    const first = await listSessions(`project=${slug}&q=s-1&limit=6`, ADMIN_TOKEN);
    const rest = await listSessions(`project=${slug}&q=s-1&limit=6&cursor=${encodeURIComponent(first.nextCursor!)}`, ADMIN_TOKEN);
    assert.deepEqual(
      [...first.sessions, ...rest.sessions].map((s) => s.id),
      expected.filter((id) => id.startsWith("s-1")),
    );
    assert.equal(rest.nextCursor, null);
    // LIKE wildcards are plain characters in a prefix.
    assert.deepEqual((await listSessions(`project=${slug}&q=s-_`, ADMIN_TOKEN)).sessions, []);
    assert.deepEqual((await listSessions(`project=${slug}&q=${encodeURIComponent("%")}`, ADMIN_TOKEN)).sessions, []);
  });

  test("another project's sessions stay out of this project's list", async () => {
    const ids = (await listSessions("limit=200")).sessions.map((s) => s.id);
    assert.ok(!ids.some((id) => id.startsWith("s-")), ids.join(","));
  });

  test("a malformed cursor or limit is a 400 that names the field", async () => {
    for (const query of ["cursor=not-a-cursor", "limit=0", "limit=201"]) {
      const res = await get(sessionsRoute, `/api/v1/sessions?project=${slug}&${query}`, ADMIN_TOKEN);
      assert.equal(res.status, 400, query);
      assert.match(errorBody.parse(await res.json()).error.message, /^(cursor|limit)/, query);
    }
  });
});

function pick<K extends keyof SessionSummary>(s: SessionSummary, keys: K[]): Pick<SessionSummary, K> {
  return Object.fromEntries(keys.map((k) => [k, s[k]])) as Pick<SessionSummary, K>;
}
