import { runGenAiAgent, type AgentProfile } from "@/demo/agents/genai";
import { between, pause } from "@/demo/agents/sim";
import type { AgentOptions, AgentRun } from "@/demo/agents/types";

/**
 * A long-running data-migration agent (GPT-4.1): inspects the source table, then copies it batch by batch — one
 * model call and one `migrate_batch` call every `stepMs` (default 5–10 s) — for about `durationMs` (default three
 * minutes), verifies the counts and reports. The run stays live the whole time, its context growing a little with
 * every batch. Hand-written loop, GenAI conventions, OTLP/HTTP protobuf.
 */
export type MigrationOptions = AgentOptions & {
  /** About how long the run lasts (default 180 000 ms). */
  durationMs?: number;
  /** Time per batch (model call + tool call); default a random 5–10 s per batch. */
  stepMs?: number;
};

export const MIGRATION = {
  service: "data-migration",
  agent: "data-migration",
  table: "customers",
  batchSize: 50_000,
  defaultDurationMs: 180_000,
} as const;

const TOOL = (name: string, description: string, properties: Record<string, unknown>) => ({
  name,
  description,
  parameters: { type: "object", properties, required: Object.keys(properties) },
});

const AGENT: AgentProfile = {
  name: MIGRATION.agent,
  description: "Moves tables from the legacy MySQL database to the new Postgres cluster.",
  model: { provider: "openai", request: "gpt-4.1", response: "gpt-4.1-2025-04-14", temperature: 0 },
  system:
    "You migrate tables from legacy MySQL (mysql-legacy-01) to Postgres (pg-main). Inspect the source first, copy in " +
    "batches, never skip a failed batch, and verify row counts before reporting success.",
  tools: [
    TOOL("inspect_schema", "Columns, indexes and row count of a source table.", { table: { type: "string" } }),
    TOOL("migrate_batch", "Copy one batch of rows, ordered by primary key.", {
      table: { type: "string" },
      offset: { type: "integer" },
      limit: { type: "integer" },
    }),
    TOOL("verify_counts", "Compare row counts and checksums between source and target.", { table: { type: "string" } }),
  ],
};

export async function runMigrationAgent(o: MigrationOptions): Promise<AgentRun> {
  const durationMs = o.durationMs ?? MIGRATION.defaultDurationMs;
  const stepMs = () => o.stepMs ?? between(5_000, 10_000);
  // The table is as big as the time allows: one batch per step, besides the inspect and verify steps.
  const batches = Math.max(2, Math.round(durationMs / (o.stepMs ?? 7_500)) - 2);
  const rows = batches * MIGRATION.batchSize - 9_488;
  const { table, batchSize } = MIGRATION;
  // A batch's time goes to the model (20–30%), the tool (40–60%) and a wait for replication to catch up.
  const step = async (work: (latency: { model: [number, number]; tool: [number, number] }) => Promise<void>) => {
    const budget = stepMs();
    const started = Date.now();
    await work({ model: [budget * 0.2, budget * 0.3], tool: [budget * 0.4, budget * 0.6] });
    await pause(budget - (Date.now() - started), 1, o.signal);
  };
  // Step pacing is wall-clock time (the point is a long live run), so latencies are not scaled by timeScale.
  return runGenAiAgent(
    { ...o, timeScale: 1 },
    { name: MIGRATION.service, version: "1.12.0", protocol: "protobuf" },
    AGENT,
    async (chat) => {
      chat.user(
        `Migrate the \`${table}\` table from mysql-legacy-01 to pg-main in batches of ${batchSize.toLocaleString("en")} ` +
          "rows, then verify the counts.",
      );
      await step(async (t) => {
        const [inspect] = await chat.chat({ toolCalls: [{ name: "inspect_schema", arguments: { table } }] }, t.model);
        await chat.tool(
          inspect!,
          async () => ({ table, rows, primaryKey: "id", columns: ["id", "name", "country", "plan", "created_at"] }),
          t.tool,
        );
      });
      let copied = 0;
      for (let offset = 0; offset < rows; offset += batchSize) {
        await step(async (t) => {
          const n = Math.min(batchSize, rows - offset);
          const text =
            offset === 0
              ? `${rows.toLocaleString("en")} rows; starting with batch 1 of ${batches}.`
              : `Batch ${offset / batchSize} done (${copied.toLocaleString("en")} rows so far); next batch.`;
          const [call] = await chat.chat(
            { text, toolCalls: [{ name: "migrate_batch", arguments: { table, offset, limit: n } }] },
            t.model,
          );
          await chat.tool(
            call!,
            async () => {
              copied += n;
              return { table, offset, copied: n, skipped: 0, lagSeconds: Math.round(between(0, 3)) };
            },
            t.tool,
          );
        });
      }
      const report =
        `Migrated ${copied.toLocaleString("en")} rows of \`${table}\` in ${batches} batches; source and target row ` +
        "counts and checksums match.";
      await step(async (t) => {
        const [verify] = await chat.chat(
          { text: "All batches copied; verifying.", toolCalls: [{ name: "verify_counts", arguments: { table } }] },
          t.model,
        );
        await chat.tool(verify!, async () => ({ table, source: rows, target: copied, checksumMatch: copied === rows }), t.tool);
        await chat.chat({ text: report }, t.model);
      });
      return report;
    },
  );
}
