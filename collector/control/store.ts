import { randomUUID } from "node:crypto";
import type pg from "pg";
import { CONTROL_CHANNEL, formatControlNotice, type ControlNotice } from "@/lib/control/channel";
import { controlSides, type ControlSidesRow } from "@/lib/control/sides";
import { effectiveControl, type ControlDesired, type ControlSide } from "@/lib/control/state";
import type { ChannelState } from "@/lib/control/wire";

/**
 * The collector's control data access: register (claim) a run, read effective
 * states, record delivery, acknowledgement and client presence. Every function is
 * keyed by (project, run). Lock order everywhere: an agent's control row before its
 * runs' control rows (as the web app's agent commands take them), so the two
 * processes cannot deadlock.
 */
export type RunKey = { projectId: string; runId: string };
export const keyOf = (k: RunKey): string => `${k.projectId}/${k.runId}`;

export type RunControlView = {
  state: ChannelState;
  /** The agent whose commands reach the run (null until known). */
  agentId: string | null;
  ownerKeyId: string | null;
  /** False until a command or a registration created the run's control row. */
  exists: boolean;
};

type StateRow = ControlSidesRow & { project_id: string; run_id: string; owner_key_id: string | null };

const STATES_SQL = `
  SELECT t.p AS project_id, t.r AS run_id, rc.owner_key_id,
         rc.desired::text AS run_desired, rc.version AS run_version, rc.reason AS run_reason, rc.actor_label AS run_actor,
         COALESCE(rc.agent_id, ru.agent_id) AS agent_id,
         ac.desired::text AS agent_desired, ac.version AS agent_version, ac.reason AS agent_reason, ac.actor_label AS agent_actor
  FROM unnest($1::uuid[], $2::bpchar[]) AS t(p, r)
  LEFT JOIN run_controls rc ON rc.project_id = t.p AND rc.run_id = t.r
  LEFT JOIN runs ru ON ru.project_id = t.p AND ru.id = t.r
  LEFT JOIN agent_controls ac ON ac.agent_id = COALESCE(rc.agent_id, ru.agent_id)`;

function toView(r: StateRow): RunControlView {
  const { run, agent } = controlSides(r);
  const e = effectiveControl(run, agent);
  return {
    state: { runId: r.run_id, desired: e.desired, version: e.version, reason: e.reason, actor: e.actor, source: e.source },
    agentId: r.agent_id,
    ownerKeyId: r.owner_key_id,
    exists: r.run_desired !== null,
  };
}

export async function readStates(pool: pg.Pool, keys: RunKey[]): Promise<Map<string, RunControlView>> {
  if (keys.length === 0) return new Map();
  const { rows } = await pool.query<StateRow>(STATES_SQL, [keys.map((k) => k.projectId), keys.map((k) => k.runId)]);
  return new Map(rows.map((r) => [keyOf({ projectId: r.project_id, runId: r.run_id }), toView(r)]));
}

export async function readState(pool: pg.Pool, key: RunKey): Promise<RunControlView> {
  return (await readStates(pool, [key])).get(keyOf(key))!;
}

export type Claim = { kind: "ok"; view: RunControlView; changed: boolean } | { kind: "forbidden" };

/**
 * Registers a run for a control client: the first key owns it; the run row is created
 * if its spans have not arrived yet (the span writer fills it in later); the run is
 * bound to an agent; a run appearing while its agent is killed is killed too, so it
 * stays killed when the agent is resumed. Cheap when the run is already the caller's.
 */
