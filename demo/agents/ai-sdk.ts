import type { ToolExecutionOptions } from "ai";
import { between, pause } from "@/demo/agents/sim";
import { ensureContextManager, startRunTracing, type RunTracing } from "@/demo/agents/tracing";
import type { AgentOptions, AgentRun } from "@/demo/agents/types";

/**
 * What the AI SDK agents share: the run's tracing (the SDK gets our tracer through `experimental_telemetry`), the
 * hooks at the SDK's own extension points (`prepareStep` before each model call, the start of each tool's
 * `execute`), and the flush at the end.
 */
export type AiSdkRun = {
  tracing: RunTracing;
  scale: number;
  telemetry: { isEnabled: true; functionId: string; metadata: Record<string, string>; tracer: RunTracing["tracer"] };
  prepareStep: () => Promise<undefined>;
  /** Wraps a tool's work: the hooks, a simulated latency, then `work`. */
  tool<I, R>(
    latencyMs: [number, number],
    work: (input: I) => R | Promise<R>,
  ): (input: I, options: ToolExecutionOptions) => Promise<R>;
};

export async function runAiSdkAgent(
  o: AgentOptions,
  service: { name: string; version: string; functionId: string },
  body: (run: AiSdkRun) => Promise<string>,
): Promise<AgentRun> {
  ensureContextManager();
  const tracing = startRunTracing({ ...o, serviceName: service.name, serviceVersion: service.version, protocol: "protobuf" });
  const scale = o.timeScale ?? 1;
  const run: AiSdkRun = {
    tracing,
    scale,
    telemetry: {
      isEnabled: true,
      functionId: service.functionId,
      metadata: o.sessionId ? { sessionId: o.sessionId } : {},
      tracer: tracing.tracer,
    },
    prepareStep: async () => {
      await tracing.beforeStep();
      return undefined;
    },
    tool:
      (latencyMs, work) =>
      async (input, { abortSignal }) => {
        await tracing.beforeStep();
        await pause(between(...latencyMs), scale, abortSignal);
        return work(input);
      },
  };
  let output: string;
  try {
    output = await body(run);
  } catch (error) {
    await tracing.finish();
    throw error;
  }
  const spans = await tracing.finish();
  return { runId: tracing.runId()!, sessionId: o.sessionId ?? null, output, spans };
}
