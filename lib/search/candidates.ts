import { isStepSelector, looseQuery, stepMatches } from "@/lib/search/conditions";
import type { SearchQuery } from "@/lib/search/parse";
import { sql, toQuery } from "@/lib/search/sql";

/**
 * Planning a search before its query (lib/server/repositories/search.ts runs these, in order).
 *
 * A query walks runs (or drift points) newest first and checks each one: fast when many match,
 * slow when a key is rare — a tool called in one run in 100,000 would scan them all. So a selective
 * key first asks its index for the runs it allows, stopping at `cap` steps; a complete answer lets
 * the search start from those runs (compile.ts `candidateRuns`), a cut one means the key is common
 * and the walk finds matches soon. Candidate queries return one row `{ runs: string[] }`; more than
 * `cap` entries means "too many to list" (entries are steps' run ids and may repeat).
 *
 * - tool:, model: — their btree indexes, always (a capped index range scan is cheap).
 * - words — in steps:
 *   1. the loose text query (conditions.ts looseQuery) as tsquery text;
 *   2. the planner's estimate of the messages it matches (EXPLAIN: a millisecond, where counting a
 *      common word through the index takes a hundred). Above SCAN_ABOVE_HITS, runs are checked
 *      message by message (conditions.ts TextPlan "scan"): words nearly every run says;
 *   3. else the matching messages' hashes, up to CANDIDATE_MAX_HITS (estimates of several words
 *      assume they are unrelated and can be far too low, so this is counted);
 *   4. how many model calls saw them (compileCallFrequency) — a system prompt is in every call;
 *   5. if few, those calls' runs are the candidates.
 */
export const CANDIDATE_MAX_HITS = 5_000;
export const CANDIDATE_MAX_STEPS = 100_000;
export const SCAN_ABOVE_HITS = 50_000;

export type CompiledQuery = { text: string; values: unknown[] };

/** One row `{ q }`: the loose text query of the positive words, as tsquery text; null without words. */
export function compileLooseText(q: SearchQuery): CompiledQuery | null {
  const wanted = q.text.filter((t) => !t.negated);
  return wanted.length ? toQuery(sql`SELECT (${looseQuery(wanted)})::text AS q`) : null;
}

/** EXPLAIN (FORMAT JSON) of the messages a loose query matches: see estimatedRows. */
export function compileHitEstimate(projectId: string, looseText: string): CompiledQuery {
  return toQuery(
    sql`EXPLAIN (FORMAT JSON) SELECT hash FROM messages WHERE project_id = ${projectId}::uuid AND causeway_message_words(content) @@ ${looseText}::tsquery`,
  );
}

/** Rows `{ hash }`: up to `limit` messages the loose query matches. */
export function compileHitHashes(projectId: string, looseText: string, limit: number): CompiledQuery {
  return toQuery(
    sql`SELECT hash::text AS hash FROM messages WHERE project_id = ${projectId}::uuid AND causeway_message_words(content) @@ ${looseText}::tsquery LIMIT ${limit}`,
  );
}

/**
 * The hashes go in as a sub-select so the planner does not see them: seeing them, it estimates rare
 * messages by the least common statistics entry, expects tens of thousands of rows and reads the
 * table sequentially (seconds) instead of the index (milliseconds).
 */
const callsThatSaw = (projectId: string, hashes: readonly string[]) =>
  sql`FROM steps s WHERE s.project_id = ${projectId}::uuid AND s.kind = 'llm' AND (s.context_hashes || s.output_hashes) && (SELECT ${[...hashes]}::text[])`;

/**
 * How many model calls saw or produced these messages, from the statistics ANALYZE keeps on the
 * steps index: each message's frequency when it is among the most common elements (system prompts,
 * common tool results), else the smallest frequency listed (an upper bound for the rest). Read
 * directly because the planner's estimate for `&&` with many rare elements is far too high. One row
 * `{ steps }`; 0 without statistics (a new or small database: the lookup is cheap there anyway).
 */
export function compileCallFrequency(hashes: readonly string[]): CompiledQuery {
  return toQuery(sql`
    WITH st AS (
      SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats
      WHERE schemaname = current_schema() AND tablename = 'steps_search_messages_idx' LIMIT 1
    ), common AS (
      SELECT e.elem, st.freqs[e.i] AS freq FROM st, unnest(st.elems) WITH ORDINALITY AS e(elem, i)
    )
    SELECT (coalesce(sum(coalesce(common.freq, (SELECT freqs[cardinality(elems) + 1] FROM st))), 0)
            * coalesce((SELECT reltuples FROM pg_class WHERE oid = to_regclass('steps_search_messages_idx')), 0))::float8 AS steps
    FROM unnest(${[...hashes]}::text[]) AS h LEFT JOIN common ON common.elem = h`);
}

export function compileTextCandidates(projectId: string, hashes: readonly string[], cap: number): CompiledQuery {
  return toQuery(sql`SELECT ARRAY(SELECT s.run_id ${callsThatSaw(projectId, hashes)} LIMIT ${cap + 1}) AS runs`);
}

export function compileSelectorCandidates(q: SearchQuery, projectId: string, cap: number): CompiledQuery[] {
  return q.filters
    .filter((f) => !f.negated && isStepSelector(f))
    .map((f) =>
      toQuery(
        sql`SELECT ARRAY(SELECT s.run_id FROM steps s WHERE s.project_id = ${projectId}::uuid AND ${stepMatches(f)} LIMIT ${cap + 1}) AS runs`,
      ),
    );
}

/** The runs all complete candidate lists agree on, or null when none is complete (walk instead). */
export function intersectCandidates(lists: readonly (readonly string[])[], cap: number): string[] | null {
  const complete = lists.filter((list) => list.length <= cap);
  if (complete.length === 0) return null;
  const [first, ...rest] = complete.map((list) => new Set(list));
  return [...first!].filter((id) => rest.every((set) => set.has(id)));
}

/** "Plan Rows" of the top node of an EXPLAIN (FORMAT JSON) answer; Infinity when unreadable. */
export function estimatedRows(explain: unknown): number {
  const plan = (Array.isArray(explain) ? explain[0] : explain) as { Plan?: { "Plan Rows"?: unknown } } | undefined;
  const rows = plan?.Plan?.["Plan Rows"];
  return typeof rows === "number" ? rows : Infinity;
}
