/** Per-item rejection bookkeeping shared by the decoders (reported via OTLP partial_success). */

/** At most this many distinct reasons are kept: the error_message is for a human, not a log. */
export const MAX_REJECT_REASONS = 5;

type Rejections = { rejected: number; rejectReasons: string[] };

/** Counts one rejected item and keeps its reason while there is room. */
export function reject(out: Rejections, reason: string): void {
  out.rejected++;
  addReason(out, reason);
}

/** True while another reason would still be kept: callers can skip wording the rest. */
export function wantsReasons(out: Rejections, pending = 0): boolean {
  return out.rejectReasons.length + pending < MAX_REJECT_REASONS;
}

export function addReason(out: Rejections, reason: string): void {
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
