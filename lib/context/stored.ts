import type { ContextMessage, Cut, StepEvent } from "@/lib/api/step-schemas";

/**
 * Readers for what the collector stored as JSON (attributes with Causeway's annotations, events,
 * canonical messages). Stored data comes from untrusted spans and older collector versions, so
 * every reader checks shapes and degrades to empty values instead of throwing.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : v === undefined || v === null ? null : JSON.stringify(v));

/** Annotations the normalize stage adds to a step's attributes (collector/normalize/normalize.ts). */
export const ANNOTATIONS = {
  tools: "causeway.tools",
  parameters: "causeway.parameters",
  finishReason: "causeway.finish_reason",
  handoffTo: "causeway.handoff_to",
  truncated: "causeway.truncated",
  omitted: "causeway.omitted",
  /** Which message sides came from GenAI events sent as logs (collector/normalize/log-events.ts): bookkeeping, not shown. */
  logEvents: "causeway.log_events",
} as const;
const ANNOTATION_KEYS: ReadonlySet<string> = new Set(Object.values(ANNOTATIONS));

export type Annotations = {
  attributes: Json;
  tools: unknown[];
  parameters: Json;
  finishReason: string | null;
  truncated: Cut[];
  omitted: string[];
};

/** Splits Causeway's annotations out of a step's attributes. */
export function readAnnotations(raw: unknown): Annotations {
  const all = isObject(raw) ? raw : {};
  const attributes: Json = {};
  for (const key in all) if (!ANNOTATION_KEYS.has(key)) attributes[key] = all[key];
  const tools = all[ANNOTATIONS.tools];
  const parameters = all[ANNOTATIONS.parameters];
  const finishReason = all[ANNOTATIONS.finishReason];
  const omitted = all[ANNOTATIONS.omitted];
  return {
    attributes,
    tools: Array.isArray(tools) ? tools : [],
    parameters: isObject(parameters) ? parameters : {},
    finishReason: typeof finishReason === "string" ? finishReason : null,
    truncated: readCuts(all[ANNOTATIONS.truncated]),
    omitted: Array.isArray(omitted) ? omitted.filter((k): k is string => typeof k === "string") : [],
  };
}

export function readCuts(raw: unknown): Cut[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c) =>
    isObject(c) && typeof c.path === "string" && typeof c.bytes === "number" ? [{ path: c.path, bytes: c.bytes }] : [],
  );
}

/** Span events; OTel exception events (`exception.type/message/stacktrace`) get their fields lifted. */
export function readEvents(raw: unknown): StepEvent[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((e) => {
    const attributes = isObject(e.attributes) ? e.attributes : {};
    const name = typeof e.name === "string" ? e.name : "";
    return {
      name,
      timeNs: typeof e.timeNs === "string" && /^\d+$/.test(e.timeNs) ? e.timeNs : "0",
      attributes,
      exception:
        name === "exception"
          ? {
              type: str(attributes["exception.type"]),
              message: str(attributes["exception.message"]),
              stacktrace: str(attributes["exception.stacktrace"]),
            }
          : null,
    };
  });
}

export function readLinks(raw: unknown): { traceId: string; spanId: string; attributes: Json }[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((l) => ({
    traceId: String(l.traceId ?? ""),
    spanId: String(l.spanId ?? ""),
    attributes: isObject(l.attributes) ? l.attributes : {},
  }));
}

export type StoredMessage = { role: string; content: unknown; byteSize: number; truncated: boolean };

/** A messages-table row as a context message; a hash with no row (should not happen) stays visible as "unknown". */
export function readMessage(hash: string, row: StoredMessage | undefined, cuts: Cut[] = []): ContextMessage {
  const body = isObject(row?.content) ? row.content : {};
  const content = body.content;
  const calls = Array.isArray(body.tool_calls) ? body.tool_calls.filter(isObject) : [];
  return {
    hash,
    role: row?.role ?? "unknown",
    content: typeof content === "string" || Array.isArray(content) ? content : content == null ? null : JSON.stringify(content),
    toolCalls: calls.map((c) => ({
      id: typeof c.id === "string" ? c.id : null,
      name: typeof c.name === "string" ? c.name : "",
      arguments: typeof c.arguments === "string" ? c.arguments : (str(c.arguments) ?? ""),
    })),
    toolCallId: typeof body.tool_call_id === "string" ? body.tool_call_id : null,
    name: typeof body.name === "string" ? body.name : null,
    byteSize: row?.byteSize ?? 0,
    truncated: row?.truncated ?? false,
    cuts,
  };
}
