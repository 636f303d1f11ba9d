import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Scope } from "@/lib/auth/access";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * Walks every API route with every kind of caller and asserts the outcome:
 * no credentials, each role, the admin token, API keys with each scope, and a
 * key of another project. A new route that is not in the table fails the test.
 */
const ADMIN_TOKEN = "test-admin-token-0123456789";
const RUN_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const ORIGIN = "http://localhost:3000";
let tdb: TestDatabase;
let db: Db;
const callers: Record<string, Record<string, string>> = {};
type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

before(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: tdb.url,
    CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    CAUSEWAY_PUBLIC_URL: ORIGIN,
    CAUSEWAY_SETUP_CODE: "setup-code-123",
  });
  db = createPrisma(tdb.url, { max: 3 });
  const { createUser } = await import("@/lib/server/repositories/users");
  const { createUserSession } = await import("@/lib/server/repositories/user-sessions");
  const { createApiKey } = await import("@/lib/server/repositories/api-keys");
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser(db, { email: `${role}@example.com`, name: role, password: "password-123", role });
    const { token } = await createUserSession(db, user.id, { days: 1 });
    callers[role] = { cookie: `causeway_session=${token}`, origin: ORIGIN };
  }
  callers.none = {};
  callers.adminToken = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const other = await db.project.create({ data: { slug: "other", name: "Other" } });
  await db.run.create({
    data: { projectId: project.id, id: RUN_ID, name: "seeded", startedAt: new Date(), lastActivityAt: new Date() },
  });
  const key = async (projectId: string, scopes: Scope[]) =>
    `Bearer ${(await createApiKey(db, { projectId, name: "t", scopes })).key}`;
  callers.readKey = { authorization: await key(project.id, ["read"]) };
  callers.ingestKey = { authorization: await key(project.id, ["ingest"]) };
  callers.operateKey = { authorization: await key(project.id, ["read", "operate"]) };
  callers.otherProjectKey = { authorization: await key(other.id, ["read", "operate", "ingest"]) };
});
after(async () => {
  await db.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  const { closeNotifications } = await import("@/lib/server/live/notifications");
  await closeNotifications();
  await getDb().$disconnect();
  await tdb.close();
});

async function call(
  mod: string,
  method: string,
  caller: string,
  opts: { params?: Record<string, string>; body?: unknown; query?: string } = {},
): Promise<Response> {
  const route = (await import(`@/app/api/${mod}/route`)) as Record<string, Handler>;
  const handler = route[method];
  assert.ok(handler, `${mod} exports ${method}`);
  const url = `${ORIGIN}/api/${mod.replace(/\[(\w+)\]/g, (_, k: string) => opts.params?.[k] ?? k)}${opts.query ?? ""}`;
  const req = new Request(url, {
    method,
    headers: { ...callers[caller], ...(opts.body ? { "content-type": "application/json" } : {}) },
    body: opts.body ? JSON.stringify(opts.body) : undefined,
  });
  return handler(req, { params: Promise.resolve(opts.params ?? {}) });
}

const READ = {
  none: 401,
  viewer: 200,
  operator: 200,
  admin: 200,
  adminToken: 200,
  readKey: 200,
  ingestKey: 403,
  operateKey: 200,
  otherProjectKey: 403,
};
const ADMIN = {
  none: 401,
  viewer: 403,
  operator: 403,
  admin: 200,
  adminToken: 200,
  readKey: 403,
  ingestKey: 403,
  operateKey: 403,
  otherProjectKey: 403,
};
const OPERATE = { ...ADMIN, operator: 200, operateKey: 200 };
const accepted = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === 200 ? 202 : v]));
async function freshRun(): Promise<string> {
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const id = Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
  await db.run.create({
    data: { projectId: project.id, id, name: "control", startedAt: new Date(), lastActivityAt: new Date() },
  });
  return id;
}
async function freshAgent(): Promise<string> {
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  return (await db.agent.create({ data: { projectId: project.id, serviceName: `agent-${Math.random().toString(36).slice(2)}` } }))
    .id;
}
const created = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === 200 ? 201 : v]));

