import type { Db } from "@/lib/server/db/prisma";
import type { SearchPage, SearchResult } from "@/lib/api/search-schemas";
import type { Severity } from "@/lib/drift/types";
import {
  CANDIDATE_MAX_HITS,
  CANDIDATE_MAX_STEPS,
  compileCallFrequency,
  compileHitEstimate,
  compileHitHashes,
  compileLooseText,
  compileSelectorCandidates,
  compileTextCandidates,
  estimatedRows,
  intersectCandidates,
  type CompiledQuery,
  SCAN_ABOVE_HITS,
} from "@/lib/search/candidates";
import { compileSearch, searchMode, type CompileOptions } from "@/lib/search/compile";
import { likePrefix, type TextPlan } from "@/lib/search/conditions";
import { decodeSearchCursor, encodeSearchCursor } from "@/lib/search/cursor";
import { parseQuery, type SearchQuery } from "@/lib/search/parse";
import { messageText, searchWords, snippet } from "@/lib/search/snippet";

/**
 * Drift search: parse (lib/search/parse.ts, throws SearchSyntaxError with the bad token's
 * position), look up the runs a rare key allows (candidates.ts), then one query for the page
 * (compile.ts). All SQL text comes from lib/search; values travel as parameters.
 */
export class InvalidSearchCursorError extends Error {}
export class SearchTimeoutError extends Error {}

/** A search that takes longer stops (and says so) rather than holding a database connection. */
const STATEMENT_TIMEOUT_MS = 10_000;

/** Steps looked up per selective key before it counts as common, and for how long (see lib/search/candidates.ts). */
const CANDIDATE_CAP = 20_000;
const CANDIDATE_TIMEOUT_MS = 1_000;

/** Columns both page queries return (lib/search/compile.ts): the run and the step a result points at. */
type MomentRow = {
  run_id: string;
  run_name: string;
  run_status: SearchResult["runStatus"];
  agent: string | null;
  span_id: string;
  step_name: string | null;
  step_kind: string | null;
  detector: string | null;
  severity: Severity | null;
};

type DriftRow = MomentRow & {
  drift_id: string;
  created_ms: bigint;
  created_at: Date;
  detector: string;
  severity: Severity;
  summary: string;
  started_at: Date;
};

type StepRow = MomentRow & {
  started_us: bigint;
  step_name: string;
  step_kind: string;
  step_start_ns: string;
  tool_name: string | null;
  model: string | null;
  message_role: string | null;
  message_content: unknown;
  summary: string | null;
};

const nsToIso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();

export async function searchMoments(
  db: Db,
  projectId: string,
  opts: { q: string; cursor?: string; limit: number; now?: Date },
): Promise<SearchPage> {
  const query = parseQuery(opts.q);
  const mode = searchMode(query);
  const cursor = opts.cursor ? decodeSearchCursor(opts.cursor) : null;
  if (opts.cursor && (!cursor || cursor.mode !== mode)) throw new InvalidSearchCursorError("invalid cursor");
  const plan = await planSearch(db, query, projectId);
  if (!plan) return { mode, results: [], nextCursor: null };
  const compiled = compileSearch(query, { projectId, now: opts.now ?? new Date(), limit: opts.limit, cursor, ...plan });
  if (compiled.mode === "drift") {
    const rows = await runBounded<DriftRow>(db, compiled);
    const page = rows.slice(0, opts.limit);
    const last = page.at(-1);
    return {
      mode,
      results: page.map(driftResult),
      nextCursor:
        rows.length > opts.limit && last
          ? encodeSearchCursor({ mode: "drift", createdMs: last.created_ms, id: BigInt(last.drift_id) })
          : null,
    };
  }
  const rows = await runBounded<StepRow>(db, compiled);
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  const words = searchWords(query.text);
  return {
    mode,
    results: page.map((r) => stepResult(r, words)),
    nextCursor:
      rows.length > opts.limit && last
        ? encodeSearchCursor({ mode: "steps", startedUs: last.started_us, runId: last.run_id })
        : null,
  };
}

/**
 * How to run the query (lib/search/candidates.ts): the text plan, and the runs every selective key
 * allows (null when some key is common: walk newest first). No plan: nothing can match.
 */
async function planSearch(
  db: Db,
  query: SearchQuery,
  projectId: string,
): Promise<Pick<CompileOptions, "textPlan" | "candidateRuns" | "looseText"> | null> {
  const rows = <T>(c: CompiledQuery) => db.$queryRawUnsafe<T[]>(c.text, ...c.values);
  // A lookup is an optimization: one that takes too long (an unlucky plan, a busy server) counts as "too many".
  const lookup = async (c: CompiledQuery) =>
    (await withTimeout<{ runs: string[] }>(db, c, CANDIDATE_TIMEOUT_MS))?.[0]?.runs ?? Array<string>(CANDIDATE_CAP + 1).fill("");
  const lists: string[][] = [];
  for (const c of compileSelectorCandidates(query, projectId, CANDIDATE_CAP)) lists.push(await lookup(c));

  let looseText: string | null = null;
  let textPlan: TextPlan = "hits";
  const loose = compileLooseText(query);
  if (loose) {
    looseText = (await rows<{ q: string | null }>(loose))[0]?.q ?? null;
    if (!looseText) return null; // nothing searchable in the words
    const [explain] = await rows<{ "QUERY PLAN": unknown }>(compileHitEstimate(projectId, looseText));
    if (estimatedRows(explain?.["QUERY PLAN"]) > SCAN_ABOVE_HITS) textPlan = "scan";
    else {
      const hits = await rows<{ hash: string }>(compileHitHashes(projectId, looseText, CANDIDATE_MAX_HITS + 1));
      if (hits.length === 0) return null; // no message says it
      const hashes = hits.map((r) => r.hash);
      const calls =
        hashes.length <= CANDIDATE_MAX_HITS
          ? ((await rows<{ steps: number }>(compileCallFrequency(hashes)))[0]?.steps ?? 0)
          : Infinity;
      if (calls <= CANDIDATE_MAX_STEPS) lists.push(await lookup(compileTextCandidates(projectId, hashes, CANDIDATE_CAP)));
    }
  }
  if (lists.some((list) => list.length === 0)) return null; // a key no run matches
  const candidateRuns = intersectCandidates(lists, CANDIDATE_CAP);
  if (candidateRuns?.length === 0) return null;
  return { candidateRuns, looseText, textPlan };
}

