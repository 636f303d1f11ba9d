import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { demoPlan, ONCE_MIGRATION_MS, parseDuration, type Lane } from "@/demo/plan";
import { checkCollector, DemoSetupError, resolveDemoTarget, type DemoTarget } from "@/demo/target";
import { parseDemoEnv } from "@/scripts/env";

/**
 * `npm run demo`: runs the demo agents (demo/agents) against the local Causeway started with `npm start`, prints
 * each run's page as it lands, and keeps a slow data-migration run live for a few minutes. Ctrl-C stops it after
 * flushing its spans.
 */
const USAGE = `Usage: npm run demo [-- [--once] [--duration 3m]]

  --once            a short demo: the migration runs for ${ONCE_MIGRATION_MS / 1000} s, then the command exits
  --duration <t>    how long the slow migration run stays live (e.g. 90s, 5m; default 3m)

Sends to the collector \`npm start\` runs (or OTEL_EXPORTER_OTLP_ENDPOINT), with the local ingest key
(or OTEL_EXPORTER_OTLP_HEADERS='authorization=Bearer <key>').
`;

const root = path.resolve(import.meta.dirname, "..");
const out = (line = "") => process.stdout.write(`${line}\n`);

type Tally = { runs: number; spans: number; failed: number };

async function runLane(lane: Lane, target: DemoTarget, signal: AbortSignal, tally: Tally): Promise<void> {
  for (const [i, planned] of lane.runs.entries()) {
    // A person takes a moment before the next message of a conversation.
    if (i > 0) await delay(1_500 + Math.random() * 1_500, undefined, { signal }).catch(() => {});
    if (signal.aborted) return;
    const label = `${planned.agent.padEnd(18)} ${planned.what}`;
    try {
      const run = await planned.start({
        endpoint: target.endpoint,
        headers: target.headers,
        sessionId: lane.sessionId,
        signal,
        hooks: {
          onRunStarted: (runId) => {
            if (lane.slow) out(`  ● ${label}\n      live now: ${target.uiUrl}/runs/${runId}`);
          },
        },
      });
      tally.runs++;
      tally.spans += run.spans;
      const session = run.sessionId ? `   session ${run.sessionId}` : "";
      out(`  ✔ ${label}\n      ${target.uiUrl}/runs/${run.runId}  (${run.spans} spans)${session}`);
    } catch (error) {
      if (signal.aborted) {
        out(`  ■ ${planned.agent}: stopped; the spans it had are flushed`);
        return;
      }
      tally.failed++;
      out(`  ✖ ${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { once: { type: "boolean", default: false }, duration: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const durationMs = values.duration ? parseDuration(values.duration) : 180_000;
  const target = resolveDemoTarget(parseDemoEnv(), root);
  await checkCollector(target);

  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    out("\n  Stopping: flushing the spans of runs in progress (Ctrl-C again quits at once)…");
    // The reason is what the stopped run's spans record as their error.
    controller.abort(Object.assign(new Error("stopped from npm run demo (Ctrl-C)"), { name: "AbortError" }));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  out(`\n  Causeway demo: sending runs to ${target.endpoint} (key from ${target.keySource})`);
  out(`  Watch them arrive at ${target.uiUrl}/runs\n`);
  const lanes = demoPlan({ once: values.once, durationMs });
  const tally: Tally = { runs: 0, spans: 0, failed: 0 };
  const started = Date.now();
  let slowRunning = 0;
  const slow = lanes
    .filter((l) => l.slow)
    .map((l) => {
      slowRunning++;
      return runLane(l, target, controller.signal, tally).finally(() => slowRunning--);
    });
  await Promise.all(lanes.filter((l) => !l.slow).map((l) => runLane(l, target, controller.signal, tally)));
  out(`\n  Sent ${tally.runs} runs (${tally.spans} spans) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (slowRunning > 0 && !controller.signal.aborted)
    out("  The data-migration run stays live until it finishes; Ctrl-C stops it (its spans are flushed first).\n");
  await Promise.all(slow);
  if (!controller.signal.aborted) out(`\n  Done. Open ${target.uiUrl}/runs`);
  return tally.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DemoSetupError) process.stderr.write(`\n${error.message}\n\n`);
    else process.stderr.write(`\nThe demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