/** Every protected route, method and the status each caller gets. */
const MATRIX: {
  mod: string;
  method: string;
  expect: Record<string, number>;
  body?: () => unknown;
  params?: () => Promise<Record<string, string>>;
}[] = [
  { mod: "v1/me", method: "GET", expect: READ },
  { mod: "v1/runs", method: "GET", expect: READ },
  { mod: "v1/sessions", method: "GET", expect: READ },
  { mod: "v1/agents", method: "GET", expect: READ },
  { mod: "v1/runs/[runId]", method: "GET", expect: READ, params: async () => ({ runId: RUN_ID }) },
  { mod: "v1/projects", method: "GET", expect: READ },
  { mod: "v1/events", method: "GET", expect: READ },
  { mod: "v1/users", method: "GET", expect: ADMIN },
  {
    mod: "v1/users",
    method: "POST",
    expect: created(ADMIN),
    body: () => ({
      email: `u${Math.random().toString(36).slice(2)}@example.com`,
      name: "New",
      password: "password-123",
      role: "viewer",
    }),
  },
  {
    mod: "v1/users/[id]",
    method: "PATCH",
    expect: ADMIN,
    body: () => ({ name: "Renamed" }),
    params: async () => ({ id: (await db.user.findUniqueOrThrow({ where: { email: "viewer@example.com" } })).id }),
  },
  {
    mod: "v1/users/[id]",
    method: "DELETE",
    expect: ADMIN,
    params: async () => {
      const { createUser } = await import("@/lib/server/repositories/users");
      return {
        id: (
          await createUser(db, {
            email: `d${Math.random().toString(36).slice(2)}@example.com`,
            name: "D",
            password: "password-123",
            role: "viewer",
          })
        ).id,
      };
    },
  },
  { mod: "v1/api-keys", method: "GET", expect: ADMIN },
  { mod: "v1/api-keys", method: "POST", expect: created(ADMIN), body: () => ({ name: "k", scopes: ["read"] }) },
  {
    mod: "v1/api-keys/[id]",
    method: "DELETE",
    expect: ADMIN,
    params: async () => {
      const { createApiKey } = await import("@/lib/server/repositories/api-keys");
      const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
      return { id: (await createApiKey(db, { projectId: project.id, name: "victim", scopes: ["read"] })).apiKey.id };
    },
  },
  {
    mod: "v1/runs/[runId]/steps/[spanId]",
    method: "GET",
    expect: READ,
    params: async () => {
      const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
      const step = {
        projectId: project.id,
        runId: RUN_ID,
        spanId: "00f067aa0ba902b7",
        kind: "llm" as const,
        name: "chat",
        startNs: 1n,
      };
      await db.step.createMany({ data: [step], skipDuplicates: true });
      return { runId: RUN_ID, spanId: step.spanId };
    },
  },
  { mod: "v1/runs/[runId]/context", method: "GET", expect: READ, params: async () => ({ runId: RUN_ID }) },
  // Live control: reading is "read", commands are "operate" (a fresh run or agent per call, so each is a change: 202).
  { mod: "v1/runs/[runId]/control", method: "GET", expect: READ, params: async () => ({ runId: RUN_ID }) },
  {
    mod: "v1/runs/[runId]/control",
    method: "POST",
    expect: accepted(OPERATE),
    body: () => ({ action: "pause", reason: "access test" }),
    params: async () => ({ runId: await freshRun() }),
  },
  { mod: "v1/agents/[agentId]/control", method: "GET", expect: READ, params: async () => ({ agentId: await freshAgent() }) },
  {
    mod: "v1/agents/[agentId]/control",
    method: "POST",
    expect: accepted(OPERATE),
    body: () => ({ action: "pause" }),
    params: async () => ({ agentId: await freshAgent() }),
  },
  // Runtime policies: reading is "read", writing is "operate" (a fresh agent per call: PUT creates, DELETE finds one).
  { mod: "v1/policies", method: "GET", expect: READ },
  { mod: "v1/policies/[agent]", method: "GET", expect: READ, params: async () => ({ agent: await freshPolicy() }) },
  {
    mod: "v1/policies/[agent]",
    method: "PUT",
    expect: created(OPERATE),
    body: () => ({ allowTools: ["lookup_*"], actions: [{ detector: "loop", minSeverity: "high", action: "pause" }] }),
    params: async () => ({ agent: `bot-${Math.random().toString(36).slice(2)}` }),
  },
  { mod: "v1/policies/[agent]", method: "DELETE", expect: OPERATE, params: async () => ({ agent: await freshPolicy() }) },
  { mod: "v1/runs/[runId]/drift", method: "GET", expect: READ, params: async () => ({ runId: RUN_ID }) },
  // Drift search: an empty query (the newest drift points) and autocomplete at an empty query (the keys).
  { mod: "v1/search", method: "GET", expect: READ },
  { mod: "v1/search/suggest", method: "GET", expect: READ },
];
async function freshPolicy(): Promise<string> {
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const agent = `bot-${Math.random().toString(36).slice(2)}`;
  await db.agentPolicy.create({ data: { projectId: project.id, agent, policy: { severity: "high", actions: [] } } });
  return agent;
}
const PUBLIC = new Set(["GET health", "POST auth/sign-in", "POST auth/sign-out", "POST auth/setup"]);

test("the access matrix covers every API route and method", async () => {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === "route.ts") found.push(path.relative("app/api", dir));
    }
  };
  walk("app/api");
  for (const mod of found) {
    const route = (await import(`@/app/api/${mod}/route`)) as Record<string, unknown>;
    for (const method of Object.keys(route).filter((k) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(k))) {
      const key = `${method} ${mod}`;
      assert.ok(PUBLIC.has(key) || MATRIX.some((m) => m.mod === mod && m.method === method), `${key} is in the access matrix`);
    }
  }
});

