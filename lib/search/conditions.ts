import type { Filter, SearchQuery, TextTerm, ValueItem } from "@/lib/search/parse";
import { join, raw, sql, type Sql } from "@/lib/search/sql";

/**
 * SQL conditions for each key, over fixed table aliases: r = runs, d = drift_points, s = steps.
 * Column names come only from this file; every typed value is a bound parameter.
 *
 * Tool and model compare under the "C" collation to use the search indexes
 * (steps_search_tool_idx / steps_search_model_idx, migration 20261121050000_search): equality is
 * the same under any deterministic collation, and "C" lets a prefix (tool:send_*) be an index range.
 */
const STEP_COLUMN = { tool: raw(`s.tool_name COLLATE "C"`), model: raw(`s.model COLLATE "C"`) } as const;

/** "send_*" typed by a user must not turn into LIKE wildcards: only the trailing * we add is one. */
export const likePrefix = (value: string) => `${value.replace(/[\\%_]/g, "\\$&")}%`;

function anyOf(items: ValueItem[], exact: (values: string[]) => Sql, prefix: (pattern: string) => Sql): Sql {
  const parts: Sql[] = [];
  const exacts = items.filter((i) => !i.prefix).map((i) => i.value);
  if (exacts.length) parts.push(exact(exacts));
  for (const item of items.filter((i) => i.prefix)) parts.push(prefix(likePrefix(item.value)));
  return parts.length === 1 ? parts[0]! : sql`(${join(parts, " OR ")})`;
}

/** A step of the run (alias s) matches a tool: or model: filter. */
export function stepMatches(f: Filter): Sql {
  const column = STEP_COLUMN[f.key as "tool" | "model"];
  return anyOf(
    f.values,
    (values) => (values.length === 1 ? sql`${column} = ${values[0]}` : sql`${column} = ANY(${values}::text[])`),
    (pattern) => sql`${column} LIKE ${pattern}`,
  );
}

/** What the text terms mean as a text-search query: all of them (AND) or any (OR); phrases keep word order. */
export function exactQuery(terms: TextTerm[], combine: "and" | "or"): Sql {
  const parts = terms.map((t) =>
    t.kind === "phrase"
      ? sql`phraseto_tsquery('simple', ${t.text})`
      : t.kind === "prefix"
        ? // The parser allows only letters and digits in a prefix, so nothing here is tsquery syntax.
          sql`to_tsquery('simple', ${t.text} || ':*')`
        : sql`plainto_tsquery('simple', ${t.text})`,
  );
  return sql`(${join(parts, combine === "and" ? " && " : " || ")})`;
}

/**
 * Every word of the terms, AND-ed, without word order: a superset of the exact query's matches that
 * the text index answers alone. Order (phrases, and hyphenated words, which plainto_tsquery also
 * treats as phrases) would make it recompute each candidate message's words to check positions.
 * The words are the lexemes the parser makes of the terms (as in the exact query), written as
 * quoted tsquery literals (' doubled, \ escaped) so they are not parsed again.
 */
export function looseQuery(terms: TextTerm[]): Sql {
  const words = terms.filter((t) => t.kind !== "prefix").map((t) => t.text);
  const parts: Sql[] = [];
  if (words.length)
    parts.push(
      sql`(SELECT string_agg('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || '''', ' & ')
           FROM unnest(tsvector_to_array(to_tsvector('simple', ${words.join(" ")}))) l)::tsquery`,
    );
  for (const t of terms.filter((t) => t.kind === "prefix")) parts.push(sql`to_tsquery('simple', ${t.text} || ':*')`);
  return sql`(${join(parts, " && ")})`;
}

/** Hashes of the messages the text index matches (index messages_search_words_idx). */
export function messageHits(projectId: string, tsq: Sql): Sql {
  return sql`SELECT hash::text AS hash FROM messages WHERE project_id = ${projectId}::uuid AND causeway_message_words(content) @@ ${tsq}`;
}

/** Message m says the terms (all of them, or any): its words computed and matched. */
export function messageSays(terms: TextTerm[], combine: "and" | "or"): Sql {
  return sql`causeway_message_words(m.content) @@ ${exactQuery(terms, combine)}`;
}

/**
 * How a run's messages are checked for the text:
 * - hits: against `hits`, a hash table of the messages the loose query matches (found through the
 *   text index once per search), and exactly for those;
 * - scan: each distinct message of the run is matched on its own. For words so common that `hits`
 *   would be huge; walking newest first then stops after a few runs.
 */
export type TextPlan = "hits" | "scan";

