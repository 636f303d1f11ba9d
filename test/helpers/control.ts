import { randomBytes } from "node:crypto";
import type { Scope } from "@/lib/auth/access";
import type { Db } from "@/lib/server/db/prisma";

/**
 * Helpers for control tests: REST commands through the real route handlers (called
 * in-process, as api-access.test.ts does), callers of each kind, and raw access to the
 * collector's agent channel.
 */
export const ORIGIN = "http://localhost:3000";
export const ADMIN_TOKEN = "control-test-admin-token-0123";

type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export const newRunId = () => randomBytes(16).toString("hex");

/** Sets the web app's environment; call before the first route import. */
export function webEnvFor(databaseUrl: string): void {
  Object.assign(process.env, { DATABASE_URL: databaseUrl, CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN, CAUSEWAY_PUBLIC_URL: ORIGIN });
}

export type Callers = Record<string, Record<string, string>>;

/** A user of each role (session cookie), the admin token, and API keys of each scope. */
export async function makeCallers(db: Db, projectId: string): Promise<{ callers: Callers; keys: Record<string, string> }> {
  const { createUser } = await import("@/lib/server/repositories/users");
  const { createUserSession } = await import("@/lib/server/repositories/user-sessions");
  const { createApiKey } = await import("@/lib/server/repositories/api-keys");
  const callers: Callers = { adminToken: { authorization: `Bearer ${ADMIN_TOKEN}` } };
  for (const role of ["viewer", "operator"] as const) {
    const user = await createUser(db, { email: `${role}@example.com`, name: `The ${role}`, password: "password-123", role });
    const { token } = await createUserSession(db, user.id, { days: 1 });
    callers[role] = { cookie: `causeway_session=${token}`, origin: ORIGIN };
  }
  const keys: Record<string, string> = {};
  const key = async (name: string, scopes: Scope[]) => {
    keys[name] = (await createApiKey(db, { projectId, name, scopes })).key;
    callers[name] = { authorization: `Bearer ${keys[name]}` };
  };
  await key("agentKey", ["ingest"]);
  await key("agentKey2", ["ingest"]);
  await key("readKey", ["read"]);
  await key("operateKey", ["read", "operate"]);
  return { callers, keys };
}

export async function callRoute(
  mod: "runs/[runId]/control" | "agents/[agentId]/control",
  method: "GET" | "POST",
  headers: Record<string, string>,
  params: Record<string, string>,
  body?: unknown,
): Promise<Response> {
  const route = (await import(`@/app/api/v1/${mod}/route`)) as Record<string, Handler>;
  const url = `${ORIGIN}/api/v1/${mod.replace(/\[(\w+)\]/g, (_, k: string) => params[k] ?? k)}`;
  const req = new Request(url, {
    method,
    headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return route[method]!(req, { params: Promise.resolve(params) });
}

/** POST /api/v1/runs/{runId}/control as `caller`. */
export function commandRun(
  callers: Callers,
  runId: string,
  body: { action: string; reason?: string; requestId?: string },
  caller = "operator",
  extra: Record<string, string> = {},
): Promise<Response> {
  return callRoute("runs/[runId]/control", "POST", { ...callers[caller], ...extra }, { runId }, body);
}

export function commandAgent(
  callers: Callers,
  agentId: string,
  body: { action: string; reason?: string },
  caller = "operator",
): Promise<Response> {
  return callRoute("agents/[agentId]/control", "POST", callers[caller]!, { agentId }, body);
}

export async function runControl(callers: Callers, runId: string, caller = "viewer") {
  const res = await callRoute("runs/[runId]/control", "GET", callers[caller]!, { runId });
  if (!res.ok) throw new Error(`GET control ${res.status}: ${await res.text()}`);
  const { runControl } = await import("@/lib/api/control-schemas");
  return runControl.parse(await res.json());
}

/** A raw call on the collector's agent channel. */
export function channel(collectorUrl: string, key: string, runId: string, verb: string, init: RequestInit = {}, query = "") {
  return fetch(`${collectorUrl}/v1/control/runs/${runId}/${verb}${query}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
  });
}

export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads SSE events from a raw stream response until `count` state events arrived (or the time is up). */
export async function readStates(res: Response, count: number, ms = 5000): Promise<{ id: string; data: unknown }[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const out: { id: string; data: unknown }[] = [];
  let text = "";
  const deadline = setTimeout(() => void reader.cancel(), ms);
  try {
    while (out.length < count) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id !== undefined && data !== undefined) out.push({ id, data: JSON.parse(data) });
      }
    }
  } finally {
    clearTimeout(deadline);
    reader.releaseLock();
  }
  return out;
}
