import { mergeGenAiEventParts, type OrderedPart } from "@/lib/conventions/genai-logs";
import type { LogEventMessage } from "@/collector/normalize/batch";
import { stepFacts } from "@/collector/normalize/facts";

/**
 * A model call's step with its GenAI log events applied: the messages the events carry fill in what the span
 * itself did not carry, so the step reads as if the span had carried them (context, output, causal facts,
 * cuts, finish reason, tool definitions). Pure: the store reads the step and all its events, calls this, and
 * writes the result (collector/store/log-events.ts). Recomputed from all the events every time, so records can
 * arrive in any order and any number of requests, before or after the span.
 *
 * The span's own messages win (its attributes are the newer form): a side (input / output) is taken from the
 * events only when the span left it empty. Which sides came from events is kept in the step's attributes as
 * `causeway.log_events`, so a later event can replace what earlier events gave, never what the span gave.
 */
export type LogEventsMarker = { records: number; input: boolean; output: boolean; finishReason: boolean; tools: boolean };

export type Cut = { path: string; bytes: number };

/** The parts of a stored step that log events can change. */
export type StepMessages = {
  contextHashes: string[];
  outputHashes: string[];
  callIds: string[];
  callNames: string[];
  toolResultIds: string[];
  /** attributes."causeway.truncated" */
  truncated: Cut[];
  /** attributes."causeway.finish_reason" */
  finishReason: string | null;
  /** attributes."causeway.tools" */
  tools: unknown;
  /** attributes."causeway.log_events" */
  marker: LogEventsMarker | null;
};

export type StoredLogEvent = OrderedPart<LogEventMessage, unknown>;

const NO_MARKER: LogEventsMarker = { records: 0, input: false, output: false, finishReason: false, tools: false };

/** The step after applying all its events, or null when nothing changes (a redelivery). */
export function applyLogEvents(step: StepMessages, events: readonly StoredLogEvent[]): StepMessages | null {
  const merged = mergeGenAiEventParts(events);
  const was = step.marker ?? NO_MARKER;
  const next: StepMessages = { ...step, marker: { ...was, records: events.length } };
  const marker = next.marker!;

  if (merged.input && !(step.contextHashes.length > 0 && !was.input)) {
    next.contextHashes = merged.input.map((m) => m.hash);
    next.toolResultIds = stepFacts(merged.input, []).toolResultIds;
    next.truncated = [...next.truncated.filter((c) => !c.path.startsWith("input_messages[")), ...cutsOf("input", merged.input)];
    marker.input = true;
  }
  if (merged.output && !(step.outputHashes.length > 0 && !was.output)) {
    next.outputHashes = merged.output.map((m) => m.hash);
    const facts = stepFacts([], merged.output);
    next.callIds = facts.callIds;
    next.callNames = facts.callNames;
    next.truncated = [
      ...next.truncated.filter((c) => !c.path.startsWith("output_messages[")),
      ...cutsOf("output", merged.output),
    ];
    marker.output = true;
  }
  if (merged.finishReason && (step.finishReason === null || was.finishReason)) {
    next.finishReason = merged.finishReason;
    marker.finishReason = true;
  }
  if (merged.tools !== undefined && (step.tools === null || step.tools === undefined || was.tools)) {
    next.tools = merged.tools;
    marker.tools = true;
  }
  return JSON.stringify(next) === JSON.stringify(step) ? null : next;
}

/** The messages' cuts with step paths (`input_messages[3].content`), as the span path records them. */
function cutsOf(side: "input" | "output", messages: LogEventMessage[]): Cut[] {
  return messages.flatMap((m, i) => (m.cuts ?? []).map((c) => ({ path: `${side}_messages[${i}].${c.path}`, bytes: c.bytes })));
}
