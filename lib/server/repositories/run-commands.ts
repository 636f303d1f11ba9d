import type pg from "pg";
import { CONTROL_CHANNEL, formatControlNotice } from "@/lib/control/channel";
import { controlSides, type ControlSidesRow } from "@/lib/control/sides";
import {
  effectiveControl,
  runTransition,
  type ActorType,
  type ControlAction,
  type ControlDesired,
  type ControlSide,
} from "@/lib/control/state";
import type { ControlEventView, RunControlState } from "@/lib/api/control-schemas";

/**
 * Run commands (kill, pause, resume one run), from the browser or from a runtime policy in the
 * collector, and what control.ts (agent commands, control state) shares with them. Plain `pg`,
 * no Prisma: the collector runs this code and does not load Prisma at all.
 */
export type ControlActor = { type: ActorType; id: string | null; label: string };
export type ControlCommand = { action: ControlAction; reason: string; requestId: string; actor: ControlActor };

export type CommandOutcome<S> =
  | { kind: "applied"; state: S; event: ControlEventView; replayed: boolean }
  | { kind: "unchanged"; state: S }
  | { kind: "refused"; message: string }
  | { kind: "not_found" };

export type Prior = { event: EventRow } | { conflict: string } | null;

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
  pool: pg.Pool,
  projectId: string,
  runId: string,
  cmd: ControlCommand,
): Promise<CommandOutcome<RunControlState>> {
  return retryOnTwin(async () => {
    for (let attempt = 1; ; attempt++) {
      const snap = await readRunSnapshot(pool, projectId, runId, cmd.requestId);
      if (!snap) return { kind: "not_found" };
      if (snap.priorEvent) {
        const { rows } = await pool.query<EventRow>(
          `${EVENT_COLUMNS_SQL} FROM control_events e WHERE e.project_id = $1::uuid AND e.request_id = $2`,
          [projectId, cmd.requestId],
        );
        const prior = priorOf(rows[0], cmd, (e) => e.run_id === runId && e.agent_id === null);
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

export async function readRunSnapshot(
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
  const { run, agent } = controlSides(r);
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

export function priorOf(e: EventRow | undefined, cmd: ControlCommand, sameTarget: (e: EventRow) => boolean): Prior {
  if (!e) return null;
  if (sameTarget(e) && e.action === cmd.action) return { event: e };
  return { conflict: `The idempotency key "${cmd.requestId}" was already used for a different command.` };
}

export type EventRow = {
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
export type ReachRow = { reach_runs: number | null; reach_delivered: number | null; reach_applied: number | null };

export const EVENT_COLUMNS_SQL = `
  SELECT e.id::text AS id, e.run_id, e.agent_id::text AS agent_id, e.parent_id::text AS parent_id, e.action::text AS action,
         e.desired::text AS desired, e.version, e.actor_type::text AS actor_type, e.actor_label, e.reason, e.request_id,
         e.issued_at, e.delivered_at, e.acknowledged_at, e.applied_at, e.applied_span_id`;
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toEvent(e: EventRow & Partial<ReachRow>): ControlEventView {
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

type RunStateRow = ControlSidesRow & {
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
