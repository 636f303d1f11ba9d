import { z } from "zod";
import { SEVERITIES } from "@/lib/drift/types";
import { runStatus } from "@/lib/api/schemas";

/** GET /api/v1/search and /api/v1/search/suggest: shared by the routes, the search page and tests. */

export const searchRequest = z.object({
  project: z.string().default("default"),
  // The language caps the query at 1,000 characters with a positioned error; this only stops absurd URLs.
  q: z.string().max(20_000).default(""),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SearchRequest = z.infer<typeof searchRequest>;

/**
 * A moment: a drift point, or the first step of a matching run. `href` opens replay at its step.
 * `time`: when the drift point was found / when the step started.
 */
export const searchResult = z.object({
  kind: z.enum(["drift", "step"]),
  runId: z.string(),
  runName: z.string(),
  runStatus,
  agent: z.string().nullable(),
  spanId: z.string(),
  stepName: z.string().nullable(),
  stepKind: z.string().nullable(),
  detector: z.string().nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  summary: z.string(),
  /** Step results found by text: the message that says it (role and an excerpt). */
  matched: z.object({ role: z.string(), text: z.string() }).nullable(),
  time: z.string(),
  href: z.string(),
});
export type SearchResult = z.infer<typeof searchResult>;

export const searchPage = z.object({
  /** drift: the results are drift points; steps: runs at their first matching step. */
  mode: z.enum(["drift", "steps"]),
  results: z.array(searchResult),
  nextCursor: z.string().nullable(),
});
export type SearchPage = z.infer<typeof searchPage>;

/** The 400 for a query the language does not accept: the usual error body plus where the bad token is. */
export const searchErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    position: z.object({ start: z.number(), end: z.number() }).optional(),
  }),
});

export const suggestRequest = z.object({
  project: z.string().default("default"),
  q: z.string().max(20_000).default(""),
  /** The caret position in q (defaults to its end). */
  cursor: z.coerce.number().int().min(0).optional(),
});

export const suggestion = z.object({
  kind: z.enum(["key", "value"]),
  label: z.string(),
  /** Replaces q[from, to). */
  insert: z.string(),
  detail: z.string().nullable(),
});
export type Suggestion = z.infer<typeof suggestion>;

export const suggestResponse = z.object({ from: z.number(), to: z.number(), suggestions: z.array(suggestion) });
export type SuggestResponse = z.infer<typeof suggestResponse>;
