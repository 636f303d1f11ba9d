import type { ConventionFamily } from "@/lib/conventions/types";

/**
 * Fallback for spans no family recognises (HTTP, database, framework internals…): an `other` step named after
 * the span that consumes nothing, so every attribute stays with the span (drift detectors such as "new egress"
 * read `http.*` / `server.address` from there). Always last in the family order; `detect` is always true.
 */
export const generic: ConventionFamily = {
  name: "generic",
  detect: () => true,
  normalize: (span) => ({ family: "generic", kind: "other", name: span.name || "span", consumed: new Set<string>() }),
};
