import pg from "pg";
import { createLogger } from "@/lib/log";
import { parseCollectorEnv } from "@/collector/env";
import { createCollectorServer } from "@/collector/receiver/server";
import { COLLECTOR_METRICS, createMetrics } from "@/collector/receiver/metrics";
import { createIngestAuth } from "@/collector/receiver/auth";
import { logsHandler, tracesHandler } from "@/collector/receiver/otlp";
import { IngestWorker } from "@/collector/ingest/client";
import { createPipeline, type Pipeline } from "@/collector/pipeline";
import type { WriteResult } from "@/collector/store/writer";
import { endQuietRuns } from "@/collector/store/liveness";
import { notifyRunsChanged } from "@/collector/store/notify";
import { DRIFT_METRICS } from "@/collector/drift/metrics";
import { startDriftStage } from "@/collector/drift/start";
import { POLICY_METRICS } from "@/collector/policy/enforce";
import { startPolicies } from "@/collector/policy/start";
import { createControlAuth } from "@/collector/control/auth";
import { ControlHub } from "@/collector/control/hub";
import { controlRoutes } from "@/collector/control/routes";

/**
 * The collector process: OTLP/HTTP in, Postgres out. It sits beside agents, never
 * in their path: if it is down, exporters drop or retry and agents keep working.
 */
async function main(): Promise<void> {
  const env = parseCollectorEnv();
  const log = createLogger("collector", env.CAUSEWAY_LOG_LEVEL);
  // Authentication, readiness, the liveness sweep, and ingest writes when they run on this thread
  // (CAUSEWAY_INGEST_WORKER=off); the ingest worker has its own connections.
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: env.CAUSEWAY_INGEST_WORKER === "on" ? 3 : 6,
    connectionTimeoutMillis: 5000,
  });
  pool.on("error", (error) => log.warn("database connection error", { error: error.message }));

  const metrics = createMetrics({ ...COLLECTOR_METRICS, ...DRIFT_METRICS, ...POLICY_METRICS });
  // Runtime policies: the drift detectors read them, and act on what they raise (pause/kill via live control).
  const policies = startPolicies(env, log, metrics);
  const drift = startDriftStage(env, log, metrics, policies.enforcer.onRaised, (projectId) => policies.source.get(projectId));
  // Decode -> normalize -> store runs in a worker thread: this thread stays free for the control channel.
  const onCommitted = (runs: WriteResult["changedRuns"]) => drift?.runsChanged(runs);
  const pipeline: Pipeline =
    env.CAUSEWAY_INGEST_WORKER === "on"
      ? new IngestWorker({ metrics, log, onCommitted })
      : createPipeline(pool, env, log, metrics, onCommitted);
  metrics.observe("causeway_collector_spans_queued", () => pipeline.queued());
  metrics.observe("causeway_collector_bytes_queued", () => pipeline.queuedBytes());
  const deps = {
    auth: createIngestAuth(pool, { staticKey: env.CAUSEWAY_INGEST_KEY }),
    maxBodyBytes: env.CAUSEWAY_MAX_BODY_BYTES,
    busy: () =>
      pipeline.queued() >= env.CAUSEWAY_INGEST_MAX_QUEUED_SPANS || pipeline.queuedBytes() >= env.CAUSEWAY_INGEST_MAX_QUEUED_BYTES,
    metrics,
  };
  // Control has its own connections, so a command never queues behind ingest writes.
  const controlPool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4, connectionTimeoutMillis: 5000 });
  controlPool.on("error", (error) => log.warn("control database connection error", { error: error.message }));
  const hub = new ControlHub(controlPool, {
    databaseUrl: env.DATABASE_URL,
    heartbeatMs: env.CAUSEWAY_CONTROL_HEARTBEAT_MS,
    recheckMs: env.CAUSEWAY_CONTROL_RECHECK_MS,
    log,
  });
  hub.start();
  const server = createCollectorServer({
    log,
    metrics,
    databaseReady: async () => (await pool.query("SELECT 1")).rowCount === 1,
    routes: {
      "POST /v1/traces": tracesHandler(deps, (projectId, format, body) => pipeline.traces(projectId, format, body)),
      "POST /v1/logs": logsHandler(deps, (projectId, format, body) => pipeline.logs(projectId, format, body)),
    },
    match: controlRoutes({
      pool: controlPool,
      hub,
      auth: createControlAuth(controlPool, { staticKey: env.CAUSEWAY_INGEST_KEY }),
      log,
    }),
  });
  server.listen(env.CAUSEWAY_COLLECTOR_PORT, env.CAUSEWAY_HOST, () =>
    log.info(`listening on http://${env.CAUSEWAY_HOST}:${env.CAUSEWAY_COLLECTOR_PORT}`),
  );
  server.on("error", (error) => {
    log.error("cannot listen", { error });
    process.exit(1);
  });

  const sweep = setInterval(
    () =>
      void endQuietRuns(pool, env.CAUSEWAY_RUN_IDLE_SECONDS)
        .then((ended) => {
          drift?.runsChanged(ended); // runs that end quietly get their end-of-run evaluation
          return notifyRunsChanged(pool, ended);
        })
        .catch((error: Error) => log.warn("liveness sweep failed", { error: error.message })),
    Math.min(30_000, env.CAUSEWAY_RUN_IDLE_SECONDS * 500),
  );
  sweep.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping, finishing in-flight requests`);
    const deadline = setTimeout(() => {
      log.error("shutdown timed out");
      process.exit(1);
    }, env.CAUSEWAY_SHUTDOWN_TIMEOUT_MS).unref();
    // Stop accepting, let in-flight requests finish (they are acknowledged only once stored).
    clearInterval(sweep);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await hub.close(); // ends control streams and polls, which would otherwise hold the server open
    await closed;
    await pipeline.close();
    await drift?.close();
    await policies.close();
    await pool.end();
    await controlPool.end();
    clearTimeout(deadline);
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`collector failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