export async function claimRun(
  pool: pg.Pool,
  caller: { projectId: string; keyId: string },
  runId: string,
  agent?: { serviceName: string; instanceId: string },
): Promise<Claim> {
  const key = { projectId: caller.projectId, runId };
  const current = await readState(pool, key);
  if (current.exists && current.ownerKeyId === caller.keyId && (current.agentId || !agent))
    return { kind: "ok", view: current, changed: false };
  if (current.ownerKeyId && current.ownerKeyId !== caller.keyId) return { kind: "forbidden" };

  const client = await pool.connect();
  let inherited: ControlNotice | null = null;
  try {
    await client.query("BEGIN");
    const registered = agent ? await upsertAgent(client, caller.projectId, agent) : null;
    await client.query(
      `INSERT INTO runs (project_id, id, agent_id, started_at, last_activity_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (project_id, id) DO NOTHING`,
      [caller.projectId, runId, registered],
    );
    const bound = await client.query<{ agent_id: string | null }>(
      `SELECT COALESCE(rc.agent_id, r.agent_id, $3::uuid) AS agent_id
       FROM runs r LEFT JOIN run_controls rc ON rc.project_id = r.project_id AND rc.run_id = r.id
       WHERE r.project_id = $1 AND r.id = $2`,
      [caller.projectId, runId, registered],
    );
    const agentId = bound.rows[0]?.agent_id ?? null;
    const agentSide = agentId ? await lockAgentControl(client, agentId) : null;
    await client.query(`INSERT INTO run_controls (project_id, run_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      caller.projectId,
      runId,
    ]);
    const own = await client.query<{ owner_key_id: string | null; desired: ControlDesired; version: number }>(
      `SELECT owner_key_id, desired::text AS desired, version FROM run_controls WHERE project_id = $1 AND run_id = $2 FOR UPDATE`,
      [caller.projectId, runId],
    );
    const row = own.rows[0]!;
    if (row.owner_key_id && row.owner_key_id !== caller.keyId) {
      await client.query("ROLLBACK");
      return { kind: "forbidden" };
    }
    await client.query(
      `UPDATE run_controls SET owner_key_id = $3, agent_id = COALESCE(agent_id, $4::uuid),
         registered_at = COALESCE(registered_at, now()), client_seen_at = now(), updated_at = now()
       WHERE project_id = $1 AND run_id = $2`,
      [caller.projectId, runId, caller.keyId, agentId],
    );
    if (agentId && agentSide?.desired === "killed" && row.desired !== "killed") {
      const version = await inheritAgentKill(client, caller.projectId, runId, agentId, row.version, agentSide);
      inherited = { projectId: caller.projectId, runId, what: "state", version };
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  if (inherited) await notifyControl(pool, inherited);
  return { kind: "ok", view: await readState(pool, key), changed: inherited !== null };
}

async function upsertAgent(
  client: pg.PoolClient,
  projectId: string,
  a: { serviceName: string; instanceId: string },
): Promise<string> {
  await client.query(
    `INSERT INTO agents (project_id, service_name, instance_id) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, service_name, instance_id) DO NOTHING`,
    [projectId, a.serviceName, a.instanceId],
  );
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM agents WHERE project_id = $1 AND service_name = $2 AND instance_id = $3`,
    [projectId, a.serviceName, a.instanceId],
  );
  return rows[0]!.id;
}

/** FOR SHARE: an agent command in flight (FOR UPDATE) finishes first, so its kill cannot miss this run. */
async function lockAgentControl(client: pg.PoolClient, agentId: string): Promise<ControlSide> {
  await client.query(`INSERT INTO agent_controls (agent_id) VALUES ($1) ON CONFLICT DO NOTHING`, [agentId]);
  const { rows } = await client.query<{ desired: ControlDesired; version: number; reason: string; actor_label: string }>(
    `SELECT desired::text AS desired, version, reason, actor_label FROM agent_controls WHERE agent_id = $1 FOR SHARE`,
    [agentId],
  );
  const r = rows[0]!;
  return { desired: r.desired, version: r.version, reason: r.reason, actorLabel: r.actor_label };
}

async function inheritAgentKill(
  client: pg.PoolClient,
  projectId: string,
  runId: string,
  agentId: string,
  runVersion: number,
  agentSide: ControlSide,
): Promise<number> {
  await client.query(
    `UPDATE run_controls SET desired = 'killed', version = version + 1, reason = $3, actor_label = $4, updated_at = now()
     WHERE project_id = $1 AND run_id = $2`,
    [projectId, runId, agentSide.reason, agentSide.actorLabel],
  );
  const version = runVersion + 1 + agentSide.version;
  const parent = await client.query<{ id: string; request_id: string; actor_type: string; actor_id: string | null }>(
    `SELECT id, request_id, actor_type::text AS actor_type, actor_id FROM control_events
     WHERE project_id = $1 AND agent_id = $2 AND run_id IS NULL AND action = 'kill' ORDER BY id DESC LIMIT 1`,
    [projectId, agentId],
  );
  const p = parent.rows[0];
  await client.query(
    `INSERT INTO control_events (project_id, run_id, agent_id, parent_id, action, desired, version, actor_type, actor_id,
       actor_label, reason, request_id)
     VALUES ($1, $2, $3, $4, 'kill', 'killed', $5, $6::"ActorType", $7, $8, $9, $10)`,
    [
      projectId,
      runId,
      agentId,
      p?.id ?? null,
      version,
      p?.actor_type ?? "policy",
      p?.actor_id ?? null,
      agentSide.actorLabel,
      agentSide.reason,
      `${p?.request_id ?? randomUUID()}/run/${runId}`,
    ],
  );
  return version;
}

export type AckResult = "ok" | "forbidden" | "not_found" | "future_version";

/**
 * A client received (applied=false) or acted on (applied=true) the state at `version`.
 * Commands up to that version count as acknowledged; "applied" goes to the newest of
 * them only — older ones were superseded before the agent acted. The run's status
 * follows what the agent actually did.
 */
