import { CONTROL_DESIRED, type ControlDesired, type EffectiveControl } from "@/lib/control/state";

/**
 * `causeway_control`: sent after a control change is committed, so every collector
 * replica re-reads the state of the runs it streams to and every web process can
 * refresh its control views. The payload names what changed; receivers re-read the
 * database, which stays the single source of truth (a lost or reordered notification
 * costs a re-read, never a wrong state). A run command also carries the run's new
 * state, so collectors can push it at once, without a read on the critical path.
 *
 * `what`: "state" (a command changed a desired state: collectors push it to agents),
 * "delivery" (a command was delivered, acknowledged or applied) or "presence" (a
 * control client connected or left) — the last two only matter to views.
 */
export const CONTROL_CHANNEL = "causeway_control";
/** Postgres refuses payloads of 8000 bytes and more; a notice that would not fit goes without its state. */
const MAX_PAYLOAD = 7000;

export const NOTICE_KINDS = ["state", "delivery", "presence"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * A run's new effective state, when the sender knows it for certain (a run command computes it under
 * the locks of both the run and its agent): collectors then push it without reading it back first.
 */
export type NoticeState = {
  desired: ControlDesired;
  version: number;
  reason: string;
  actor: string;
  source: EffectiveControl["source"];
};

export type ControlNotice = { projectId: string; what: NoticeKind; version?: number } & (
  { runId: string; agentId?: undefined; state?: NoticeState } | { agentId: string; runId?: undefined; state?: undefined }
);

export function formatControlNotice(n: ControlNotice): string {
  const base = {
    p: n.projectId,
    ...(n.runId !== undefined ? { r: n.runId } : { a: n.agentId }),
    w: n.what,
    ...(n.version !== undefined ? { v: n.version } : {}),
  };
  const full = n.state ? JSON.stringify({ ...base, s: n.state }) : "";
  return full && new TextEncoder().encode(full).length <= MAX_PAYLOAD ? full : JSON.stringify(base);
}

/** Tolerant: anything malformed yields null (the receiver then simply re-reads everything it watches). */
export function parseControlNotice(payload: string): ControlNotice | null {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.p !== "string" || !o.p) return null;
  const what = NOTICE_KINDS.includes(o.w as NoticeKind) ? (o.w as NoticeKind) : "state";
  const version = typeof o.v === "number" && Number.isInteger(o.v) ? { version: o.v } : {};
  if (typeof o.r === "string" && o.r) {
    const state = parseNoticeState(o.s);
    return { projectId: o.p, runId: o.r, what, ...version, ...(state ? { state } : {}) };
  }
  if (typeof o.a === "string" && o.a) return { projectId: o.p, agentId: o.a, what, ...version };
  return null;
}

function parseNoticeState(v: unknown): NoticeState | null {
  if (typeof v !== "object" || v === null) return null;
  const s = v as Record<string, unknown>;
  if (!CONTROL_DESIRED.includes(s.desired as ControlDesired)) return null;
  if (typeof s.version !== "number" || !Number.isInteger(s.version) || s.version < 0) return null;
  if (typeof s.reason !== "string" || typeof s.actor !== "string") return null;
  if (s.source !== "run" && s.source !== "agent" && s.source !== "none") return null;
  return { desired: s.desired as ControlDesired, version: s.version, reason: s.reason, actor: s.actor, source: s.source };
}
