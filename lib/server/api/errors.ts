import { z } from "zod";

/** Every error the REST API returns, mapped to HTTP in this one table. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError)
    return json({ error: { code: error.code, message: error.message } }, ERROR_STATUS[error.code], error.headers);
  if (error instanceof z.ZodError) return json({ error: { code: "bad_request", message: describeZodError(error) } }, 400);
  console.error("[web] unhandled API error", error);
  return json({ error: { code: "internal", message: "Internal error" } }, 500);
}

/** "email: Invalid email; password: must be at least 10 characters" */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}