export async function acknowledge(
  pool: pg.Pool,
  caller: { projectId: string; keyId: string },
  runId: string,
  ack: { version: number; applied: boolean; spanId: string | null },
): Promise<AckResult> {
  const p = [caller.projectId, runId];
  const own = await pool.query<{ owner_key_id: string | null }>(
    `SELECT owner_key_id FROM run_controls WHERE project_id = $1 AND run_id = $2`,
    p,
  );
  if (!own.rows[0]) return "not_found";
  if (own.rows[0].owner_key_id !== caller.keyId) return "forbidden";
  if (ack.version > (await readState(pool, { projectId: caller.projectId, runId })).state.version) return "future_version";
  const acked = await pool.query(
    `UPDATE control_events SET delivered_at = COALESCE(delivered_at, now()), acknowledged_at = now()
     WHERE project_id = $1 AND run_id = $2 AND version <= $3 AND acknowledged_at IS NULL`,
    [...p, ack.version],
  );
  let applied = 0;
  if (ack.applied) {
    const res = await pool.query(
      `UPDATE control_events SET applied_at = now(), applied_span_id = $4
       WHERE id = (SELECT id FROM control_events
                   WHERE project_id = $1 AND run_id = $2 AND version <= $3 AND applied_at IS NULL
                     AND version > COALESCE((SELECT max(version) FROM control_events
                                             WHERE project_id = $1 AND run_id = $2 AND applied_at IS NOT NULL), -1)
                   ORDER BY version DESC LIMIT 1)`,
      [...p, ack.version, ack.spanId],
    );
    applied = res.rowCount ?? 0;
    await pool.query(
      `UPDATE run_controls SET applied_version = $3, applied_at = now(), applied_span_id = $4
       WHERE project_id = $1 AND run_id = $2 AND applied_version < $3`,
      [...p, ack.version, ack.spanId],
    );
    await followAppliedState(pool, { projectId: caller.projectId, runId }, ack.version);
  }
  if ((acked.rowCount ?? 0) + applied > 0)
    await notifyControl(pool, { projectId: caller.projectId, runId, what: "delivery", version: ack.version });
  return "ok";
}

/** runs.status shows what the agent did: killed (final), paused, or live again after a resume. */
async function followAppliedState(pool: pg.Pool, key: RunKey, version: number): Promise<void> {
  const { state } = await readState(pool, key);
  if (state.version !== version) return; // superseded: the newer state's ack will set it
  const sql =
    state.desired === "killed"
      ? `UPDATE runs SET status = 'killed', updated_at = now() WHERE project_id = $1 AND id = $2 AND status <> 'killed'`
      : state.desired === "paused"
        ? `UPDATE runs SET status = 'paused', updated_at = now() WHERE project_id = $1 AND id = $2 AND status = 'live'`
        : `UPDATE runs SET status = 'live', updated_at = now() WHERE project_id = $1 AND id = $2 AND status = 'paused'`;
  await pool.query(sql, [key.projectId, key.runId]);
}

/** The state up to `version` reached the client (written to its stream or poll). */
export async function markDelivered(pool: pg.Pool, key: RunKey, version: number): Promise<void> {
  if (version === 0) return;
  const res = await pool.query(
    `UPDATE control_events SET delivered_at = now()
     WHERE project_id = $1 AND run_id = $2 AND version <= $3 AND delivered_at IS NULL`,
    [key.projectId, key.runId, version],
  );
  if (res.rowCount) await notifyControl(pool, { ...key, what: "delivery", version });
}

/** Extends the connected-client lease of runs with an open stream or poll here; returns the runs that were not connected. */
export async function renewLeases(pool: pg.Pool, keys: RunKey[], leaseMs: number): Promise<RunKey[]> {
  if (keys.length === 0) return [];
  const { rows } = await pool.query<{ project_id: string; run_id: string; was_gone: boolean }>(
    `WITH old AS (
       SELECT rc.project_id, rc.run_id, rc.client_lease_until AS lease
       FROM run_controls rc JOIN unnest($1::uuid[], $2::bpchar[]) AS t(p, r) ON rc.project_id = t.p AND rc.run_id = t.r)
     UPDATE run_controls rc SET client_seen_at = now(), client_lease_until = now() + make_interval(secs => $3)
     FROM old WHERE rc.project_id = old.project_id AND rc.run_id = old.run_id
     RETURNING rc.project_id, rc.run_id, (old.lease IS NULL OR old.lease < now()) AS was_gone`,
    [keys.map((k) => k.projectId), keys.map((k) => k.runId), leaseMs / 1000],
  );
  return rows.filter((r) => r.was_gone).map((r) => ({ projectId: r.project_id, runId: r.run_id }));
}

/** The last stream of a run on this collector closed: the client counts as gone (another replica's heartbeat says otherwise). */
export async function releaseLease(pool: pg.Pool, key: RunKey): Promise<void> {
  await pool.query(
    `UPDATE run_controls SET client_lease_until = now(), client_seen_at = now() WHERE project_id = $1 AND run_id = $2`,
    [key.projectId, key.runId],
  );
}

export async function notifyControl(pool: pg.Pool, notice: ControlNotice): Promise<void> {
  await pool.query("SELECT pg_notify($1, $2)", [CONTROL_CHANNEL, formatControlNotice(notice)]);
}
