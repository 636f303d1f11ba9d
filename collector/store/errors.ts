/**
 * The two kinds of ingest failure (as in the OpenTelemetry Collector's consumererror):
 * retryable ones (database unreachable, overloaded) become 429/503 + Retry-After, so
 * exporters retry; anything else is permanent and must not be retried forever.
 */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly status: 429 | 503,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}

const RETRYABLE_SQLSTATE = /^(08|53|57P0[1-3]|40001|40P01)/;
const RETRYABLE_NODE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN"]);

/** True when retrying the same write later can succeed (the database, not the data, was the problem). */
export function isTransientDbError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && (RETRYABLE_SQLSTATE.test(e.code) || RETRYABLE_NODE.has(e.code))) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|server closed the connection/i.test(
    e.message ?? "",
  );
}
