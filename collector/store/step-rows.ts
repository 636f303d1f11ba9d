import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { StepRow } from "@/collector/normalize/batch";

/**
 * The columns of a stored step, and step rows in COPY's text format: for the store's INSERT
 * and COPY paths (collector/store/writer.ts) and bench:ingest's raw COPY baseline, so all
 * write exactly the same rows.
 */
export const STEP_COLUMNS = [
  ["project_id", "uuid"],
  ["run_id", "text"],
  ["span_id", "text"],
  ["parent_span_id", "text"],
  ["kind", '"StepKind"'],
  ["name", "text"],
  ["family", "text"],
  ["span_kind", "smallint"],
  ["status", '"StepStatus"'],
  ["status_message", "text"],
  ["start_ns", "bigint"],
  ["end_ns", "bigint"],
  ["agent_name", "text"],
  ["provider", "text"],
  ["model", "text"],
  ["tool_name", "text"],
  ["tool_call_id", "text"],
  ["input_tokens", "int"],
  ["output_tokens", "int"],
  ["total_tokens", "int"],
  ["context_hashes", "text[]"],
  ["output_hashes", "text[]"],
  ["context_count", "int"],
  ["context_bytes", "bigint"],
  ["call_ids", "text[]"],
  ["call_names", "text[]"],
  ["tool_result_ids", "text[]"],
  ["handoff_to", "text"],
  ["attributes", "jsonb"],
  ["events", "jsonb"],
  ["links", "jsonb"],
  ["scope_name", "text"],
] as const;

/**
 * COPY text format: tab-separated, \N for null, backslash escapes. Plain string replacements after a test, not a
 * regular expression with a callback per match: JSON columns are full of backslashes (every escaped quote and
 * newline of the messages they hold), and this encoding took 6 % of the ingest thread's time.
 */
const COPY_SPECIAL = /[\\\t\n\r]/;
const copyText = (v: string) =>
  COPY_SPECIAL.test(v) ? v.replaceAll("\\", "\\\\").replaceAll("\t", "\\t").replaceAll("\n", "\\n").replaceAll("\r", "\\r") : v;
/** JSON text (JSON.stringify's: control characters are escaped, so backslashes are the only special ones). */
const copyJson = (v: string) => (v.includes("\\") ? v.replaceAll("\\", "\\\\") : v);
const copyField = (v: string | number | bigint | null) => (v === null ? "\\N" : typeof v === "string" ? copyText(v) : String(v));
const ARRAY_SPECIAL = /["\\]/;
/** A text[] literal: every element quoted, quotes and backslashes escaped inside. */
const copyArray = (a: string[]) =>
  copyText(`{${a.map((x) => `"${ARRAY_SPECIAL.test(x) ? x.replaceAll("\\", "\\\\").replaceAll('"', '\\"') : x}"`).join(",")}}`);

/** One row in STEP_COLUMNS order. */
export function stepCopyLine(projectId: string, s: StepRow): string {
  return (
    [
      projectId,
      s.runId,
      s.spanId,
      copyField(s.parentSpanId),
      s.kind,
      copyText(s.name),
      copyText(s.family),
      s.spanKind,
      s.status,
      copyField(s.statusMessage),
      s.startNs,
      copyField(s.endNs),
      copyField(s.agentName),
      copyField(s.provider),
      copyField(s.model),
      copyField(s.toolName),
      copyField(s.toolCallId),
      copyField(s.inputTokens),
      copyField(s.outputTokens),
      copyField(s.totalTokens),
      copyArray(s.contextHashes),
      copyArray(s.outputHashes),
      s.contextHashes.length,
      s.contextBytes,
      copyArray(s.callIds),
      copyArray(s.callNames),
      copyArray(s.toolResultIds),
      copyField(s.handoffTo),
      copyJson(s.attributes),
      copyJson(s.events),
      copyJson(s.links),
      copyText(s.scopeName),
    ].join("\t") + "\n"
  );
}

/** COPYs lines made by stepCopyLine into `table` (steps, or a table shaped like it). */
export async function copyStepLines(client: pg.ClientBase, table: string, lines: string[]): Promise<void> {
  await pipeline(
    Readable.from([lines.join("")]),
    client.query(copyFrom(`COPY ${table} (${STEP_COLUMNS.map(([c]) => c).join(", ")}) FROM STDIN`)),
  );
}
