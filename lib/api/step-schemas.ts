import { z } from "zod";
import { stepSummary } from "@/lib/api/schemas";

/**
 * Shapes of the step detail and context endpoints, shared by the route handlers, the UI and tests:
 * GET /api/v1/runs/{runId}/steps/{spanId} (one step with its bodies and the context diff) and
 * GET /api/v1/runs/{runId}/context (the context size per LLM step).
 */

export const toolCall = z.object({ id: z.string().nullable(), name: z.string(), arguments: z.string() });

/** A value cut at ingest: where (relative to its owner, e.g. "content") and its size before the cut. */
export const cut = z.object({ path: z.string(), bytes: z.number() });
export type Cut = z.infer<typeof cut>;

/** One stored message (messages table), resolved from a step's context_hashes / output_hashes. */
export const contextMessage = z.object({
  hash: z.string(),
  role: z.string(),
  /** Text, or the raw parts when any part is not text (images, reasoning…), or null (only tool calls). */
  content: z.union([z.string(), z.array(z.unknown())]).nullable(),
  toolCalls: z.array(toolCall),
  toolCallId: z.string().nullable(),
  name: z.string().nullable(),
  /** Size of the stored canonical JSON. */
  byteSize: z.number(),
  truncated: z.boolean(),
  /** This step's record of what was cut in this message, with the original sizes. */
  cuts: z.array(cut),
});
export type ContextMessage = z.infer<typeof contextMessage>;

export const wordChange = z.object({ op: z.enum(["equal", "add", "remove"]), text: z.string() });
export type WordChange = z.infer<typeof wordChange>;

/**
 * One line of the context diff, in display order. `index` points into the step's inputMessages and
 * `prevIndex` into the previous call's context; messages of the previous call are carried inline (`prev`).
 */
export const diffEntry = z.discriminatedUnion("change", [
  z.object({ change: z.literal("unchanged"), index: z.number() }),
  z.object({ change: z.literal("added"), index: z.number() }),
  z.object({ change: z.literal("removed"), prevIndex: z.number(), prev: contextMessage }),
  /** Same role and position, different content; `words` is null when the texts are too large to diff. */
  z.object({
    change: z.literal("rewritten"),
    index: z.number(),
    prevIndex: z.number(),
    prev: contextMessage,
    words: z.array(wordChange).nullable(),
  }),
  /** Same role and position, content cut short (a prefix, an elision marker, or flagged truncated). */
  z.object({ change: z.literal("truncated"), index: z.number(), prevIndex: z.number(), prev: contextMessage }),
]);
export type DiffEntry = z.infer<typeof diffEntry>;

const growth = z.object({ before: z.number(), after: z.number(), delta: z.number() });

export const contextDiff = z.object({
  /** False for the first model call of its agent: everything is "added". */
  hasPrevious: z.boolean(),
  entries: z.array(diffEntry),
  counts: z.object({
    unchanged: z.number(),
    added: z.number(),
    removed: z.number(),
    rewritten: z.number(),
    truncated: z.number(),
  }),
  /** Added messages per role ("tool" = tool results). */
  addedByRole: z.record(z.string(), z.number()),
  systemPrompt: z.object({ changed: z.boolean(), words: z.array(wordChange).nullable() }),
  messages: growth,
  bytes: growth,
  tokens: z.object({ before: z.number().nullable(), after: z.number().nullable(), delta: z.number().nullable() }),
});
export type ContextDiff = z.infer<typeof contextDiff>;

export const exceptionInfo = z.object({
  type: z.string().nullable(),
  message: z.string().nullable(),
  stacktrace: z.string().nullable(),
});

export const stepEvent = z.object({
  name: z.string(),
  timeNs: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  /** Set for OTel exception events (name "exception"). */
  exception: exceptionInfo.nullable(),
});
export type StepEvent = z.infer<typeof stepEvent>;

export const stepLink = z.object({ traceId: z.string(), spanId: z.string(), attributes: z.record(z.string(), z.unknown()) });

/** A stored body (tool arguments/result, chain input/output). `fullBytes` is the size before capping, when capped. */
export const payload = z.object({ text: z.string(), bytes: z.number(), fullBytes: z.number().nullable() });
export type Payload = z.infer<typeof payload>;

export const stepColumns = stepSummary.extend({
  scopeName: z.string().nullable(),
  spanKind: z.number(),
  totalTokens: z.number().nullable(),
});

export const previousCall = z.object({
  spanId: z.string(),
  name: z.string(),
  startNs: z.string(),
  agent: z.string().nullable(),
  inputTokens: z.number().nullable(),
});

export const stepDetail = z.object({
  runId: z.string(),
  step: stepColumns,
  /** The agent the step ran in: its own agent name, else its nearest ancestor's. */
  agent: z.string().nullable(),
  /** Attributes not lifted into columns, without Causeway's own annotations (returned below). */
  attributes: z.record(z.string(), z.unknown()),
  /** Tool definitions offered to the model, as sent. */
  tools: z.array(z.unknown()),
  /** Model parameters (temperature, max_tokens…). */
  parameters: z.record(z.string(), z.unknown()),
  finishReason: z.string().nullable(),
  /** Every value cut at ingest, with its path in the span and its original size. */
  truncated: z.array(cut),
  /** Raw attributes dropped because they repeated the parsed conversation. */
  omitted: z.array(z.string()),
  events: z.array(stepEvent),
  links: z.array(stepLink),
  input: payload.nullable(),
  output: payload.nullable(),
  inputMessages: z.array(contextMessage),
  outputMessages: z.array(contextMessage),
  /** LLM steps: the model call this one is compared with (same agent preferred). */
  previous: previousCall.nullable(),
  /** LLM steps: the context diff against `previous` (all "added" when there is none); null for other kinds. */
  contextDiff: contextDiff.nullable(),
});
export type StepDetail = z.infer<typeof stepDetail>;

/** One point of the "context size per step" chart. */
export const contextPoint = z.object({
  spanId: z.string(),
  startNs: z.string(),
  agentName: z.string().nullable(),
  messageCount: z.number(),
  /** Sum of the stored sizes of the messages in the context. */
  bytes: z.number(),
  inputTokens: z.number().nullable(),
});
export type ContextPoint = z.infer<typeof contextPoint>;

export const contextSeries = z.object({ runId: z.string(), points: z.array(contextPoint) });
export type ContextSeries = z.infer<typeof contextSeries>;
