import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { agentList, errorBody, runPage, type RunPage } from "@/lib/api/schemas";
import { Prisma } from "@/lib/generated/prisma/client";
import { RUN_SORTS, SORT_ORDERS, type RunSort, type SortOrder } from "@/lib/runs/sort";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * The run list's orders and filters through GET /api/v1/runs, on seeded runs built to be
 * awkward: start times 1 µs apart and exactly equal, equal durations, step and token counts,
 * runs still live (no duration), most runs without errors or drift points. Every order is
 * checked against its rule, and walked page by page with nextCursor: each run exactly once.
 */
const ADMIN_TOKEN = "runs-list-test-admin-token-0123";
const ORIGIN = "http://localhost:3000";
const SLUG = "sorting";
let tdb: TestDatabase;
let db: Db;
type Handler = (req: Request) => Promise<Response>;
let runsRoute: Handler;
let agentsRoute: Handler;

type Seed = {
  id: string;
  agent: "a" | "b" | null;
  status: "ok" | "error" | "live";
  startedUs: bigint;
  /** null: still live, no end yet */
  durationUs: bigint | null;
  activityUs: bigint;
  steps: number;
  tokens: number;
  errors: number;
  drift: number;
};
const BASE_US = 1_763_700_000_000_000n;
const seeds: Seed[] = [];
const agentIds: Record<"a" | "b", string> = { a: "", b: "" };

before(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: tdb.url, CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN, CAUSEWAY_PUBLIC_URL: ORIGIN });
  db = createPrisma(tdb.url, { max: 3 });
  const project = await db.project.create({ data: { slug: SLUG, name: "Sorting" } });
  for (const k of ["a", "b"] as const)
    agentIds[k] = (await db.agent.create({ data: { projectId: project.id, serviceName: `bot-${k}`, instanceId: "i" } })).id;

  for (let i = 0; i < 41; i++) {
    const live = i % 9 === 4;
    seeds.push({
      // Ids in an order unrelated to i; same-length lowercase hex, which every collation orders alike.
      id: ((i * 2654435761) % 2 ** 32).toString(16).padStart(8, "0").repeat(4),
      agent: i % 5 === 0 ? null : i % 3 === 0 ? "b" : "a",
      status: live ? "live" : i % 7 === 3 ? "error" : "ok",
      // Groups of three runs that start in the same microsecond; groups 1 µs apart.
      startedUs: BASE_US + BigInt(Math.floor(i / 3)),
      durationUs: live ? null : BigInt(1_000_000 * (i % 4)) + (i % 2 ? 1n : 0n),
      activityUs: BASE_US + BigInt(((i * 17) % 41) * 1000),
      steps: 3 + (i % 4),
      tokens: 100 * (i % 6),
      errors: i % 7 === 3 ? 1 + (i % 3) : i % 10 === 1 ? 1 : 0,
      drift: i % 8 === 2 ? 1 + (i % 2) : 0,
    });
  }
  const us = (v: bigint) => Prisma.sql`timestamptz 'epoch' + ${v.toString()}::bigint * interval '1 microsecond'`;
  for (const s of seeds)
    await db.$executeRaw`
      INSERT INTO runs (project_id, id, agent_id, status, name, started_at, ended_at, last_activity_at, step_count,
                        total_tokens, error_count, drift_count)
      VALUES (${project.id}::uuid, ${s.id}, ${s.agent ? agentIds[s.agent] : null}::uuid, ${s.status}::"RunStatus", ${`run ${s.id.slice(0, 4)}`},
              ${us(s.startedUs)}, ${s.durationUs === null ? null : us(s.startedUs + s.durationUs)}, ${us(s.activityUs)},
              ${s.steps}, ${s.tokens}, ${s.errors}, ${s.drift})`;

  runsRoute = (await import("@/app/api/v1/runs/route")).GET;
  agentsRoute = (await import("@/app/api/v1/agents/route")).GET;
});
after(async () => {
  await db?.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb?.close();
});