/** The page query, with a statement timeout. */
async function runBounded<T>(db: Db, q: CompiledQuery): Promise<T[]> {
  const rows = await withTimeout<T>(db, q, STATEMENT_TIMEOUT_MS);
  if (!rows)
    throw new SearchTimeoutError(
      `The search took longer than ${STATEMENT_TIMEOUT_MS / 1000} s and was stopped; narrow it with a key such as agent:, after: or drift:`,
    );
  return rows;
}

/** Rows of a query allowed at most `ms` (SET LOCAL: for its transaction only), or null when it took longer. */
async function withTimeout<T>(db: Db, q: CompiledQuery, ms: number): Promise<T[] | null> {
  try {
    return await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.round(ms)}`);
        return tx.$queryRawUnsafe<T[]>(q.text, ...q.values);
      },
      { timeout: ms + 5_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (/statement timeout/i.test(String((error as Error)?.message))) return null;
    throw error;
  }
}

/** The part of a result that is the same for both kinds: where it happened, and the link to replay there. */
function moment(r: MomentRow): Omit<SearchResult, "kind" | "summary" | "matched" | "time"> {
  return {
    runId: r.run_id,
    runName: r.run_name,
    runStatus: r.run_status,
    agent: r.agent,
    spanId: r.span_id,
    stepName: r.step_name,
    stepKind: r.step_kind,
    detector: r.detector,
    severity: r.severity,
    href: `/runs/${r.run_id}?step=${r.span_id}`,
  };
}

function driftResult(r: DriftRow): SearchResult {
  return { kind: "drift", ...moment(r), summary: r.summary, matched: null, time: r.created_at.toISOString() };
}

function stepResult(r: StepRow, words: string[]): SearchResult {
  const said = r.message_role ? { role: r.message_role, text: snippet(messageText(r.message_content), words) } : null;
  const summary =
    r.summary ??
    (said
      ? `${said.role}: ${said.text}`
      : r.tool_name
        ? `called ${r.tool_name}`
        : r.model
          ? `model call to ${r.model}`
          : r.step_name);
  return { kind: "step", ...moment(r), summary, matched: said, time: nsToIso(r.step_start_ns) };
}

/**
 * Known values of a key for autocomplete, starting with `prefix`. Tools and models are read with a
 * skip scan over the search indexes (one index probe per distinct value), agents and sessions from
 * their own small tables.
 */
const DISTINCT_STEP_VALUES = {
  tool: `WITH RECURSIVE v(x) AS (
      (SELECT tool_name COLLATE "C" FROM steps WHERE project_id = $1::uuid AND tool_name COLLATE "C" LIKE $2 ORDER BY 1 LIMIT 1)
      UNION ALL
      SELECT (SELECT tool_name COLLATE "C" FROM steps WHERE project_id = $1::uuid AND tool_name COLLATE "C" > v.x
                AND tool_name COLLATE "C" LIKE $2 ORDER BY 1 LIMIT 1)
      FROM v WHERE v.x IS NOT NULL)
    SELECT x AS value FROM v WHERE x IS NOT NULL LIMIT $3`,
  model: `WITH RECURSIVE v(x) AS (
      (SELECT model COLLATE "C" FROM steps WHERE project_id = $1::uuid AND model COLLATE "C" LIKE $2 ORDER BY 1 LIMIT 1)
      UNION ALL
      SELECT (SELECT model COLLATE "C" FROM steps WHERE project_id = $1::uuid AND model COLLATE "C" > v.x
                AND model COLLATE "C" LIKE $2 ORDER BY 1 LIMIT 1)
      FROM v WHERE v.x IS NOT NULL)
    SELECT x AS value FROM v WHERE x IS NOT NULL LIMIT $3`,
  agent: `SELECT DISTINCT service_name AS value FROM agents WHERE project_id = $1::uuid AND service_name LIKE $2 ORDER BY 1 LIMIT $3`,
  session: `SELECT id AS value FROM sessions WHERE project_id = $1::uuid AND id LIKE $2 ORDER BY last_seen_at DESC LIMIT $3`,
} as const;

export async function listKnownValues(
  db: Db,
  projectId: string,
  key: keyof typeof DISTINCT_STEP_VALUES,
  prefix: string,
  limit = 12,
): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ value: string }[]>(DISTINCT_STEP_VALUES[key], projectId, likePrefix(prefix), limit);
  return rows.map((r) => r.value);
}

export const KNOWN_VALUE_KEYS = Object.keys(DISTINCT_STEP_VALUES) as (keyof typeof DISTINCT_STEP_VALUES)[];
