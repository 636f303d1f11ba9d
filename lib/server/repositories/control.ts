import { Prisma } from "@/lib/generated/prisma/client";
import type pg from "pg";
import { poolOf, type Db } from "@/lib/server/db/prisma";
import type { Principal } from "@/lib/auth/access";
import { CONTROL_CHANNEL, formatControlNotice, type ControlNotice } from "@/lib/control/channel";
import {
  agentTransition,
  effectiveControl,
  mostRestrictive,
  runTransition,
  type ActorType,
  type ControlAction,
  type ControlDesired,
  type ControlSide,
} from "@/lib/control/state";
import type { AgentControl, AgentControlState, ControlEventView, RunControl, RunControlState } from "@/lib/api/control-schemas";

/**
 * Control commands and control state for the web app. A command locks the control
 * row it changes (an agent's row before its runs' rows, the order the collector uses
 * too), checks the idempotency key under that lock (so a concurrent twin has either
 * committed or not started), applies the transition rules of lib/control/state.ts,
 * appends a control event and commits; then `causeway_control` tells every collector.
 */
type Tx = Prisma.TransactionClient;

export type ControlActor = { type: ActorType; id: string | null; label: string };
export type ControlCommand = { action: ControlAction; reason: string; requestId: string; actor: ControlActor };

export type CommandOutcome<S> =
  | { kind: "applied"; state: S; event: ControlEventView; replayed: boolean }
  | { kind: "unchanged"; state: S }
  | { kind: "refused"; message: string }
  | { kind: "not_found" };

/** Who issued a command, as the history shows it. */
export async function controlActorOf(db: Db, p: Principal): Promise<ControlActor> {
  if (p.kind === "user") return { type: "user", id: p.userId, label: p.name ? `${p.name} (${p.email})` : p.email };
  if (p.kind === "admin_token") return { type: "admin_token", id: null, label: "admin token" };
  const key = await db.apiKey.findUnique({ where: { id: p.keyId }, select: { name: true } });
  return { type: "api_key", id: p.keyId, label: `API key "${key?.name ?? "?"}" (${p.label}…)` };
}

// ───────────────────────────── commands ─────────────────────────────

type Prior = { event: EventRow } | { conflict: string } | null;
type TxOutcome =
  | { kind: "applied"; event: EventRow; replayed: boolean }
  | { kind: "unchanged" }
  | { kind: "refused"; message: string }
  | { kind: "not_found" };

/**
 * A run command is the latency users feel when they press Kill, so it takes two round
 * trips on the raw connection pool instead of a locking transaction of six: a snapshot
 * (run, binding, both control sides, an earlier use of the idempotency key), the
 * transition decided here by lib/control/state.ts, then one statement that writes the
 * run's control row only if neither side moved since the snapshot (the agent's row held
 * FOR SHARE, in the lock order the collector uses), appends the event and notifies.
 * Losing that race re-reads and decides again.
 */
export async function issueRunCommand(
  db: Db,
  projectId: string,
  runId: string,
  cmd: ControlCommand,
): Promise<CommandOutcome<RunControlState>> {
  const pool = poolOf(db);
  return retryOnTwin(async () => {
    for (let attempt = 1; ; attempt++) {
      const snap = await readRunSnapshot(pool, projectId, runId, cmd.requestId);
      if (!snap) return { kind: "not_found" };
      if (snap.priorEvent) {
        const prior = await findPrior(db, projectId, cmd, (e) => e.run_id === runId && e.agent_id === null);
        if (prior && "event" in prior) return { kind: "applied", state: snap.state, event: toEvent(prior.event), replayed: true };
        if (prior) return { kind: "refused", message: prior.conflict };
      }
      if (snap.agentId && !snap.agentHasControlRow) {
        // The agent's row is what a concurrent agent command locks: it must exist to be held.
        await pool.query(`INSERT INTO agent_controls (agent_id) VALUES ($1::uuid) ON CONFLICT DO NOTHING`, [snap.agentId]);
        continue;
      }
      const t = runTransition(snap.run?.desired ?? "running", cmd.action);
      if (t.kind === "unchanged") return { kind: "unchanged", state: snap.state };
      if (t.kind === "refused") return t;
      const own = { desired: t.desired, version: (snap.run?.version ?? 0) + 1, reason: cmd.reason, actorLabel: cmd.actor.label };
      const e = effectiveControl(own, snap.agent);
      const event = await writeRunCommand(pool, { projectId, runId, cmd, own, effective: e, snap });
      if (event) {
        const state: RunControlState = {
          ...snap.state,
          desired: e.desired,
          version: e.version,
          reason: e.reason,
          actor: e.actor,
          source: e.source,
          run: { desired: own.desired, version: own.version },
        };
        return { kind: "applied", state, event: toEvent(event), replayed: false };
      }
      // A concurrent command (or a twin with this key) changed either side after the snapshot.
      if (attempt >= 20) throw new Error(`control command on run ${runId}: the state kept changing under it`);
    }
  });
}

