/**
 * What every demo agent takes and returns. The agents are real instrumented programs: each run builds its own
 * OpenTelemetry tracer provider and sends OTLP/HTTP to `endpoint`, like any agent pointed at Causeway would.
 */
export type AgentOptions = {
  /** Base URL of the collector (`/v1/traces` is appended), e.g. http://localhost:4318. */
  endpoint: string;
  /** Exporter headers, e.g. `{ authorization: "Bearer cwk_…" }`. */
  headers: Record<string, string>;
  /** Conversation this run belongs to; runs sharing it form a session. */
  sessionId?: string;
  /** Aborting stops the run at its next model call, tool call or wait; its spans are still flushed. */
  signal?: AbortSignal;
  hooks?: AgentHooks;
  /**
   * Multiplies the simulated model and tool latencies: 1 (default) looks like a real agent, 0 runs as fast as the
   * exporter allows (tests).
   */
  timeScale?: number;
};

/** Where a live-control client plugs in (lib/agent): the same points a hand-written loop calls `checkpoint()` at. */
export type AgentHooks = {
  /**
   * Once per run, after its root span started and before its first step (awaited): the run id is the trace id; the
   * agent is the `service.name` / `service.instance.id` its spans carry.
   */
  onRunStarted?: (runId: string, agent: { serviceName: string; instanceId: string }) => void | Promise<void>;
  /** Before each model call and each tool call; throwing stops the run there (the error is recorded on its spans). */
  beforeStep?: () => Promise<void>;
};

export type AgentRun = {
  /** The run (trace) id, as Causeway shows it in /runs/{runId}. */
  runId: string;
  sessionId: string | null;
  /** The agent's final answer. */
  output: string;
  /** Spans exported for this run. */
  spans: number;
};
