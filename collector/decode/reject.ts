/** Per-item rejection bookkeeping shared by the decoders (reported via OTLP partial_success). */

/** At most this many distinct reasons are kept: the error_message is for a human, not a log. */
export const MAX_REJECT_REASONS = 5;

export function reject(out: { rejected: number; rejectReasons: string[] }, reason: string): void {
  out.rejected++;
  if (out.rejectReasons.length < MAX_REJECT_REASONS && !out.rejectReasons.includes(reason)) {
    out.rejectReasons.push(reason);
  }
}

/** Sets an attribute, keeping a "__proto__" key as an own property instead of a prototype change. */
export function setAttr<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}
