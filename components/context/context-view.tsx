"use client";

import { useState, type ReactNode } from "react";
import type { ContextDiff, ContextMessage, StepDetail } from "@/lib/api/step-schemas";
import { contextRows, toolCallLinks } from "@/lib/context/rows";
import { summarizeDiff } from "@/lib/context/summary";
import { MessageCard } from "@/components/context/message-card";
import { ModelParameters } from "@/components/context/model-parameters";
import { ToolDefinitions } from "@/components/context/tool-definitions";
import { WordDiff } from "@/components/context/word-diff";

export type ContextViewProps = {
  /** The messages the model saw, in order (StepDetail.inputMessages). */
  messages: ContextMessage[];
  /** The diff against the previous call (StepDetail.contextDiff); null shows the context unmarked. */
  diff: ContextDiff | null;
  tools?: unknown[];
  parameters?: Record<string, unknown>;
  /** The call compared with, named in the summary and selectable. */
  previous?: StepDetail["previous"];
  onSelectStep?: (spanId: string) => void;
  /** Extra controls at the right of the header (e.g. the export button). */
  actions?: ReactNode;
  /** Prefix of anchor ids, unique per page (two contexts side by side need different ones). */
  anchorPrefix?: string;
  /** "changes" folds unchanged messages; default: "changes" when there is a previous call. */
  defaultMode?: "full" | "changes";
};

/** Unchanged messages are folded shorter than changed ones: the eye goes to what is new. */
const FOLD_UNCHANGED = 600;
const FOLD_CHANGED = 4000;

/**
 * The context of one model call: every message with its role, content, tool calls (linked to their
 * results by call id) and, against the previous call, what was added, removed, rewritten (word diff)
 * or truncated, plus a system-prompt banner and a one-line summary. Tools and parameters below.
 */
export function ContextView({
  messages,
  diff,
  tools = [],
  parameters = {},
  previous,
  onSelectStep,
  actions,
  anchorPrefix = "ctx",
  defaultMode,
}: ContextViewProps) {
  const comparable = !!diff?.hasPrevious;
  const [mode, setMode] = useState<"full" | "changes">(defaultMode ?? (comparable ? "changes" : "full"));
  const onlyChanges = comparable && mode === "changes";
  const rows = contextRows(messages, diff, onlyChanges);
  const { resultAt, callAt } = toolCallLinks(messages);
  const anchor = (i: number) => `${anchorPrefix}-m${i}`;
  const results = new Map(
    [...resultAt].map(([id, i]) => [id, { anchorId: anchor(i), label: `result: message ${i + 1}` }] as const),
  );

  return (
    <section aria-label="Context" className="space-y-3">
      <header className="flex flex-wrap items-center gap-2 text-xs">
        {diff && (
          <p aria-label="Context diff summary" className="font-medium tabular-nums">
            {summarizeDiff(diff)}
          </p>
        )}
        {previous && (
          <span className="text-zinc-500">
            vs{" "}
            {onSelectStep ? (
              <button
                type="button"
                onClick={() => onSelectStep(previous.spanId)}
                className="text-sky-700 hover:underline dark:text-sky-400"
              >
                {previous.name || previous.spanId}
              </button>
            ) : (
              previous.name || previous.spanId
            )}
            {previous.agent ? ` (${previous.agent})` : ""}
          </span>
        )}
        <span className="ml-auto flex items-center gap-2">
          {comparable && (
            <span
              role="group"
              aria-label="Context display"
              className="inline-flex overflow-hidden rounded-md ring-1 ring-zinc-300 dark:ring-zinc-700"
            >
              {(["changes", "full"] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  aria-pressed={mode === m}
                  onClick={() => setMode(m)}
                  className={`px-2 py-1 ${mode === m ? "bg-zinc-800 text-white dark:bg-zinc-200 dark:text-zinc-900" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
                >
                  {m === "changes" ? "Only changes" : "Full context"}
                </button>
              ))}
            </span>
          )}
          {actions}
        </span>
      </header>

      {diff?.systemPrompt.changed && (
        <div
          role="status"
          aria-label="System prompt changed"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
        >
          <p className="mb-1 text-xs font-semibold">System prompt changed since the previous call</p>
          {diff.systemPrompt.words ? (
            <WordDiff words={diff.systemPrompt.words} />
          ) : (
            <p className="text-xs">Too large to compare word by word: see the system messages below.</p>
          )}
        </div>
      )}

      {messages.length === 0 && !diff?.counts.removed && (
        <p className="text-xs text-zinc-500">No input messages were recorded for this call.</p>
      )}
      <ol className="space-y-2">
        {rows.map((r) =>
          r.type === "gap" ? (
            <li key={r.key}>
              <button
                type="button"
                onClick={() => setMode("full")}
                className="w-full rounded-md border border-dashed border-zinc-300 px-3 py-1 text-left text-xs text-zinc-500 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800/50"
              >
                ⋯ {r.count} unchanged {r.count === 1 ? "message" : "messages"} (show full context)
              </button>
            </li>
          ) : (
            <li key={r.key}>
              <MessageCard
                message={r.message}
                label={r.label}
                anchorId={r.index !== null ? anchor(r.index) : undefined}
                change={r.change}
                words={r.words}
                prev={r.prev}
                results={r.index !== null && r.message.toolCalls.length ? results : undefined}
                resultOf={resultOfLink(r.message, r.index, callAt, anchor)}
                foldAt={r.change === undefined || r.change === "unchanged" ? FOLD_UNCHANGED : FOLD_CHANGED}
              />
            </li>
          ),
        )}
      </ol>

      <ToolDefinitions tools={tools} />
      <ModelParameters parameters={parameters} />
    </section>
  );
}

function resultOfLink(
  message: ContextMessage,
  index: number | null,
  callAt: Map<string, { index: number; name: string }>,
  anchor: (i: number) => string,
) {
  if (index === null || message.toolCallId === null) return undefined;
  const call = callAt.get(message.toolCallId);
  return call ? { anchorId: anchor(call.index), label: `result of ${call.name} (message ${call.index + 1})` } : undefined;
}
