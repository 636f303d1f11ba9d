/**
 * Control state rules, shared by the web API (commands), the collector (delivery)
 * and tests. A run and an agent each have a desired state and a version that grows
 * by one with every change; what a run's control client must obey is the effective
 * state: the more restrictive of the two, at version run.version + agent.version.
 * Both parts only grow, so the sum does too and a level-triggered client that keeps
 * the highest version it has seen converges on the latest command.
 */
export const CONTROL_DESIRED = ["running", "paused", "killed"] as const;
export type ControlDesired = (typeof CONTROL_DESIRED)[number];
export const CONTROL_ACTIONS = ["kill", "pause", "resume"] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];
export const ACTOR_TYPES = ["user", "api_key", "admin_token", "policy", "agent"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const MAX_REASON_LENGTH = 1000;

const RANK: Record<ControlDesired, number> = { running: 0, paused: 1, killed: 2 };
const TARGET: Record<ControlAction, ControlDesired> = { kill: "killed", pause: "paused", resume: "running" };

export function mostRestrictive(a: ControlDesired, b: ControlDesired): ControlDesired {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The action that leads to a desired state (used to name what a client applied). */
export function actionFor(desired: ControlDesired): ControlAction {
  return desired === "killed" ? "kill" : desired === "paused" ? "pause" : "resume";
}

export type Transition =
  | { kind: "change"; desired: ControlDesired }
  /** Already there: nothing to deliver, so no event is recorded. */
  | { kind: "unchanged"; desired: ControlDesired }
  | { kind: "refused"; message: string };

/**
 * A run: pause and resume go back and forth; a kill is final, because the agent has
 * already been told to abandon its work (and its client refuses to un-kill itself).
 */
export function runTransition(current: ControlDesired, action: ControlAction): Transition {
  const target = TARGET[action];
  if (current === target) return { kind: "unchanged", desired: current };
  if (current === "killed")
    return { kind: "refused", message: `The run was killed; a kill cannot be undone, so it cannot be ${pastTense(action)}.` };
  return { kind: "change", desired: target };
}

/**
 * An agent: a kill kills every live run of the agent (each run keeps that kill) and
 * refuses new runs until the agent is resumed; resuming lifts the refusal only. A killed
 * agent cannot be merely paused: resume it first, so nobody pauses it by mistake while
 * believing it was running.
 */
export function agentTransition(current: ControlDesired, action: ControlAction): Transition {
  const target = TARGET[action];
  if (current === target) return { kind: "unchanged", desired: current };
  if (current === "killed" && action === "pause")
    return { kind: "refused", message: "The agent is killed (new runs are refused); resume it before pausing it." };
  return { kind: "change", desired: target };
}

/** A kill of an agent is also written to each of its live runs, so it outlives a later resume of the agent. */
export function agentActionKillsRuns(action: ControlAction): boolean {
  return action === "kill";
}

const pastTense = (a: ControlAction) => (a === "kill" ? "killed" : a === "pause" ? "paused" : "resumed");

/** Checks a command's reason: a kill must say why (it is final and others will ask). */
export function reasonProblem(action: ControlAction, reason: string | undefined): string | null {
  const r = (reason ?? "").trim();
  if (action === "kill" && r === "") return "A kill needs a reason: say why the run must stop.";
  if (r.length > MAX_REASON_LENGTH) return `The reason is longer than ${MAX_REASON_LENGTH} characters.`;
  return null;
}

export type ControlSide = { desired: ControlDesired; version: number; reason: string; actorLabel: string };

export type EffectiveControl = {
  desired: ControlDesired;
  version: number;
  reason: string;
  actor: string;
  /** Which side decided the desired state ("none": no command was ever given). */
  source: "run" | "agent" | "none";
};

export const NO_CONTROL: ControlSide = { desired: "running", version: 0, reason: "", actorLabel: "" };

export function effectiveControl(run: ControlSide | null, agent: ControlSide | null): EffectiveControl {
  const r = run ?? NO_CONTROL;
  const a = agent ?? NO_CONTROL;
  const desired = mostRestrictive(r.desired, a.desired);
  const version = r.version + a.version;
  // The side that imposes the state explains it; when both agree the run's own command is the closer one.
  const side: "run" | "agent" | "none" =
    version === 0 ? "none" : r.desired === desired && (r.version > 0 || a.version === 0) ? "run" : "agent";
  const from = side === "agent" ? a : r;
  return { desired, version, reason: from.reason, actor: from.actorLabel, source: side };
}

/** Run ids are 32-hex trace ids; accepted in any case, stored lower-case. */
export function normalizeRunId(value: string): string | null {
  const id = value.trim().toLowerCase();
  return /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id) ? id : null;
}

/** Span ids are 16 hex characters; anything else is dropped rather than stored. */
export function normalizeSpanId(value: string | undefined | null): string | null {
  const id = (value ?? "").trim().toLowerCase();
  return /^[0-9a-f]{16}$/.test(id) && !/^0+$/.test(id) ? id : null;
}
