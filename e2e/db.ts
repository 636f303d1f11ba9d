import { randomBytes } from "node:crypto";
import pg from "pg";
import { E2E } from "./env";

/** Direct database access for seeding what a collector would have written. */
export async function withDb<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: E2E.databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const traceId = () => randomBytes(16).toString("hex");

export async function insertRun(
  c: pg.Client,
  run: {
    id: string;
    agent: string;
    name: string;
    status: string;
    startedAgoS: number;
    steps?: number;
    tokens?: number;
    errors?: number;
  },
): Promise<void> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO agents (project_id, service_name, instance_id)
     SELECT id, $1, 'e2e' FROM projects WHERE slug = 'default'
     ON CONFLICT (project_id, service_name, instance_id) DO UPDATE SET last_seen_at = now() RETURNING id`,
    [run.agent],
  );
  await c.query(
    `INSERT INTO runs (project_id, id, agent_id, name, status, started_at, ended_at, last_activity_at, step_count, llm_call_count, tool_call_count, total_tokens, error_count)
     SELECT p.id, $1, $2, $3, $4::"RunStatus", now() - make_interval(secs => $5), CASE WHEN $4 = 'live' THEN NULL ELSE now() - make_interval(secs => $5) + interval '4.2 seconds' END,
            now(), $6, $6 / 2, $6 / 2, $7, $8
     FROM projects p WHERE p.slug = 'default'`,
    [run.id, rows[0]!.id, run.name, run.status, run.startedAgoS, run.steps ?? 6, run.tokens ?? 1234, run.errors ?? 0],
  );
}
