import { diffWords } from "diff";
import type { ContextMessage, WordChange } from "@/lib/api/step-schemas";
import { messageText } from "@/lib/context/text";

/**
 * Content comparisons behind the context diff: is a message a cut-down copy of another, and
 * what words changed between two texts.
 */

/** Markers truncating tools and frameworks append: "…[truncated]" (ours), "... [trimmed 4000 chars]", "…". */
const TRAILING_MARKER = /\s*(?:…|\.\.\.)?\s*(?:\[[^\]\n]{0,80}\]|\([^)\n]{0,80}\))?\s*$/;
const ELISION = /(?:…|\.\.\.|\[[^\]\n]*(?:truncat|trimm|omit|elid|cleared|removed)[^\]\n]*\])/i;
const MARKER_WINDOW = 200;
/** Share of the shorter text that must come from the longer one (kept head + kept tail). */
const KEPT_SHARE = 0.8;

/**
 * True when `after` is `before` cut short: flagged truncated at ingest (and `before` was not), or its
 * text is shorter and is a prefix of the old text (a trailing marker aside), or keeps the old text's
 * head and tail around an elision.
 */
export function isTruncation(before: ContextMessage, after: ContextMessage): boolean {
  if (after.truncated && !before.truncated) return true;
  const a = messageText(before);
  const b = messageText(after);
  if (b.length === 0 || b.length >= a.length) return false;
  // Markers sit at the end and are short: matching only the last characters keeps the regexes linear on untrusted text.
  const core = b.slice(0, -MARKER_WINDOW) + b.slice(-MARKER_WINDOW).replace(TRAILING_MARKER, "");
  if (core.length > 0 && a.startsWith(core)) return true;
  const head = commonPrefix(a, b);
  const tail = commonSuffix(a, b, head);
  if (head + tail < KEPT_SHARE * b.length) return false;
  if (tail === 0) return true;
  const middle = b.slice(head, b.length - tail);
  return middle.length <= MARKER_WINDOW && ELISION.test(middle);
}

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Common suffix length that does not overlap the `skip` characters already matched at the start. */
function commonSuffix(a: string, b: string, skip: number): number {
  const max = Math.min(a.length, b.length) - skip;
  let i = 0;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** Texts longer than this (together) are not word-diffed: the UI shows both versions instead. */
const MAX_WORD_DIFF_CHARS = 200_000;
/** Give up when the texts differ in more than this many words: a word diff of unrelated texts is noise. */
const MAX_EDIT_LENGTH = 4_000;

/** Word-level changes from `before` to `after`, or null when the texts are too large or too different. */
export function wordDiff(before: string, after: string): WordChange[] | null {
  if (before.length + after.length > MAX_WORD_DIFF_CHARS) return null;
  const changes = diffWords(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return null;
  const out: WordChange[] = [];
  for (const c of changes) {
    const op = c.added ? "add" : c.removed ? "remove" : "equal";
    const last = out.at(-1);
    if (last?.op === op) last.text += c.value;
    else if (c.value) out.push({ op, text: c.value });
  }
  return out;
}
