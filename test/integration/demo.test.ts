import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunDetail, RunSummary } from "@/lib/api/schemas";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { getRunDetail } from "@/lib/server/repositories/run-detail";
import { findRunSummary } from "@/lib/server/repositories/runs";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import {
  FLAKY,
  LOOP,
  MIGRATION,
  RESEARCH,
  runFlakyAgent,
  runLoopAgent,
  runMigrationAgent,
  runResearchAgent,
  runSupportAgent,
  type AgentOptions,
  type AgentRun,
} from "@/demo/agents";

/**
 * The demo agents (demo/agents) against a real collector: each runs once in this process (the slow migration with a
 * short duration, and once more stopped through its AbortSignal), and the runs are read back the way the run page
 * reads them (getRunDetail): step kinds, tool calls linked to the decisions that made them and to the decisions that
 * read their results, the handoff, the loop's identical calls, the failing tool's error steps, sessions, liveness.
 */

let tdb: TestDatabase;
let db: Db;
let projectId: string;
let collector: RunningCollector;
let base: AgentOptions;

const SUPPORT_SESSION = "support-chat-test";
const RESEARCH_SESSION = "research-test";
/** Short but nonzero latencies: steps of one run start milliseconds apart, as the SDK's clock can tell them. */
const timeScale = 0.03;

type Started<T> = Promise<T> & { runId: Promise<string> };

/** Starts an agent now (the tests await it later) and resolves `runId` as soon as its root span started. */
function start<T extends AgentRun>(run: (o: AgentOptions) => Promise<T>, o: Partial<AgentOptions> = {}): Started<T> {
  let announce!: (id: string) => void;
  const runId = new Promise<string>((resolve) => (announce = resolve));
  const p = run({
    ...base,
    ...o,
    hooks: {
      ...o.hooks,
      onRunStarted: async (id, agent) => {
        announce(id);
        await o.hooks?.onRunStarted?.(id, agent);
      },
    },
  });
  p.catch(() => {}); // awaited by its test; a failure fails that test only
  return Object.assign(p, { runId });
}

let beforeSteps = 0;
const runStarts: [string, { serviceName: string; instanceId: string }][] = [];
let support: Started<AgentRun>;
let followUp: Promise<AgentRun>;
let research: Started<AgentRun>;
let loop: Started<AgentRun>;
let flaky: Started<AgentRun>;
let recovering: Started<AgentRun>;
let migration: Started<AgentRun>;
/** The migration run as first seen with steps, read while it runs (whatever the test order and machine load). */
let migrationWhileRunning: Promise<RunSummary | null>;
let stopped: Started<AgentRun>;
let killed: Started<AgentRun>;
const stop = new AbortController();

before(async () => {
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 3 });
  projectId = (await db.project.findUniqueOrThrow({ where: { slug: "default" } })).id;
  const { key } = await createApiKey(db, { projectId, name: "demo", scopes: ["ingest"] });
  collector = await startCollector(tdb.url);
  base = { endpoint: collector.url, headers: { authorization: `Bearer ${key}` }, timeScale };

  support = start(runSupportAgent, {
    sessionId: SUPPORT_SESSION,
    hooks: { beforeStep: async () => void beforeSteps++, onRunStarted: (id, agent) => void runStarts.push([id, agent]) },
  });
  followUp = support.then(() => runSupportAgent({ ...base, sessionId: SUPPORT_SESSION, scenario: "refund-followup" }));
  followUp.catch(() => {});
  research = start(runResearchAgent, { sessionId: RESEARCH_SESSION });
  loop = start(runLoopAgent);
  flaky = start(runFlakyAgent);
  recovering = start((o) => runFlakyAgent({ ...o, failures: 1 }));
  migration = start((o) => runMigrationAgent({ ...o, durationMs: 4_000, stepMs: 250 }));
  migrationWhileRunning = firstSeenWhileRunning(migration);
  stopped = start((o) => runMigrationAgent({ ...o, durationMs: 60_000, stepMs: 200 }), { signal: stop.signal });
  let checkpoints = 0;
  // What a control client's checkpoint() does on kill: throw before the step.
  killed = start(runSupportAgent, {
    hooks: {
      beforeStep: async () => {
        if (++checkpoints === 3) throw Object.assign(new Error("run killed by an operator"), { name: "RunKilled" });
      },
    },
  });
});

after(async () => {
  stop.abort();
  await Promise.allSettled([support, followUp, research, loop, flaky, recovering, migration, stopped, killed]);
  await collector?.stop();
  await db?.$disconnect();
  await tdb?.close();
});

// ---- reading runs back ----

