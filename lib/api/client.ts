import type { z } from "zod";
import { errorBody } from "@/lib/api/schemas";

/** Browser-side API calls: JSON in, validated JSON out, errors carry the server's message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(schema: z.ZodType<T>, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
    credentials: "same-origin",
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = errorBody.safeParse(body);
    throw new HttpError(
      res.status,
      parsed.data?.error.code ?? "http_error",
      parsed.data?.error.message ?? `Request failed (${res.status})`,
    );
  }
  return schema.parse(body);
}