async function get(route: Handler, query: string): Promise<Response> {
  return route(
    new Request(`${ORIGIN}/api/v1/x?project=${SLUG}&${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
  );
}
async function list(query: string): Promise<RunPage> {
  const res = await get(runsRoute, query);
  assert.equal(res.status, 200, await res.clone().text());
  return runPage.parse(await res.json());
}
async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = "";
  let pages = 0;
  while (cursor !== null) {
    const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.ok(page.runs.length <= limit);
    ids.push(...page.runs.map((r) => r.id));
    cursor = page.nextCursor;
    assert.ok(++pages <= seeds.length + 1, "paging ends");
  }
  return { ids, pages };
}

/**
 * The documented order: by the value in the requested direction, ties by run id in the same direction; runs with
 * no duration after all others; runs with no errors (or no drift) as one block — first ascending, last
 * descending — within which the newest start comes first.
 */
function expected(sort: RunSort, order: SortOrder, keep: (s: Seed) => boolean = () => true): string[] {
  const value = (s: Seed): bigint | null =>
    ({
      started: s.startedUs,
      activity: s.activityUs,
      duration: s.durationUs,
      steps: BigInt(s.steps),
      tokens: BigInt(s.tokens),
      errors: BigInt(s.errors),
      drift: BigInt(s.drift),
    })[sort];
  const noValue = (s: Seed) => value(s) === null || ((sort === "errors" || sort === "drift") && value(s) === 0n);
  const blockLast = (s: Seed) => (sort === "duration" || order === "desc" ? noValue(s) : !noValue(s));
  const sign = order === "asc" ? 1 : -1;
  const cmp = (x: bigint | string, y: bigint | string) => (x < y ? -1 : x > y ? 1 : 0);
  return seeds
    .filter(keep)
    .sort((a, b) => {
      if (blockLast(a) !== blockLast(b)) return blockLast(a) ? 1 : -1;
      if (noValue(a)) return -cmp(a.startedUs, b.startedUs) || -cmp(a.id, b.id);
      return sign * (cmp(value(a)!, value(b)!) || cmp(a.id, b.id));
    })
    .map((s) => s.id);
}

describe("sorting the run list", () => {
  test("every sort, both directions, lists the runs in its order", async () => {
    for (const sort of RUN_SORTS)
      for (const order of SORT_ORDERS) {
        const page = await list(`sort=${sort}&order=${order}&limit=500`);
        assert.deepEqual(
          page.runs.map((r) => r.id),
          expected(sort, order),
          `${sort} ${order}`,
        );
        assert.equal(page.nextCursor, null);
      }
  });

  test("the orders mean what their names say", async () => {
    const tokensDesc = (await list("sort=tokens&order=desc&limit=500")).runs;
    assert.equal(tokensDesc[0]!.totalTokens, 500);
    assert.equal(tokensDesc.at(-1)!.totalTokens, 0);
    const durationAsc = (await list("sort=duration&order=asc&limit=500")).runs;
    const durationDesc = (await list("sort=duration&order=desc&limit=500")).runs;
    for (const runs of [durationAsc, durationDesc]) {
      const live = runs.filter((r) => r.durationMs === null).length;
      assert.ok(live > 0);
      assert.ok(
        runs.slice(-live).every((r) => r.status === "live" && r.durationMs === null),
        "runs without a duration come last",
      );
    }
    assert.equal(durationAsc[0]!.durationMs, 0);
    assert.equal(durationDesc[0]!.durationMs, 3000);
    const errorsDesc = (await list("sort=errors&order=desc&limit=500")).runs;
    assert.equal(errorsDesc[0]!.errorCount, 3);
    assert.equal(errorsDesc.at(-1)!.errorCount, 0);
    assert.equal((await list("sort=errors&order=asc&limit=1")).runs[0]!.errorCount, 0);
    // The default is newest first, the same as asking for it.
    assert.deepEqual((await list("limit=500")).runs, (await list("sort=started&order=desc&limit=500")).runs);
    // An order alone is descending.
    assert.deepEqual((await list("sort=steps&limit=500")).runs, (await list("sort=steps&order=desc&limit=500")).runs);
  });

  test("walking any order page by page visits every run once, in order, across ties and runs without a value", async () => {
    for (const sort of RUN_SORTS)
      for (const order of SORT_ORDERS)
        for (const limit of [1, 4, 7]) {
          const { ids, pages } = await walk(`sort=${sort}&order=${order}`, limit);
          assert.deepEqual(ids, expected(sort, order), `${sort} ${order} by ${limit}`);
          assert.equal(pages, Math.ceil(seeds.length / limit), `${sort} ${order} by ${limit}: no empty last page`);
        }
  });

  test("a cursor is refused with 400 under another order, and a malformed one too", async () => {
    const { nextCursor } = await list("sort=tokens&order=desc&limit=5");
    assert.ok(nextCursor);
    for (const query of ["sort=tokens&order=asc", "sort=steps&order=desc", "", "order=desc"]) {
      const res = await get(runsRoute, `${query}&cursor=${encodeURIComponent(nextCursor)}`);
      assert.equal(res.status, 400, query);
      assert.match(errorBody.parse(await res.json()).error.message, /^cursor: made for sort=tokens&order=desc/, query);
    }
    for (const query of ["cursor=not-a-cursor", "sort=name", "order=up", "sort=tokens&order=sideways"]) {
      const res = await get(runsRoute, query);
      assert.equal(res.status, 400, query);
      assert.match(errorBody.parse(await res.json()).error.message, /^(cursor|sort|order)/, query);
    }
    // A cursor that says "no errors" where the order has none to give (a value the list never makes).
    const forged = Buffer.from(`errors.desc.-1.0.${"a".repeat(32)}`).toString("base64url");
    assert.equal((await get(runsRoute, `sort=errors&order=desc&cursor=${forged}`)).status, 400);
  });
});

describe("filtering the run list", () => {
  test("the agent filter keeps that agent's runs, in any order and across pages", async () => {
    for (const k of ["a", "b"] as const)
      for (const [sort, order] of [
        ["started", "desc"],
        ["tokens", "desc"],
        ["errors", "asc"],
        ["duration", "desc"],
      ] as const) {
        const { ids } = await walk(`agent=${agentIds[k]}&sort=${sort}&order=${order}`, 3);
        assert.deepEqual(
          ids,
          expected(sort, order, (s) => s.agent === k),
          `${k} ${sort} ${order}`,
        );
      }
    const page = await list(`agent=${agentIds.a}&limit=500`);
    assert.ok(page.runs.length > 0 && page.runs.every((r) => r.agent?.id === agentIds.a && r.agent.serviceName === "bot-a"));
  });

  test("agent and status filters combine with each other and with an order", async () => {
    const { ids } = await walk(`agent=${agentIds.a}&status=error,live&sort=errors&order=desc`, 2);
    assert.deepEqual(
      ids,
      expected("errors", "desc", (s) => s.agent === "a" && s.status !== "ok"),
    );
    assert.ok(ids.length > 0);
    const errorsOnly = await walk(`status=error&sort=errors&order=asc`, 2);
    assert.deepEqual(
      errorsOnly.ids,
      expected("errors", "asc", (s) => s.status === "error"),
    );
  });

  test("an agent of another project, or none, lists nothing; a malformed agent id is a 400", async () => {
    const other = await db.project.create({ data: { slug: "sorting-other", name: "Other" } });
    const stranger = await db.agent.create({ data: { projectId: other.id, serviceName: "bot-a", instanceId: "i" } });
    assert.deepEqual((await list(`agent=${stranger.id}`)).runs, []);
    const res = await get(runsRoute, "agent=bot-a");
    assert.equal(res.status, 400);
    assert.match(errorBody.parse(await res.json()).error.message, /^agent/);
  });

  test("GET /api/v1/agents lists the project's agents for the filter, by service name", async () => {
    const res = await get(agentsRoute, "");
    assert.equal(res.status, 200);
    const body = agentList.parse(await res.json());
    assert.deepEqual(
      body.agents.map((a) => [a.id, a.serviceName, a.instanceId]),
      [
        [agentIds.a, "bot-a", "i"],
        [agentIds.b, "bot-b", "i"],
      ],
    );
    assert.equal(body.truncated, false);
  });
});