type Step = RunDetail["steps"][number];

async function detail(runId: string): Promise<RunDetail> {
  const d = await getRunDetail(db, projectId, runId);
  assert.ok(d, `run ${runId} stored`);
  return d;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}: last seen ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function firstSeenWhileRunning(run: Started<AgentRun>): Promise<RunSummary | null> {
  let done = false;
  run.then(
    () => (done = true),
    () => (done = true),
  );
  const runId = await run.runId;
  for (;;) {
    const finished = done;
    const summary = await findRunSummary(db, projectId, runId);
    if ((summary && summary.stepCount >= 2) || finished) return summary;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const SDK_START_RESOLUTION_NS = 1_000_000n;

const kinds = (d: RunDetail) => d.steps.map((s) => s.kind).sort();
const count = (d: RunDetail, kind: Step["kind"]) => d.steps.filter((s) => s.kind === kind).length;
const byId = (d: RunDetail) => new Map(d.steps.map((s) => [s.spanId, s]));

/**
 * Every tool step has exactly one decision that chose it (by its call id) and, unless `last`, one later decision that
 * read its result (by the same id). Returns the deciding step of each tool step.
 */
function assertToolsLinked(d: RunDetail): Map<string, Step> {
  const steps = byId(d);
  const decidedBy = new Map<string, Step>();
  for (const tool of d.steps.filter((s) => s.kind === "tool")) {
    assert.ok(tool.toolCallId, `${tool.name} carries its call id`);
    const chosen = d.edges.filter((e) => e.kind === "tool_call" && e.to === tool.spanId);
    assert.equal(chosen.length, 1, `one decision chose ${tool.name}`);
    const decision = steps.get(chosen[0]!.from)!;
    assert.equal(decision.kind, "llm");
    assert.equal(chosen[0]!.via, tool.toolCallId);
    // Not after it *ended*: with streamText the SDK runs a tool as soon as its call streams in (same millisecond at times).
    assert.ok(BigInt(decision.startNs) <= BigInt(tool.startNs), `${tool.name} starts after its decision`);
    const read = d.edges.filter((e) => e.kind === "tool_result" && e.from === tool.spanId);
    assert.equal(read.length, 1, `one decision read the result of ${tool.name}`);
    const next = steps.get(read[0]!.to)!;
    assert.equal(next.kind, "llm");
    assert.equal(read[0]!.via, tool.toolCallId);
    // The OpenTelemetry JS SDK takes a span's start from Date.now() (whole milliseconds) and its end as start plus a
    // sub-millisecond duration, so a span that starts within a millisecond of another's end can read up to 1 ms early.
    assert.ok(
      BigInt(tool.endNs!) <= BigInt(next.startNs) + SDK_START_RESOLUTION_NS,
      `the decision after ${tool.name} starts after it ended`,
    );
    decidedBy.set(tool.spanId, decision);
  }
  return decidedBy;
}

const payload = (runId: string, spanId: string) =>
  db.stepPayload.findUniqueOrThrow({ where: { projectId_runId_spanId: { projectId, runId, spanId } } });

// ---- the agents ----

describe("demo agents", () => {
  test("support bot (AI SDK): order lookup, refund policy and refund, each tool call between two decisions", async () => {
    const result = await support;
    assert.equal(await support.runId, result.runId);
    const d = await detail(result.runId);
    assert.deepEqual(
      runStarts,
      [[result.runId, { serviceName: d.run.agent?.serviceName, instanceId: d.run.agent?.instanceId }]],
      "onRunStarted once, with the run id and the agent its spans name",
    );
    assert.equal(beforeSteps, 7, "beforeStep before each of the 4 model calls and 3 tool calls");
    assert.match(result.output, /refund RF-55120/);
    assert.equal(d.run.name, "support-bot");
    assert.equal(d.run.status, "ok");
    assert.equal(d.run.sessionId, SUPPORT_SESSION);
    assert.equal(d.run.agent?.serviceName, "support-bot");
    assert.deepEqual(kinds(d), ["agent", "llm", "llm", "llm", "llm", "tool", "tool", "tool"]);
    assert.equal(d.run.errorCount, 0);
    assert.deepEqual(
      d.steps.filter((s) => s.kind === "tool").map((s) => s.toolName),
      ["lookup_order", "get_refund_policy", "create_refund"],
    );
    const decisions = assertToolsLinked(d);
    assert.equal(new Set([...decisions.values()].map((s) => s.spanId)).size, 3, "one decision per tool call");
    const llms = d.steps.filter((s) => s.kind === "llm");
    for (const s of llms) {
      assert.equal(s.provider, "openai");
      assert.equal(s.model, "gpt-4o-mini-2024-07-18");
      assert.ok(s.inputTokens! > 100 && s.outputTokens! > 0, `tokens on ${s.name}`);
    }
    const input = llms.map((s) => s.inputTokens!);
    assert.deepEqual(
      input,
      [...input].sort((a, b) => a - b),
      "input tokens grow with the context",
    );
    assert.equal(d.run.totalTokens, d.run.inputTokens + d.run.outputTokens);
    // Redaction ran on the way in: the order's contact email is not stored.
    const lookup = d.steps.find((s) => s.toolName === "lookup_order")!;
    const { output } = await payload(result.runId, lookup.spanId);
    assert.doesNotMatch(output ?? "", /dana\.whitfield@example\.com/);
    assert.match(output ?? "", /A-10428/);
  });

  test("support bot: the follow-up is a second run of the same session", async () => {
    const [first, second] = [await support, await followUp];
    assert.notEqual(first.runId, second.runId);
    const d = await detail(second.runId);
    assert.equal(d.run.sessionId, SUPPORT_SESSION);
    assert.deepEqual(kinds(d), ["agent", "llm", "llm", "tool"]);
    assertToolsLinked(d);
    // The new run's first decision saw the earlier conversation: system, user, assistant, user.
    assert.equal(d.steps.find((s) => s.kind === "llm")!.contextSize, 4);
    const session = await eventually(
      () => db.session.findUniqueOrThrow({ where: { projectId_id: { projectId, id: SUPPORT_SESSION } } }),
      (s) => s.runCount === 2,
      "session run count",
    );
    assert.equal(session.runCount, 2);
    const runs = await db.run.findMany({ where: { projectId, sessionId: SUPPORT_SESSION }, select: { id: true } });
    assert.deepEqual(runs.map((r) => r.id).sort(), [first.runId, second.runId].sort());
  });

  test("research lead hands off to the web researcher, whose searches and reads feed its findings", async () => {
    const result = await research;
    const d = await detail(result.runId);
    assert.equal(d.run.name, RESEARCH.lead);
    assert.equal(d.run.status, "ok");
    assert.equal(d.run.sessionId, RESEARCH_SESSION);
    assert.deepEqual(kinds(d), ["agent", "agent", "agent", "llm", "llm", "llm", "llm", "llm", "tool", "tool", "tool"]);

    const handoffs = d.edges.filter((e) => e.kind === "handoff");
    assert.equal(handoffs.length, 1);
    const steps = byId(d);
    const from = steps.get(handoffs[0]!.from)!;
    const to = steps.get(handoffs[0]!.to)!;
    assert.deepEqual([from.kind, from.agentName, from.handoffTo], ["agent", RESEARCH.lead, RESEARCH.researcher]);
    assert.deepEqual([to.kind, to.name, to.agentName], ["agent", `invoke_agent ${RESEARCH.researcher}`, RESEARCH.researcher]);
    assert.equal(handoffs[0]!.via, RESEARCH.researcher);
    assert.ok(BigInt(from.startNs) <= BigInt(to.startNs), "the handoff comes first");

    const root = d.steps.find((s) => s.parentSpanId === null)!;
    assert.equal(to.parentSpanId, root.spanId);
    const researcherSteps = d.steps.filter((s) => s.parentSpanId === to.spanId);
    assert.deepEqual(researcherSteps.map((s) => s.kind).sort(), ["llm", "llm", "llm", "tool", "tool", "tool"]);
    for (const s of researcherSteps.filter((x) => x.kind === "llm"))
      assert.deepEqual([s.provider, s.model], ["openai", "gpt-4o-2024-08-06"]);
    const lead = d.steps.filter((s) => s.kind === "llm" && s.parentSpanId === root.spanId);
    assert.equal(lead.length, 2);
    for (const s of lead) assert.deepEqual([s.provider, s.model], ["anthropic", "claude-sonnet-4-5-20250929"]);

    const decidedBy = assertToolsLinked(d);
    const reads = d.steps.filter((s) => s.toolName === "fetch_page");
    assert.equal(reads.length, 2);
    assert.equal(decidedBy.get(reads[0]!.spanId)!.spanId, decidedBy.get(reads[1]!.spanId)!.spanId, "one decision, two reads");
    assert.match(result.output, /Heat pumps/);
  });

  test("deal finder loops: the same search_web call, same arguments, decided again and again", async () => {
    const result = await loop;
    const d = await detail(result.runId);
    assert.equal(d.run.name, LOOP.functionId);
    const searches = d.steps.filter((s) => s.kind === "tool");
    assert.equal(searches.length, LOOP.defaultRepeats);
    assert.equal(count(d, "llm"), LOOP.defaultRepeats + 1);
    for (const s of searches) assert.equal(s.toolName, LOOP.tool);
    const decidedBy = assertToolsLinked(d);
    assert.equal(new Set([...decidedBy.values()].map((s) => s.spanId)).size, LOOP.defaultRepeats, "a new decision each time");
    assert.equal(new Set(searches.map((s) => s.toolCallId)).size, LOOP.defaultRepeats, "a new call id each time");
    const inputs = await Promise.all(searches.map(async (s) => (await payload(result.runId, s.spanId)).input));
    assert.deepEqual(new Set(inputs), new Set([JSON.stringify({ query: LOOP.query })]), "identical arguments");
    for (const s of d.steps.filter((x) => x.kind === "llm")) assert.equal(s.provider, "anthropic");
  });

  test("billing assistant: fetch_invoice fails three times, each failure an error step the model sees; the run errs", async () => {
    const d = await detail((await flaky).runId);
    const fetches = d.steps.filter((s) => s.toolName === FLAKY.tool);
    assert.equal(fetches.length, 3);
    for (const s of fetches) assert.deepEqual([s.status, s.statusMessage], ["error", FLAKY.error]);
    assert.equal(d.steps.find((s) => s.toolName === "open_ticket")?.status, "unset");
    assertToolsLinked(d);
    assert.equal(d.run.status, "error");
    assert.equal(d.run.errorCount, 4, "three tool steps and the root");
    const root = d.steps.find((s) => s.parentSpanId === null)!;
    assert.deepEqual([root.status, root.statusMessage], ["error", `${FLAKY.tool} failed 3 times`]);
    for (const s of d.steps.filter((x) => x.kind === "llm"))
      assert.deepEqual([s.provider, s.model], ["gcp.vertex_ai", "gemini-2.5-flash"]);

    const recovered = await detail((await recovering).runId);
    assert.equal(recovered.run.status, "ok");
    assert.equal(recovered.run.errorCount, 1);
    assert.deepEqual(
      recovered.steps.filter((s) => s.kind === "tool").map((s) => s.status),
      ["error", "unset"],
    );
  });

  test("data migration stays live while it works, then ends", async () => {
    const runId = await migration.runId;
    const live = await migrationWhileRunning;
    assert.ok(live && live.stepCount >= 2, "steps stored while the agent works");
    assert.equal(live.status, "live");
    assert.equal(live.endedAt, null);
    const result = await migration;
    const d = await detail(runId);
    assert.equal(d.run.status, "ok");
    assert.ok(d.run.endedAt);
    assert.ok(d.run.durationMs! >= 3_500, `took ${d.run.durationMs} ms`);
    const batches = d.steps.filter((s) => s.toolName === "migrate_batch").length;
    assert.equal(batches, 14, "one batch per step besides inspect and verify (4 s / 250 ms - 2)");
    assert.equal(count(d, "llm"), batches + 3);
    assert.equal(count(d, "tool"), batches + 2);
    assert.equal(d.run.name, MIGRATION.agent);
    assertToolsLinked(d);
    assert.match(result.output, /Migrated/);
  });

  test("a hook that throws before a step (a kill) stops the AI SDK agent there; the run ends in error", async () => {
    const runId = await killed.runId;
    await assert.rejects(killed, /run killed/);
    const d = await detail(runId);
    assert.equal(d.run.status, "error");
    // Thrown before the second model call: the first decision and its tool ran, nothing after.
    assert.deepEqual(kinds(d), ["agent", "llm", "tool"]);
    const root = d.steps.find((s) => s.parentSpanId === null)!;
    assert.deepEqual([root.status, root.statusMessage], ["error", "run killed by an operator"]);
  });

  test("data migration stopped through its signal: the promise rejects, the run ends in error with what it did", async () => {
    const runId = await stopped.runId;
    await eventually(
      () => findRunSummary(db, projectId, runId),
      (r) => r !== null && r.status === "live" && r.stepCount >= 3,
      "the long migration run, live",
    );
    stop.abort(Object.assign(new Error("stopped by the test"), { name: "AbortError" }));
    await assert.rejects(stopped, /stopped by the test/);
    const d = await detail(runId);
    assert.equal(d.run.status, "error");
    const root = d.steps.find((s) => s.parentSpanId === null)!;
    assert.deepEqual([root.status, root.statusMessage], ["error", "stopped by the test"]);
    assert.ok(d.steps.length >= 4);
  });
});
