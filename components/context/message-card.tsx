import type { ContextMessage, WordChange } from "@/lib/api/step-schemas";
import { keptBytes } from "@/lib/context/cuts";
import type { MessageChange } from "@/lib/context/rows";
import { formatBytes } from "@/lib/context/summary";
import { messageText } from "@/lib/context/text";
import { CopyButton } from "@/components/step/copy-button";
import { JsonOrText, JsonView } from "@/components/step/json-view";
import { TextBlock } from "@/components/step/text-block";
import { TruncationMarker } from "@/components/step/truncation-marker";
import { RoleBadge } from "@/components/context/role-badge";
import { WordDiff } from "@/components/context/word-diff";

export type MessageCardProps = {
  message: ContextMessage;
  /** Accessible name: "message 4 tool", "previous message 2 user". */
  label: string;
  anchorId?: string;
  /** Omitted when there is nothing to compare with. */
  change?: MessageChange;
  /** Rewritten messages: the word diff against the previous version. */
  words?: WordChange[] | null;
  /** Rewritten / truncated messages: the previous version. */
  prev?: ContextMessage;
  /** Assistant messages: where each tool call's result is, by call id (an anchor id and a label). */
  results?: Map<string, { anchorId: string; label: string }>;
  /** Tool messages: the decision that asked for this result. */
  resultOf?: { anchorId: string; label: string };
  /** Characters shown before folding long content. */
  foldAt?: number;
};

const FRAME: Record<MessageChange, string> = {
  unchanged: "border-zinc-200 dark:border-zinc-800",
  added: "border-emerald-400 bg-emerald-50/60 dark:border-emerald-700 dark:bg-emerald-950/30",
  removed: "border-red-300 bg-red-50/60 dark:border-red-900 dark:bg-red-950/30",
  rewritten: "border-sky-300 bg-sky-50/50 dark:border-sky-800 dark:bg-sky-950/30",
  truncated: "border-amber-300 bg-amber-50/50 dark:border-amber-800 dark:bg-amber-950/30",
};
const MARK: Record<Exclude<MessageChange, "unchanged">, [string, string]> = {
  added: ["+ added", "text-emerald-700 dark:text-emerald-400"],
  removed: ["− removed", "text-red-700 dark:text-red-400"],
  rewritten: ["~ rewritten", "text-sky-700 dark:text-sky-400"],
  truncated: ["✂ truncated", "text-amber-700 dark:text-amber-400"],
};

/** One message of a model call's context: role, content, tool calls and results, and how it changed. */
export function MessageCard(p: MessageCardProps) {
  const m = p.message;
  const change = p.change;
  return (
    <article
      aria-label={p.label}
      id={p.anchorId}
      data-diff={change}
      data-role={m.role}
      className={`scroll-mt-4 rounded-md border px-3 py-2 ${FRAME[change ?? "unchanged"]}`}
    >
      <header className="mb-1 flex flex-wrap items-center gap-2 text-[11px]">
        <RoleBadge role={m.role} />
        {m.name && <span className="font-mono text-zinc-500">{m.name}</span>}
        {change && change !== "unchanged" && <span className={`font-semibold ${MARK[change][1]}`}>{MARK[change][0]}</span>}
        {change === "truncated" && p.prev && (
          <span className="text-amber-700 dark:text-amber-400">
            since the previous call: {formatBytes(p.prev.byteSize)} → {formatBytes(m.byteSize)}
          </span>
        )}
        {m.cuts.map((c) => (
          <TruncationMarker key={c.path} what={c.path} fullBytes={c.bytes} keptBytes={keptBytes(m, c.path)} />
        ))}
        {m.truncated && m.cuts.length === 0 && <TruncationMarker fullBytes={m.byteSize} keptBytes={null} what="cut at ingest;" />}
        <span className="ml-auto text-zinc-500 tabular-nums">{formatBytes(m.byteSize)}</span>
        <CopyButton text={messageText(m)} />
      </header>
      <div className={change === "removed" ? "text-zinc-500 line-through decoration-red-400" : ""}>
        {change === "rewritten" && p.words ? <WordDiff words={p.words} /> : <MessageContent message={m} foldAt={p.foldAt} />}
      </div>
      {m.toolCalls.length > 0 && (
        <ul aria-label="tool calls" className="mt-2 space-y-1">
          {m.toolCalls.map((c, i) => {
            const result = c.id ? p.results?.get(c.id) : undefined;
            return (
              <li key={i} className="rounded bg-white/60 px-2 py-1 ring-1 ring-zinc-200 dark:bg-zinc-900/60 dark:ring-zinc-800">
                <div className="flex flex-wrap items-center gap-2 text-xs">
                  <span className="font-mono font-semibold">→ {c.name}</span>
                  {c.id && <span className="font-mono text-[11px] text-zinc-500">{c.id}</span>}
                  {result && (
                    <a
                      href={`#${result.anchorId}`}
                      className="ml-auto text-[11px] text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {result.label}
                    </a>
                  )}
                </div>
                <JsonOrText text={c.arguments} />
              </li>
            );
          })}
        </ul>
      )}
      {m.toolCallId && (
        <p className="mt-1 text-[11px] text-zinc-500">
          {p.resultOf ? (
            <a href={`#${p.resultOf.anchorId}`} className="text-sky-700 hover:underline dark:text-sky-400">
              {p.resultOf.label}
            </a>
          ) : (
            "result of"
          )}{" "}
          <span className="font-mono">({m.toolCallId})</span>
        </p>
      )}
    </article>
  );
}

function MessageContent({ message, foldAt }: { message: ContextMessage; foldAt?: number }) {
  const c = message.content;
  if (c === null) return message.toolCalls.length ? null : <p className="text-xs text-zinc-400 italic">(no content)</p>;
  if (typeof c === "string") return message.role === "tool" ? <JsonOrText text={c} /> : <TextBlock text={c} limit={foldAt} />;
  return (
    <div className="space-y-1">
      {c.map((part, i) => {
        const text = textPart(part);
        return text !== null ? <TextBlock key={i} text={text} limit={foldAt} /> : <JsonView key={i} value={part} />;
      })}
    </div>
  );
}

function textPart(part: unknown): string | null {
  if (typeof part === "string") return part;
  if (typeof part !== "object" || part === null) return null;
  const p = part as Record<string, unknown>;
  return p.type === "text" && typeof p.text === "string" ? p.text : null;
}
