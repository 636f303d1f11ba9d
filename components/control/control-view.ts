import type { ControlEventView, RunControlState } from "@/lib/api/control-schemas";
import type { ControlAction, ControlDesired } from "@/lib/control/state";

/**
 * What the control views show, derived from the control API's state and history:
 * where a command is (requested → delivered → applied), which buttons a person may
 * press and why not, and which steps the timeline marks. Pure, so it is unit-tested.
 */

export const PAST: Record<ControlAction, string> = { kill: "killed", pause: "paused", resume: "resumed" };
export const VERB: Record<ControlAction, string> = { kill: "Kill", pause: "Pause", resume: "Resume" };

export type CommandStatus = "requested" | "delivered" | "received" | "applied" | "superseded";
export type Stage = { key: "requested" | "delivered" | "applied"; label: string; at: string | null };

/**
 * Where one command stands. Only the newest command a client acted on is marked applied
 * (the agent converges on the latest state), so an older one that never was is superseded.
 */
export function commandStatus(event: ControlEventView, history: readonly ControlEventView[]): CommandStatus {
  if (event.appliedAt) return "applied";
  if (history.some((e) => e.version > event.version)) return "superseded";
  if (event.acknowledgedAt) return "received";
  return event.deliveredAt ? "delivered" : "requested";
}

/** The three stages of a command, with the time each was reached (null: not yet). */
export function commandStages(event: ControlEventView): Stage[] {
  return [
    { key: "requested", label: "Requested", at: event.issuedAt },
    { key: "delivered", label: event.acknowledgedAt ? "Delivered, acknowledged" : "Delivered", at: event.deliveredAt },
    { key: "applied", label: "Applied", at: event.appliedAt },
  ];
}

/** "+8 ms", "+1.2 s" after `from`; "" when either is missing. */
export function elapsed(from: string | null, to: string | null): string {
  if (!from || !to) return "";
  const ms = Math.max(0, Date.parse(to) - Date.parse(from));
  if (ms < 1000) return `+${ms} ms`;
  return ms < 60_000 ? `+${(ms / 1000).toFixed(1)} s` : `+${Math.round(ms / 1000)} s`;
}

/** What the waiting command is waiting for, in words (null once applied or superseded). */
export function waitingFor(status: CommandStatus, action: ControlAction, connected: boolean): string | null {
  if (status === "applied" || status === "superseded") return null;
  if (!connected) return "No control client is connected: it is delivered when the agent connects again.";
  if (status === "received" && action === "pause") return "Received: the agent pauses at its next checkpoint.";
  return status === "requested" ? "Waiting for delivery to the agent." : "Waiting for the agent to apply it.";
}

/** Who may press the buttons: null while the role is not known yet. */
export type Operator = { canOperate: boolean | null; role: string | null };

export type CommandButton = { action: ControlAction; disabledReason: string | null };
export type RunButtons = { toggle: CommandButton; kill: CommandButton };

/**
 * Pause or Resume (whichever the run's own state allows) and Kill, each with the reason it
 * cannot be pressed. Commands only help while a control client listens, so without one the
 * buttons are off rather than queueing a command nobody may ever receive.
 */
export function runButtons(state: RunControlState, who: Operator): RunButtons {
  const toggleAction: ControlAction = state.run.desired === "paused" ? "resume" : "pause";
  const common = commonReason(who) ?? killedReason(state.desired) ?? clientReason(state.client.connected);
  const pausedByAgent =
    toggleAction === "pause" && state.desired === "paused" && state.source === "agent"
      ? "Paused through its agent: resume the agent to let this run continue."
      : null;
  return {
    toggle: { action: toggleAction, disabledReason: common ?? pausedByAgent },
    kill: { action: "kill", disabledReason: common },
  };
}

function commonReason(who: Operator): string | null {
  if (who.canOperate === null) return "Checking your role…";
  if (!who.canOperate)
    return `Kill, pause and resume need the operator role${who.role ? ` (you are ${article(who.role)})` : ""}.`;
  return null;
}

const killedReason = (desired: ControlDesired) => (desired === "killed" ? "The run was killed; a kill cannot be undone." : null);

const clientReason = (connected: boolean) =>
  connected ? null : "No control client of this run is connected, so the agent cannot receive commands.";

const article = (role: string) => `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`;

/** The agent's buttons: Pause or Resume (a killed agent is resumed, not paused) and Kill. */
export function agentButtons(desired: ControlDesired, who: Operator): RunButtons {
  const common = commonReason(who);
  const toggleAction: ControlAction = desired === "running" ? "pause" : "resume";
  const kill = common ?? (desired === "killed" ? "The agent is killed; resume it to accept new runs again." : null);
  return { toggle: { action: toggleAction, disabledReason: common }, kill: { action: "kill", disabledReason: kill } };
}

/**
 * Timeline marks: the steps where commands took effect, labelled "killed", "paused",
 * "resumed" (several commands at one step share its mark, in the order they were applied).
 */
export function controlMarks(state: RunControlState | undefined, history: readonly ControlEventView[]): Map<string, string> {
  const labels = new Map<string, string[]>();
  const add = (spanId: string, label: string) => {
    const l = labels.get(spanId) ?? [];
    if (!l.includes(label)) l.push(label);
    labels.set(spanId, l);
  };
  const applied = history.filter((e) => e.appliedSpanId && e.appliedAt).sort((a, b) => a.version - b.version);
  for (const e of applied) add(e.appliedSpanId!, PAST[e.action]);
  if (state?.appliedSpanId && !labels.has(state.appliedSpanId) && state.appliedVersion === state.version)
    add(state.appliedSpanId, PAST[actionOf(state.desired)]);
  return new Map([...labels].map(([id, l]) => [id, l.join(", ")]));
}

const actionOf = (d: ControlDesired): ControlAction => (d === "killed" ? "kill" : d === "paused" ? "pause" : "resume");

/** The command the run's bar follows: the newest one in its history. */
export function latestCommand(history: readonly ControlEventView[]): ControlEventView | null {
  return history.reduce<ControlEventView | null>((best, e) => (!best || e.version > best.version ? e : best), null);
}

/** A run worth watching closely: it may still change state (polling fallback when live events are down). */
export function controlMayChange(state: RunControlState | undefined, runStatus: string): boolean {
  if (!state) return runStatus === "live" || runStatus === "paused";
  if (state.client.connected || runStatus === "live" || runStatus === "paused") return true;
  return state.version > state.appliedVersion && state.desired !== "killed";
}
