/**
 * Reconnect delays: exponential growth capped at `maxMs`, with "equal jitter" (half
 * fixed, half random), so a collector restart is not met by every agent at the same
 * instant, while no retry comes sooner than half the nominal delay.
 */
export type BackoffOptions = { baseMs: number; maxMs: number };
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, maxMs: 10_000 };

export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const nominal = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}
