/**
 * Wire types of the agent channel, as the client sees them. The collector's zod
 * schemas (lib/control/wire.ts) are checked against these at compile time, so the
 * client can stay free of any server code or validation library.
 */
export type ControlDesired = "running" | "paused" | "killed";

export type ChannelState = {
  runId: string;
  desired: ControlDesired;
  /** Grows with every command that concerns the run (its own or its agent's). */
  version: number;
  reason: string;
  /** Who gave the command in force ("" when none was given). */
  actor: string;
  /** Whether the run's own command or its agent's decided the state. */
  source: "run" | "agent" | "none";
};

export type ChannelRegistered = { state: ChannelState; heartbeatMs: number };
export type ChannelPolled = { state: ChannelState; changed: boolean };
export type AckBody = { version: number; applied: boolean; spanId?: string };
export type RegisterBody = { serviceName?: string; instanceId?: string };
