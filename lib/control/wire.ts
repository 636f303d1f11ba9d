import { z } from "zod";
import { CONTROL_DESIRED } from "@/lib/control/state";
import type * as AgentWire from "@/lib/agent/types";

/**
 * The agent channel served by the collector (collector/control) and spoken by the
 * agent-side client (lib/agent, which imports these types only, never zod):
 *
 *   POST /v1/control/runs/{runId}/register  { serviceName?, instanceId? } -> ChannelRegistered
 *   GET  /v1/control/runs/{runId}/stream    text/event-stream of `event: state` (id = version)
 *   GET  /v1/control/runs/{runId}/poll?after=<version>&timeout=<seconds> -> ChannelPolled
 *   POST /v1/control/runs/{runId}/ack       { version, applied, spanId? } -> { ok: true }
 */
export const CONTROL_PATH_PREFIX = "/v1/control/runs/";
export const CHANNEL_VERBS = ["register", "stream", "poll", "ack"] as const;
export type ChannelVerb = (typeof CHANNEL_VERBS)[number];
/** A long poll waits at most this long, below common proxy idle timeouts (60 s). */
export const MAX_POLL_SECONDS = 30;

export const channelState = z.object({
  runId: z.string(),
  desired: z.enum(CONTROL_DESIRED),
  version: z.number().int().min(0),
  reason: z.string(),
  actor: z.string(),
  source: z.enum(["run", "agent", "none"]),
});
export type ChannelState = z.infer<typeof channelState>;

export const registerBody = z
  .object({
    serviceName: z.string().trim().min(1).max(256).optional(),
    instanceId: z.string().trim().max(256).optional(),
  })
  .strict();
export type RegisterBody = z.infer<typeof registerBody>;

export const channelRegistered = z.object({
  state: channelState,
  /** The stream sends a comment at least this often; a client hearing nothing for ~3x this reconnects. */
  heartbeatMs: z.number().int().positive(),
});
export type ChannelRegistered = z.infer<typeof channelRegistered>;

export const pollQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  timeout: z.coerce.number().min(0).max(MAX_POLL_SECONDS).default(25),
});

export const channelPolled = z.object({ state: channelState, changed: z.boolean() });
export type ChannelPolled = z.infer<typeof channelPolled>;

export const ackBody = z
  .object({
    version: z.number().int().min(0),
    /** false: received; true: the client acted on it (checkpoint threw or waits, signal fired, resumed). */
    applied: z.boolean(),
    /** The span that was active where the state took effect (16 hex). */
    spanId: z.string().max(64).optional(),
  })
  .strict();
export type AckBody = z.infer<typeof ackBody>;

/** Splits `/v1/control/runs/{runId}/{verb}`; anything else is null. */
export function parseChannelPath(path: string): { runId: string; verb: ChannelVerb } | null {
  if (!path.startsWith(CONTROL_PATH_PREFIX)) return null;
  const [runId, verb, ...rest] = path.slice(CONTROL_PATH_PREFIX.length).split("/");
  if (!runId || rest.length > 0 || !CHANNEL_VERBS.includes(verb as ChannelVerb)) return null;
  return { runId, verb: verb as ChannelVerb };
}

// The agent client declares the same shapes without zod (lib/agent/types.ts); keep them in step.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const WIRE_TYPES_MATCH: [
  Same<ChannelState, AgentWire.ChannelState>,
  Same<ChannelRegistered, AgentWire.ChannelRegistered>,
  Same<ChannelPolled, AgentWire.ChannelPolled>,
  Same<AckBody, AgentWire.AckBody>,
  Same<z.input<typeof registerBody>, AgentWire.RegisterBody>,
] = [true, true, true, true, true];
