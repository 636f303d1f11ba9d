import { z } from "zod";
import { ACTOR_TYPES, CONTROL_ACTIONS, CONTROL_DESIRED, MAX_REASON_LENGTH } from "@/lib/control/state";

/**
 * Live control over the REST API (web app), shared by the route handlers, the UI and tests:
 *   POST /api/v1/runs/{runId}/control     { action, reason?, requestId? } -> 202 RunControlCommandResult
 *   GET  /api/v1/runs/{runId}/control     -> RunControl (state + history)
 *   POST /api/v1/agents/{agentId}/control { action, reason?, requestId? } -> 202 AgentControlCommandResult
 *   GET  /api/v1/agents/{agentId}/control -> AgentControl
 * The idempotency key comes from the `Idempotency-Key` header, else `requestId`.
 * A command that asks for the state already in force answers 200 with `event: null`.
 */
export const controlDesired = z.enum(CONTROL_DESIRED);
export const controlAction = z.enum(CONTROL_ACTIONS);

export const controlCommandBody = z
  .object({
    action: controlAction,
    reason: z.string().max(MAX_REASON_LENGTH).optional(),
    requestId: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ControlCommandBody = z.infer<typeof controlCommandBody>;

export const controlEvent = z.object({
  id: z.string(),
  /** "run": issued on this run; "agent": an agent command (on a run's history: the agent command that reached it). */
  scope: z.enum(["run", "agent"]),
  runId: z.string().nullable(),
  agentId: z.string().nullable(),
  action: controlAction,
  /** The state the command set: the run's effective state for run events, the agent's for agent events. */
  desired: controlDesired,
  version: z.number(),
  actor: z.object({ type: z.enum(ACTOR_TYPES), label: z.string() }),
  reason: z.string(),
  requestId: z.string(),
  issuedAt: z.string(),
  deliveredAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
  /** The span (step) that was active where the agent applied it. */
  appliedSpanId: z.string().nullable(),
  /** Agent events only: how many runs it reached, and of those how many had it delivered and applied. */
  reach: z.object({ runs: z.number(), delivered: z.number(), applied: z.number() }).nullable(),
});
export type ControlEventView = z.infer<typeof controlEvent>;

export const controlClient = z.object({
  /** A control client of the run holds a stream (or polls) right now. */
  connected: z.boolean(),
  lastSeenAt: z.string().nullable(),
  registeredAt: z.string().nullable(),
});

export const runControlState = z.object({
  /** What the agent must do: the more restrictive of the run's and its agent's desired state. */
  desired: controlDesired,
  version: z.number(),
  reason: z.string(),
  actor: z.string(),
  source: z.enum(["run", "agent", "none"]),
  run: z.object({ desired: controlDesired, version: z.number() }),
  agent: z.object({ id: z.string(), desired: controlDesired, version: z.number() }).nullable(),
  /** The latest version the agent reported as applied (0: none yet). */
  appliedVersion: z.number(),
  appliedAt: z.string().nullable(),
  appliedSpanId: z.string().nullable(),
  client: controlClient,
});
export type RunControlState = z.infer<typeof runControlState>;

export const runControl = z.object({ state: runControlState, history: z.array(controlEvent) });
export type RunControl = z.infer<typeof runControl>;

export const runControlCommandResult = z.object({
  state: runControlState,
  event: controlEvent.nullable(),
  /** True when this is a repeat of an earlier request with the same idempotency key. */
  replayed: z.boolean(),
});
export type RunControlCommandResult = z.infer<typeof runControlCommandResult>;

export const agentControlState = z.object({
  agentId: z.string(),
  serviceName: z.string(),
  instanceId: z.string(),
  desired: controlDesired,
  version: z.number(),
  reason: z.string(),
  actor: z.string(),
  /** Runs of the agent that are live or paused. */
  liveRuns: z.number(),
  /** Runs of the agent whose control client is connected. */
  connectedClients: z.number(),
});
export type AgentControlState = z.infer<typeof agentControlState>;

export const agentControl = z.object({ state: agentControlState, history: z.array(controlEvent) });
export type AgentControl = z.infer<typeof agentControl>;

export const agentControlCommandResult = z.object({
  state: agentControlState,
  event: controlEvent.nullable(),
  replayed: z.boolean(),
});
export type AgentControlCommandResult = z.infer<typeof agentControlCommandResult>;

/** The idempotency key of a command: the `Idempotency-Key` header, else the body's requestId, else none (a fresh one). */
export function commandRequestId(header: string | null, body: ControlCommandBody, fresh: () => string): string {
  const key = header?.trim();
  if (key) return key.slice(0, 200);
  return body.requestId ?? fresh();
}
