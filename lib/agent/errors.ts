/**
 * Thrown by `checkpoint()` (and the reason of `signal`) once an operator killed the run.
 * Catch it at the top of the agent to exit cleanly; do not retry the run.
 */
export class RunKilledError extends Error {
  override name = "RunKilledError";
  readonly runId: string;
  readonly reason: string;
  readonly actor: string;
  readonly version: number;

  constructor(info: { runId: string; reason: string; actor: string; version: number }) {
    super(`Run ${info.runId} was killed${info.actor ? ` by ${info.actor}` : ""}${info.reason ? `: ${info.reason}` : ""}`);
    this.runId = info.runId;
    this.reason = info.reason;
    this.actor = info.actor;
    this.version = info.version;
  }
}

/** Thrown by `checkpoint()` in fail-closed mode (`failClosed.action: "throw"`) while Causeway is unreachable. */
export class ControlUnavailableError extends Error {
  override name = "ControlUnavailableError";
}

/**
 * True when `error` is, or was caused by, a RunKilledError: frameworks often wrap the
 * abort reason of a cancelled model or tool call in their own error.
 */
export function isRunKilled(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; depth++) {
    if (typeof e === "object" && (e as { name?: unknown }).name === "RunKilledError") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
