/**
 * What the normalize stage hands to the store: rows ready to write, already
 * cleaned (redacted, capped, JSON-safe). One IngestBatch per export request.
 */
export type StepRow = {
  runId: string;
  spanId: string;
  parentSpanId: string | null;
  kind: string;
  name: string;
  family: string;
  spanKind: number;
  status: "unset" | "ok" | "error";
  statusMessage: string | null;
  startNs: bigint;
  endNs: bigint | null;
  agentName: string | null;
  provider: string | null;
  model: string | null;
  toolName: string | null;
  toolCallId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  contextHashes: string[];
  outputHashes: string[];
  /** Causal facts (collector/normalize/facts.ts): decided calls ("" = no id) and tool results in context. */
  callIds: string[];
  callNames: string[];
  toolResultIds: string[];
  handoffTo: string | null;
  /** JSON text of the remaining attributes (plus causeway.* annotations). */
  attributes: string;
  events: string;
  links: string;
  scopeName: string;
  /** Large bodies stored out of line (step_payloads). */
  input: string | null;
  output: string | null;
  inputFullBytes: number | null;
  outputFullBytes: number | null;
  /** Key into IngestBatch.agents. */
  agentKey: string;
  sessionId: string | null;
  /** The run name this span suggests (root/workflow/agent spans). */
  runName: string | null;
};

export type MessageRow = { hash: string; role: string; content: string; byteSize: number; truncated: boolean };
export type AgentRow = { serviceName: string; instanceId: string; attributes: string };

export type IngestBatch = {
  projectId: string;
  steps: StepRow[];
  messages: Map<string, MessageRow>;
  agents: Map<string, AgentRow>;
};

export function agentKey(serviceName: string, instanceId: string): string {
  return `${serviceName}\u0001${instanceId}`;
}