describe("every route answers each caller as its permission says", () => {
  for (const row of MATRIX)
    for (const [caller, status] of Object.entries(row.expect))
      test(`${row.method} /api/${row.mod} as ${caller} -> ${status}`, async () => {
        const res = await call(row.mod, row.method, caller, { body: row.body?.(), params: await row.params?.() });
        // Read the body only when it is an error: a live stream (SSE) never ends.
        if (res.status !== status) assert.fail(`expected ${status}, got ${res.status}: ${await res.text()}`);
        if (status >= 400) assert.ok(((await res.json()) as { error: { message: string } }).error.message);
        else await res.body?.cancel();
      });
});

test("a cookie-authenticated write from another origin is refused (CSRF)", async () => {
  const res = await call("v1/api-keys", "POST", "admin", { body: { name: "x", scopes: ["read"] } });
  assert.equal(res.status, 201);
  callers.adminEvil = { ...callers.admin!, origin: "https://evil.example" };
  assert.equal((await call("v1/api-keys", "POST", "adminEvil", { body: { name: "x", scopes: ["read"] } })).status, 403);
  callers.adminNoOrigin = { cookie: callers.admin!.cookie! };
  assert.equal((await call("v1/api-keys", "POST", "adminNoOrigin", { body: { name: "x", scopes: ["read"] } })).status, 403);
});

test("a key of another project cannot read this project, but can read its own", async () => {
  assert.equal((await call("v1/runs", "GET", "otherProjectKey", { query: "?project=other" })).status, 200);
  assert.equal((await call("v1/runs", "GET", "otherProjectKey", { query: "?project=default" })).status, 403);
});

test("invalid input gets a 400 that names the field", async () => {
  const res = await call("v1/users", "POST", "admin", {
    body: { email: "not-an-email", name: "x", password: "short", role: "root" },
  });
  assert.equal(res.status, 400);
  const { error } = (await res.json()) as { error: { message: string } };
  assert.match(error.message, /email/);
  assert.match(error.message, /password: must be at least 10 characters/);
  assert.match(error.message, /role/);
});

test("a revoked key and a disabled user are refused at once", async () => {
  const { createApiKey } = await import("@/lib/server/repositories/api-keys");
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const { key, apiKey } = await createApiKey(db, { projectId: project.id, name: "soon revoked", scopes: ["read"] });
  callers.soonRevoked = { authorization: `Bearer ${key}` };
  assert.equal((await call("v1/runs", "GET", "soonRevoked")).status, 200);
  assert.equal((await call("v1/api-keys/[id]", "DELETE", "admin", { params: { id: apiKey.id } })).status, 200);
  assert.equal((await call("v1/runs", "GET", "soonRevoked")).status, 401);

  const { createUser } = await import("@/lib/server/repositories/users");
  const { createUserSession } = await import("@/lib/server/repositories/user-sessions");
  const user = await createUser(db, { email: "leaver@example.com", name: "L", password: "password-123", role: "viewer" });
  callers.leaver = { cookie: `causeway_session=${(await createUserSession(db, user.id, { days: 1 })).token}` };
  assert.equal((await call("v1/me", "GET", "leaver")).status, 200);
  assert.equal(
    (await call("v1/users/[id]", "PATCH", "admin", { params: { id: user.id }, body: { disabled: true } })).status,
    200,
  );
  assert.equal((await call("v1/me", "GET", "leaver")).status, 401);
});

test("the last admin cannot be demoted", async () => {
  const admins = await db.user.findMany({ where: { role: "admin", email: { not: "admin-token@causeway.local" } } });
  for (const a of admins.slice(1)) await db.user.update({ where: { id: a.id }, data: { role: "viewer" } });
  const res = await call("v1/users/[id]", "PATCH", "adminToken", { params: { id: admins[0]!.id }, body: { role: "viewer" } });
  assert.equal(res.status, 409);
});

test("sign-in: a cookie on success, a clear 401 on failure, 429 after repeated failures", async () => {
  const signIn = (body: unknown) => call("auth/sign-in", "POST", "browser", { body });
  callers.browser = { origin: ORIGIN, "x-forwarded-for": "203.0.113.7" };
  const ok = await signIn({ email: "operator@example.com", password: "password-123" });
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get("set-cookie") ?? "", /^causeway_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
  assert.equal((await signIn({ email: "operator@example.com", password: "wrong-password" })).status, 401);
  for (let i = 0; i < 4; i++) await signIn({ email: "operator@example.com", password: "wrong-password" });
  const limited = await signIn({ email: "operator@example.com", password: "password-123" });
  assert.equal(limited.status, 429, "even the right password waits once the account is rate-limited");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  const token = await signIn({ token: ADMIN_TOKEN });
  assert.equal(token.status, 200, "the admin token signs in to the UI");
});

test("setup: needs the printed code and works only while nobody can sign in", async () => {
  const setup = (code: string) =>
    call("auth/setup", "POST", "browser", {
      body: { email: "first@example.com", name: "First", password: "password-123", code },
    });
  callers.browser = { origin: ORIGIN };
  assert.equal((await setup("wrong")).status, 403);
  assert.equal((await setup("setup-code-123")).status, 409, "users exist already");
});