type RunSnapshot = {
  state: RunControlState;
  run: ControlSide | null;
  agent: ControlSide | null;
  agentId: string | null;
  agentHasControlRow: boolean;
  priorEvent: boolean;
};

async function readRunSnapshot(
  pool: pg.Pool,
  projectId: string,
  runId: string,
  requestId: string | null,
): Promise<RunSnapshot | null> {
  const { rows } = await pool.query<RunStateRow & { agent_has_row: boolean; prior: boolean }>(RUN_STATE_SQL, [
    projectId,
    runId,
    requestId,
  ]);
  const r = rows[0];
  if (!r) return null;
  const run = side(r.run_desired, r.run_version, r.run_reason, r.run_actor);
  const agent = side(r.agent_desired, r.agent_version, r.agent_reason, r.agent_actor);
  return {
    state: runStateOf(r, run, agent),
    run,
    agent,
    agentId: r.agent_id,
    agentHasControlRow: r.agent_has_row,
    priorEvent: r.prior,
  };
}

/** The conditional write: the event row, or null when the snapshot it was decided on is stale. */
async function writeRunCommand(
  pool: pg.Pool,
  w: {
    projectId: string;
    runId: string;
    cmd: ControlCommand;
    own: ControlSide;
    effective: ReturnType<typeof effectiveControl>;
    snap: RunSnapshot;
  },
): Promise<EventRow | null> {
  const { projectId, runId, cmd, own, effective: e, snap } = w;
  // The state travels in the notification, which Postgres delivers at commit: collectors push it without reading it back.
  const notice = formatControlNotice({
    projectId,
    runId,
    what: "state",
    version: e.version,
    state: { desired: e.desired, version: e.version, reason: e.reason, actor: e.actor, source: e.source },
  });
  const { rows } = await pool.query<EventRow>(
    `WITH a AS (
       SELECT 1 FROM agent_controls WHERE agent_id = $3::uuid AND version = $4 FOR SHARE),
     u AS (
       INSERT INTO run_controls AS rc (project_id, run_id, desired, version, reason, actor_label, agent_id)
       SELECT $1::uuid, $2, $5::"ControlDesired", $6, $7, $8, $3::uuid
       WHERE $3::uuid IS NULL OR EXISTS (SELECT 1 FROM a)
       ON CONFLICT (project_id, run_id) DO UPDATE SET desired = EXCLUDED.desired, version = EXCLUDED.version,
         reason = EXCLUDED.reason, actor_label = EXCLUDED.actor_label, agent_id = COALESCE(rc.agent_id, EXCLUDED.agent_id),
         updated_at = now()
       WHERE rc.version = $9
       RETURNING version),
     e AS (
       INSERT INTO control_events (project_id, run_id, action, desired, version, actor_type, actor_id, actor_label, reason, request_id)
       SELECT $1::uuid, $2, $10::"ControlAction", $11::"ControlDesired", $12, $13::"ActorType", $14, $8, $7, $15
       FROM u RETURNING *),
     n AS (SELECT pg_notify($16, $17) FROM e)
     ${EVENT_COLUMNS_SQL} FROM e CROSS JOIN n`,
    [
      projectId,
      runId,
      snap.agentId,
      snap.agent?.version ?? 0,
      own.desired,
      own.version,
      cmd.reason,
      cmd.actor.label,
      snap.run?.version ?? 0,
      cmd.action,
      e.desired,
      e.version,
      cmd.actor.type,
      cmd.actor.id,
      cmd.requestId,
      CONTROL_CHANNEL,
      notice,
    ],
  );
  return rows[0] ?? null;
}

