import { Prisma } from "@/lib/generated/prisma/client";
import { poolOf, type Db } from "@/lib/server/db/prisma";
import type { Principal } from "@/lib/auth/access";
import { CONTROL_CHANNEL, formatControlNotice, type ControlNotice } from "@/lib/control/channel";
import { agentTransition, mostRestrictive, type ControlDesired, type ControlSide } from "@/lib/control/state";
import type { AgentControl, AgentControlState, ControlEventView, RunControl, RunControlState } from "@/lib/api/control-schemas";
import {
  EVENT_COLUMNS_SQL,
  priorOf,
  readRunSnapshot,
  toEvent,
  type CommandOutcome,
  type ControlActor,
  type ControlCommand,
  type EventRow,
  type Prior,
  type ReachRow,
} from "@/lib/server/repositories/run-commands";

/**
 * Agent commands and control state for the web app (run commands: run-commands.ts). An
 * agent command locks the agent's control row before its runs' rows (the order the
 * collector uses too), checks the idempotency key under that lock (so a concurrent twin
 * has either committed or not started), applies the transition rules of
 * lib/control/state.ts, appends control events and commits; then `causeway_control`
 * tells every collector.
 */
type Tx = Prisma.TransactionClient;

/** Who issued a command, as the history shows it. */
export async function controlActorOf(db: Db, p: Principal): Promise<ControlActor> {
  if (p.kind === "user") return { type: "user", id: p.userId, label: p.name ? `${p.name} (${p.email})` : p.email };
  if (p.kind === "admin_token") return { type: "admin_token", id: null, label: "admin token" };
  const key = await db.apiKey.findUnique({ where: { id: p.keyId }, select: { name: true } });
  return { type: "api_key", id: p.keyId, label: `API key "${key?.name ?? "?"}" (${p.label}…)` };
}

// ───────────────────────────── commands ─────────────────────────────

type TxOutcome =
  | { kind: "applied"; event: EventRow; replayed: boolean }
  | { kind: "unchanged" }
  | { kind: "refused"; message: string }
  | { kind: "not_found" };

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
    WHERE project_id = ${projectId}::uuid AND run_id = ANY(${ids}::bpchar[]) AND desired <> 'killed'
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

const EVENT_COLUMNS = Prisma.raw(EVENT_COLUMNS_SQL);
const EVENT_SELECT = Prisma.sql`${EVENT_COLUMNS} FROM control_events e`;

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

async function readRunState(db: Db, projectId: string, runId: string): Promise<RunControlState | null> {
  return (await readRunSnapshot(poolOf(db), projectId, runId, null))?.state ?? null;
}

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