/** The model calls of run r saw or produced a message that says the terms. */
export function runSaid(terms: TextTerm[], combine: "and" | "or", plan: TextPlan): Sql {
  if (plan === "hits")
    return sql`EXISTS (
        SELECT 1 FROM steps s CROSS JOIN LATERAL unnest(s.output_hashes || s.context_hashes) h
        WHERE s.project_id = r.project_id AND s.run_id = r.id AND s.kind = 'llm' AND ${inHits("h")}
          AND EXISTS (SELECT 1 FROM messages m WHERE m.project_id = r.project_id AND m.hash = h::char(64) AND ${messageSays(terms, combine)}))`;
  return sql`EXISTS (
        SELECT 1 FROM (SELECT DISTINCT h FROM steps s CROSS JOIN LATERAL unnest(s.output_hashes || s.context_hashes) h
                       WHERE s.project_id = r.project_id AND s.run_id = r.id AND s.kind = 'llm') said
        JOIN messages m ON m.project_id = r.project_id AND m.hash = said.h::char(64)
        WHERE ${messageSays(terms, combine)})`;
}

/** The first message step s (a model call) produced or saw that says the terms: its hash, or NULL. Outputs first. */
export function stepSaidHash(terms: TextTerm[], plan: TextPlan): Sql {
  const known = plan === "hits" ? sql`${inHits("h.hash")} AND ` : raw("");
  return sql`(SELECT m.hash FROM unnest(s.output_hashes || s.context_hashes) WITH ORDINALITY AS h(hash, n)
        JOIN messages m ON m.project_id = s.project_id AND m.hash = h.hash::char(64)
        WHERE ${known}${messageSays(terms, "and")} ORDER BY h.n LIMIT 1)`;
}

/**
 * `IS TRUE` keeps the planner from turning the IN into a join, which it would redo for every step;
 * left as a sub-plan it becomes one hash table of `hits`, built once and probed per message hash.
 */
const inHits = (column: "h" | "h.hash") => raw(`(${column} IN (SELECT hash FROM hits)) IS TRUE`);

/** Some step of run r matches. */
export function runHasStep(condition: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM steps s WHERE s.project_id = r.project_id AND s.run_id = r.id AND ${condition})`;
}

/** Conditions on the run (alias r) from agent, status, session, run and has:. */
export function runCondition(projectId: string, f: Filter): Sql | null {
  // A run without an agent or a session is not "agent:x", so -agent:x includes it (NULL counts as false).
  const not = (c: Sql) => (f.negated ? sql`NOT coalesce((${c}), false)` : c);
  switch (f.key) {
    case "agent":
      return not(
        // ANY(ARRAY(…)): the agents are looked up once, and the run check stays a cheap filter the planner
        // applies before the costly ones (as a join, it came after a text check of every run).
        sql`r.agent_id = ANY (ARRAY(SELECT ag.id FROM agents ag WHERE ag.project_id = ${projectId}::uuid AND ${anyOf(
          f.values,
          (values) => sql`ag.service_name = ANY(${values}::text[])`,
          (pattern) => sql`ag.service_name LIKE ${pattern}`,
        )}))`,
      );
    case "status":
      return not(sql`r.status = ANY(${f.values.map((v) => v.value)}::"RunStatus"[])`);
    case "session":
      return not(sql`r.session_id = ANY(${f.values.map((v) => v.value)}::text[])`);
    case "run":
      return not(join(f.values.map(runIdCondition), " OR "));
    case "has": {
      // Positive has:drift only chooses drift points as results (compile.ts); the run side is its negation.
      const parts = f.values.flatMap((v) =>
        v.value === "error"
          ? [raw(f.negated ? "r.error_count = 0" : "r.error_count > 0")]
          : f.negated
            ? [raw("r.drift_count = 0")]
            : [],
      );
      return parts.length ? join(parts, " AND ") : null;
    }
    default:
      return null;
  }
}

/** A full id is an equality; a prefix is a range on the primary key (ids are lower-case hex). */
function runIdCondition(item: ValueItem): Sql {
  if (item.value.length === 32) return sql`r.id = ${item.value}::char(32)`;
  return sql`(r.id >= ${item.value.padEnd(32, "0")}::char(32) AND r.id <= ${item.value.padEnd(32, "f")}::char(32))`;
}

/** Conditions on a drift point (alias d) from drift: and severity:. */
export function driftCondition(f: Filter): Sql | null {
  const values = f.values.map((v) => v.value);
  const c =
    f.key === "drift"
      ? sql`d.detector = ANY(${values}::text[])`
      : f.key === "severity"
        ? sql`d.severity = ANY(${values}::"DriftSeverity"[])`
        : null;
  return c && f.negated ? sql`NOT (${c})` : c;
}

export const isStepSelector = (f: Filter) => f.key === "tool" || f.key === "model";
export const isDriftKey = (f: Filter) => f.key === "drift" || f.key === "severity";

/** Positive step selectors (tool:, model:, text) each name steps a run must have. */
export function positiveText(q: SearchQuery): TextTerm[] {
  return q.text.filter((t) => !t.negated);
}