/**
 * Two requests with the same idempotency key at once may both miss each other's event. For the
 * same command on the same run the second one finds it after waiting for the run's lock; for a
 * key reused on another run or agent its insert fails on the key's unique index, and running it
 * again finds the first one's event (and refuses the reuse).
 */
async function retryOnTwin<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!/control_events_project_id_request_id_key|23505|Unique constraint/i.test(describe(error))) throw error;
    return fn();
  }
}

function describe(error: unknown): string {
  const e = error as { message?: string; code?: string; meta?: unknown; cause?: unknown };
  return [e?.message, e?.code, JSON.stringify(e?.meta ?? null), e?.cause ? describe(e.cause) : ""].join(" ");
}

/**
 * An agent command changes the agent's desired state (which every run bound to the
 * agent obeys, and which new runs of the agent inherit) and records one child event per
 * live run it reaches. A kill is also written into each of those runs, so they stay
 * killed when the agent is resumed later.
 */
export async function issueAgentCommand(
  db: Db,
  projectId: string,
  agentId: string,
  cmd: ControlCommand,
): Promise<CommandOutcome<AgentControlState>> {
  const outcome = await db.$transaction(async (tx): Promise<TxOutcome> => {
    const agent = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM agents WHERE id = ${agentId}::uuid AND project_id = ${projectId}::uuid`;
    if (!agent[0]) return { kind: "not_found" };
    const current = await lockAgent(tx, agentId, "FOR UPDATE");
    const prior = await findPrior(tx, projectId, cmd, (e) => e.agent_id === agentId && e.run_id === null);
    if (prior) return "event" in prior ? { kind: "applied", event: prior.event, replayed: true } : conflict(prior);
    const t = agentTransition(current.desired, cmd.action);
    if (t.kind !== "change") return t.kind === "unchanged" ? { kind: "unchanged" } : t;
    const agentVersion = current.version + 1;
    await tx.$executeRaw`
      UPDATE agent_controls SET desired = ${t.desired}::"ControlDesired", version = ${agentVersion}, reason = ${cmd.reason},
        actor_label = ${cmd.actor.label}, updated_at = now()
      WHERE agent_id = ${agentId}::uuid`;
    const parent = await insertEvent(tx, {
      projectId,
      runId: null,
      agentId,
      parentId: null,
      desired: t.desired,
      version: agentVersion,
      cmd,
    });
    const reached = await reachLiveRuns(tx, projectId, agentId, cmd.action === "kill", cmd);
    for (const r of reached)
      await insertEvent(tx, {
        projectId,
        runId: r.run_id,
        agentId,
        parentId: parent.id,
        desired: mostRestrictive(r.desired, t.desired),
        version: r.version + agentVersion,
        cmd: { ...cmd, requestId: `${cmd.requestId}/run/${r.run_id}` },
      });
    await notify(tx, { projectId, agentId, what: "state", version: agentVersion }); // delivered at commit
    return { kind: "applied", event: parent, replayed: false };
  });
  if (outcome.kind === "not_found" || outcome.kind === "refused") return outcome;
  const state = (await readAgentState(db, projectId, agentId))!;
  if (outcome.kind === "unchanged") return { kind: "unchanged", state };
  const [event] = await readEvents(db, Prisma.sql`e.id = ${BigInt(outcome.event.id)}`);
  return { kind: "applied", state, event: event!, replayed: outcome.replayed };
}

/** Locks an agent's control row, creating it first if the agent never had one (registration usually did). */
async function lockAgent(tx: Tx, agentId: string, mode: "FOR SHARE" | "FOR UPDATE"): Promise<ControlSide> {
  const select = () => tx.$queryRaw<{ desired: ControlDesired; version: number; reason: string; actor_label: string }[]>`
    SELECT desired::text AS desired, version, reason, actor_label FROM agent_controls
    WHERE agent_id = ${agentId}::uuid ${Prisma.raw(mode)}`;
  let rows = await select();
  if (!rows[0]) {
    await tx.$executeRaw`INSERT INTO agent_controls (agent_id) VALUES (${agentId}::uuid) ON CONFLICT DO NOTHING`;
    rows = await select();
  }
  const r = rows[0]!;
  return { desired: r.desired, version: r.version, reason: r.reason, actorLabel: r.actor_label };
}

/**
 * The agent's runs that are live (or have a connected control client), bound to it.
 * They get their binding fixed now; on a kill their own state becomes killed too.
 * Runs already killed on their own are left alone: nothing can reach them any more.
 */
async function reachLiveRuns(
  tx: Tx,
  projectId: string,
  agentId: string,
  kill: boolean,
  cmd: ControlCommand,
): Promise<{ run_id: string; desired: ControlDesired; version: number }[]> {
  const candidates = await tx.$queryRaw<{ id: string }[]>`
    SELECT r.id FROM runs r LEFT JOIN run_controls rc ON rc.project_id = r.project_id AND rc.run_id = r.id
    WHERE r.project_id = ${projectId}::uuid
      AND r.id IN (SELECT id FROM runs WHERE project_id = ${projectId}::uuid AND agent_id = ${agentId}::uuid AND status IN ('live', 'paused')
                   UNION SELECT run_id FROM run_controls WHERE project_id = ${projectId}::uuid AND agent_id = ${agentId}::uuid)
      AND COALESCE(rc.agent_id, r.agent_id) = ${agentId}::uuid
      AND (r.status IN ('live', 'paused') OR rc.client_lease_until > now())
      AND COALESCE(rc.desired, 'running') <> 'killed'
    ORDER BY r.id`;
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.id);
  await tx.$executeRaw`
    INSERT INTO run_controls (project_id, run_id, agent_id) SELECT ${projectId}::uuid, unnest(${ids}::text[]), ${agentId}::uuid
    ON CONFLICT DO NOTHING`;
  const set = kill
    ? Prisma.sql`desired = 'killed', version = version + 1, reason = ${cmd.reason}, actor_label = ${cmd.actor.label},`
    : Prisma.empty;
  return tx.$queryRaw<{ run_id: string; desired: ControlDesired; version: number }[]>`
    UPDATE run_controls SET ${set} agent_id = COALESCE(agent_id, ${agentId}::uuid), updated_at = now()
    WHERE project_id = ${projectId}::uuid AND run_id = ANY(${ids}::text[]) AND desired <> 'killed'
    RETURNING run_id, desired::text AS desired, version`;
}

/** An earlier event with this idempotency key: the same command is replayed, a different one is refused. */
async function findPrior(
  tx: Tx | Db,
  projectId: string,
  cmd: ControlCommand,
  sameTarget: (e: EventRow) => boolean,
): Promise<Prior> {
  const [e] = await tx.$queryRaw<
    EventRow[]
  >`${EVENT_SELECT} WHERE e.project_id = ${projectId}::uuid AND e.request_id = ${cmd.requestId}`;
  return priorOf(e, cmd, sameTarget);
}

function priorOf(e: EventRow | undefined, cmd: ControlCommand, sameTarget: (e: EventRow) => boolean): Prior {
  if (!e) return null;
  if (sameTarget(e) && e.action === cmd.action) return { event: e };
  return { conflict: `The idempotency key "${cmd.requestId}" was already used for a different command.` };
}

const conflict = (p: { conflict: string }): TxOutcome => ({ kind: "refused", message: p.conflict });

async function insertEvent(
  tx: Tx,
  e: {
    projectId: string;
    runId: string | null;
    agentId: string | null;
    parentId: string | null;
    desired: ControlDesired;
    version: number;
    cmd: ControlCommand;
  },
): Promise<EventRow> {
  const [row] = await tx.$queryRaw<EventRow[]>`
    WITH e AS (
      INSERT INTO control_events (project_id, run_id, agent_id, parent_id, action, desired, version, actor_type, actor_id,
                                  actor_label, reason, request_id)
      VALUES (${e.projectId}::uuid, ${e.runId}, ${e.agentId}::uuid, ${e.parentId === null ? null : BigInt(e.parentId)},
              ${e.cmd.action}::"ControlAction", ${e.desired}::"ControlDesired", ${e.version}, ${e.cmd.actor.type}::"ActorType",
              ${e.cmd.actor.id}, ${e.cmd.actor.label}, ${e.cmd.reason}, ${e.cmd.requestId})
      RETURNING *)
    ${EVENT_COLUMNS} FROM e`;
  return row!;
}

async function notify(tx: Tx, notice: ControlNotice): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${CONTROL_CHANNEL}, ${formatControlNotice(notice)})`;
}

// ───────────────────────────── reads ─────────────────────────────

type EventRow = {
  id: string;
  run_id: string | null;
  agent_id: string | null;
  parent_id: string | null;
  action: ControlAction;
  desired: ControlDesired;
  version: number;
  actor_type: ActorType;
  actor_label: string;
  reason: string;
  request_id: string;
  issued_at: Date;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  applied_at: Date | null;
  applied_span_id: string | null;
};
type ReachRow = { reach_runs: number | null; reach_delivered: number | null; reach_applied: number | null };

const EVENT_COLUMNS_SQL = `
  SELECT e.id::text AS id, e.run_id, e.agent_id::text AS agent_id, e.parent_id::text AS parent_id, e.action::text AS action,
         e.desired::text AS desired, e.version, e.actor_type::text AS actor_type, e.actor_label, e.reason, e.request_id,
         e.issued_at, e.delivered_at, e.acknowledged_at, e.applied_at, e.applied_span_id`;
const EVENT_COLUMNS = Prisma.raw(EVENT_COLUMNS_SQL);
const EVENT_SELECT = Prisma.sql`${EVENT_COLUMNS} FROM control_events e`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toEvent(e: EventRow & Partial<ReachRow>): ControlEventView {
  const isAgentEvent = e.run_id === null;
  return {
    id: e.id,
    scope: isAgentEvent || e.parent_id !== null ? "agent" : "run",
    runId: e.run_id,
    agentId: e.agent_id,
    action: e.action,
    desired: e.desired,
    version: e.version,
    actor: { type: e.actor_type, label: e.actor_label },
    reason: e.reason,
    requestId: e.request_id,
    issuedAt: e.issued_at.toISOString(),
    deliveredAt: iso(e.delivered_at),
    acknowledgedAt: iso(e.acknowledged_at),
    appliedAt: iso(e.applied_at),
    appliedSpanId: e.applied_span_id,
    reach: isAgentEvent ? { runs: e.reach_runs ?? 0, delivered: e.reach_delivered ?? 0, applied: e.reach_applied ?? 0 } : null,
  };
}

/** Events, newest first. Agent events take their delivery times from the first run they reached. */
async function readEvents(db: Db, where: Prisma.Sql, limit = 200): Promise<ControlEventView[]> {
  const rows = await db.$queryRaw<(EventRow & ReachRow)[]>`
    SELECT x.id, x.run_id, x.agent_id, x.parent_id, x.action, x.desired, x.version, x.actor_type, x.actor_label, x.reason,
           x.request_id, x.issued_at,
           COALESCE(x.delivered_at, ch.delivered_at) AS delivered_at,
           COALESCE(x.acknowledged_at, ch.acknowledged_at) AS acknowledged_at,
           COALESCE(x.applied_at, ch.applied_at) AS applied_at,
           COALESCE(x.applied_span_id, ch.applied_span_id) AS applied_span_id,
           ch.runs AS reach_runs, ch.delivered AS reach_delivered, ch.applied AS reach_applied
    FROM (${EVENT_SELECT} WHERE ${where} ORDER BY e.id DESC LIMIT ${limit}) x
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS runs, count(c.delivered_at)::int AS delivered, count(c.applied_at)::int AS applied,
             min(c.delivered_at) AS delivered_at, min(c.acknowledged_at) AS acknowledged_at, min(c.applied_at) AS applied_at,
             NULL::text AS applied_span_id
      FROM control_events c WHERE x.run_id IS NULL AND c.parent_id = x.id::bigint) ch ON true
    ORDER BY x.id::bigint DESC`;
  return rows.map(toEvent);
}

type RunStateRow = {
  run_desired: ControlDesired | null;
  run_version: number | null;
  run_reason: string | null;
  run_actor: string | null;
  agent_id: string | null;
  agent_desired: ControlDesired | null;
  agent_version: number | null;
  agent_reason: string | null;
  agent_actor: string | null;
  applied_version: number | null;
  applied_at: Date | null;
  applied_span_id: string | null;
  registered_at: Date | null;
  client_seen_at: Date | null;
  connected: boolean | null;
};

/**
 * A run's control state; $3, an idempotency key, also tells whether an event already used it.
 * Read on the raw pool: it is the first round trip of every command.
 */
const RUN_STATE_SQL = `
  SELECT rc.desired::text AS run_desired, rc.version AS run_version, rc.reason AS run_reason, rc.actor_label AS run_actor,
         COALESCE(rc.agent_id, ru.agent_id)::text AS agent_id, ac.agent_id IS NOT NULL AS agent_has_row,
         ac.desired::text AS agent_desired, ac.version AS agent_version, ac.reason AS agent_reason, ac.actor_label AS agent_actor,
         rc.applied_version, rc.applied_at, rc.applied_span_id, rc.registered_at, rc.client_seen_at,
         rc.client_lease_until > now() AS connected,
         EXISTS (SELECT 1 FROM control_events e WHERE e.project_id = $1::uuid AND e.request_id = $3::text) AS prior
  FROM runs ru
  LEFT JOIN run_controls rc ON rc.project_id = ru.project_id AND rc.run_id = ru.id
  LEFT JOIN agent_controls ac ON ac.agent_id = COALESCE(rc.agent_id, ru.agent_id)
  WHERE ru.project_id = $1::uuid AND ru.id = $2`;

async function readRunState(db: Db, projectId: string, runId: string): Promise<RunControlState | null> {
  return (await readRunSnapshot(poolOf(db), projectId, runId, null))?.state ?? null;
}

function runStateOf(r: RunStateRow, run: ControlSide | null, agent: ControlSide | null): RunControlState {
  const e = effectiveControl(run, agent);
  return {
    desired: e.desired,
    version: e.version,
    reason: e.reason,
    actor: e.actor,
    source: e.source,
    run: { desired: run?.desired ?? "running", version: run?.version ?? 0 },
    agent: r.agent_id ? { id: r.agent_id, desired: agent?.desired ?? "running", version: agent?.version ?? 0 } : null,
    appliedVersion: r.applied_version ?? 0,
    appliedAt: iso(r.applied_at),
    appliedSpanId: r.applied_span_id,
    client: { connected: r.connected === true, lastSeenAt: iso(r.client_seen_at), registeredAt: iso(r.registered_at) },
  };
}

const side = (desired: ControlDesired | null, version: number | null, reason: string | null, actor: string | null) =>
  desired === null ? null : ({ desired, version: version ?? 0, reason: reason ?? "", actorLabel: actor ?? "" } as ControlSide);

async function readAgentState(db: Db, projectId: string, agentId: string): Promise<AgentControlState | null> {
  const [a] = await db.$queryRaw<
    {
      service_name: string;
      instance_id: string;
      desired: ControlDesired | null;
      version: number | null;
      reason: string | null;
      actor_label: string | null;
      live_runs: number;
      connected: number;
    }[]
  >`
    SELECT a.service_name, a.instance_id, ac.desired::text AS desired, ac.version, ac.reason, ac.actor_label,
      (SELECT count(*)::int FROM runs r LEFT JOIN run_controls rc ON rc.project_id = r.project_id AND rc.run_id = r.id
       WHERE r.project_id = a.project_id AND r.agent_id = a.id AND r.status IN ('live', 'paused')) AS live_runs,
      (SELECT count(*)::int FROM run_controls rc
       WHERE rc.project_id = a.project_id AND rc.agent_id = a.id AND rc.client_lease_until > now()) AS connected
    FROM agents a LEFT JOIN agent_controls ac ON ac.agent_id = a.id
    WHERE a.id = ${agentId}::uuid AND a.project_id = ${projectId}::uuid`;
  if (!a) return null;
  return {
    agentId,
    serviceName: a.service_name,
    instanceId: a.instance_id,
    desired: a.desired ?? "running",
    version: a.version ?? 0,
    reason: a.reason ?? "",
    actor: a.actor_label ?? "",
    liveRuns: a.live_runs,
    connectedClients: a.connected,
  };
}

/** GET /api/v1/runs/{runId}/control: null when the run does not exist in the project. */
export async function getRunControl(db: Db, projectId: string, runId: string): Promise<RunControl | null> {
  const state = await readRunState(db, projectId, runId);
  if (!state) return null;
  const history = await readEvents(db, Prisma.sql`e.project_id = ${projectId}::uuid AND e.run_id = ${runId}`);
  return { state, history };
}

/** GET /api/v1/agents/{agentId}/control: the agent's commands (not the per-run copies). */
export async function getAgentControl(db: Db, projectId: string, agentId: string): Promise<AgentControl | null> {
  const state = await readAgentState(db, projectId, agentId);
  if (!state) return null;
  const history = await readEvents(
    db,
    Prisma.sql`e.project_id = ${projectId}::uuid AND e.agent_id = ${agentId}::uuid AND e.run_id IS NULL`,
  );
  return { state, history };
}
