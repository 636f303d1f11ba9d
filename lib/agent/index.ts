/**
 * Causeway's agent-side control client (package subpath `causeway/agent`): no server
 * code, only fetch and AbortController (plus @opentelemetry/api when the agent has it).
 *
 *   const control = await connectControl({ endpoint, apiKey, runId: runIdFromActiveSpan() });
 *   await control.checkpoint();          // before each model call and each tool call
 *   fetch(url, { signal: control.signal }) // in-flight calls abort on a kill
 *   await control.close();
 */
export { connectControl } from "./client";
export type { AppliedInfo, ConnectControlOptions, ControlClient, ControlState } from "./client";
export { ControlUnavailableError, isRunKilled, RunKilledError } from "./errors";
export { runIdFromActiveSpan } from "./otel";
export { withCheckpoint } from "./adapters/checkpoint";
export { aiSdkControl, controlTools } from "./adapters/vercel-ai";
export { openAiAgentsControl } from "./adapters/openai-agents";
export { langGraphControl, controlledNode } from "./adapters/langgraph";
export type { ControlDesired } from "./types";
