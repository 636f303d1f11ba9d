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
  /** Stored bytes of those messages, repeats included: the context size chart and drift read it without a join. */
  contextBytes: number;
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

/**
 * A message of a GenAI log event: stored once by hash like every message, plus what the model call's step
 * needs from it when the event is applied (collector/store/log-events.ts): its causal facts and its cuts, with
 * paths relative to the message (`content`, `tool_calls[0].arguments`).
 */
export type LogEventMessage = {
  hash: string;
  role: string;
  toolCalls?: { id: string | null; name: string }[];
  toolCallId?: string;
  cuts?: { path: string; bytes: number }[];
};

/**
 * One GenAI event sent as a log record (collector/normalize/logs.ts), cleaned, for the model call span
 * (runId, spanId). `recordKey` identifies the record by its cleaned content, so a redelivered record is stored once.
 * system / input / output are null when the event does not provide them (not the same as an empty list).
 */
export type LogEventRow = {
  runId: string;
  spanId: string;
  recordKey: string;
  eventName: string;
  timeNs: bigint;
  /** Arrival order (collector/normalize/logs.ts): orders records sent with the same timestamp. */
  seq: bigint;
  kind: "message" | "choice" | "details";
  choiceIndex: number | null;
  system: LogEventMessage[] | null;
  input: LogEventMessage[] | null;
  output: LogEventMessage[] | null;
  finishReason: string | null;
  /** JSON text of the tool definitions (operation-details events). */
  tools: string | null;
};

export type IngestBatch = {
  projectId: string;
  steps: StepRow[];
  messages: Map<string, MessageRow>;
  agents: Map<string, AgentRow>;
  /** GenAI events sent as logs (empty for trace requests). */
  logEvents: LogEventRow[];
};

export function agentKey(serviceName: string, instanceId: string): string {
  return `${serviceName}\u0001${instanceId}`;
}
