import type { DriftStep } from "@/lib/drift/types";

/**
 * Views of a run's steps that several detectors share: its tool calls (with
 * arguments normalized so that key order and whitespace do not hide a repeat) and
 * readable fragments for summaries.
 */
export type ToolCall = {
  step: DriftStep;
  tool: string;
  /** Canonical arguments: sorted keys, no insignificant whitespace; "" when none were recorded. */
  args: string;
  failed: boolean;
  /** What the call returned, as a comparable key: the result digest, or the error. */
  outcome: string;
};

/**
 * The run's tool calls in order. A tool step nested in a tool step of the same name is
 * one call reported by two instrumentations (a framework's execute_tool around an MCP
 * tools/call): counting both would make one call look like a repeat.
 */
export function toolCalls(steps: readonly DriftStep[]): ToolCall[] {
  const byId = new Map(steps.map((s) => [s.spanId, s]));
  const calls: ToolCall[] = [];
  for (const step of steps) {
    if (step.kind !== "tool") continue;
    const tool = step.toolName ?? step.name;
    const parent = step.parentSpanId === null ? undefined : byId.get(step.parentSpanId);
    if (parent?.kind === "tool" && (parent.toolName ?? parent.name) === tool) continue;
    const failed = step.status === "error";
    calls.push({
      step,
      tool,
      args: normalizeArguments(step.toolArguments),
      failed,
      outcome: failed ? `error:${step.statusMessage ?? ""}` : `ok:${step.resultDigest ?? "?"}`,
    });
  }
  return calls;
}

/** JSON arguments in canonical form; other text with its whitespace collapsed. */
export function normalizeArguments(raw: string | null): string {
  if (raw === null) return "";
  const text = raw.trim();
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.stringify(canonical(JSON.parse(text)));
    } catch {
      // not JSON after all: compare as text
    }
  }
  return text.replace(/\s+/g, " ");
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  // Whitespace inside values is not meaning either: "refund  policy " asks the same as "refund policy".
  return typeof value === "string" ? value.trim().replace(/\s+/g, " ") : value;
}

/** `{q: 'refund policy', page: 2}`: short, readable, never longer than `max`. */
export function previewArguments(args: string, max = 80): string {
  if (args === "") return "no arguments";
  if (args.startsWith("md5:")) return "the same long arguments";
  let text: string;
  try {
    text = preview(JSON.parse(args));
  } catch {
    text = args;
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function preview(value: unknown): string {
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(preview).join(", ")}]`;
  if (value && typeof value === "object")
    return `{${Object.entries(value)
      .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${preview(v)}`)
      .join(", ")}}`;
  return String(value);
}

/** "step 7" or "steps 7–15". */
export function stepRange(steps: readonly DriftStep[]): string {
  const first = steps[0]!.index;
  const last = steps.at(-1)!.index;
  return first === last ? `step ${first}` : `steps ${first}–${last}`;
}

/** Evidence lists are capped: a 10,000-call loop needs its first and last steps, not all of them. */
export function capList<T>(items: readonly T[], max = 50): T[] {
  return items.length <= max ? [...items] : [...items.slice(0, max - 1), items.at(-1)!];
}

export function spanIdsOf(steps: readonly DriftStep[]): string[] {
  return capList(steps.map((s) => s.spanId));
}

/** Severity from a count with two escalation points. */
export function escalate(n: number, highAt: number, criticalAt: number): "medium" | "high" | "critical" {
  return n >= criticalAt ? "critical" : n >= highAt ? "high" : "medium";
}

/** Matches tool names against patterns where `*` stands for any characters. */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(name));
}

const globCache = new Map<string, RegExp>();
function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.split("*").map(escapeRegExp).join(".*")}$`);
    globCache.set(glob, re);
  }
  return re;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** "https://API.example.com:8443/v1?q" → "api.example.com"; a bare server.address is taken as the host. */
export function hostOf(target: string): string | null {
  const text = target.trim();
  if (text === "") return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const host = new URL(text).hostname.toLowerCase();
      return host.replace(/^\[(.*)\]$/, "$1") || null;
    } catch {
      return null;
    }
  }
  // server.address / net.peer.name: a host name, maybe with a port or a path; a bare IPv6 address has several colons.
  const bare = text.split("/")[0]!;
  const bracketed = /^\[([^\]]+)\]/.exec(bare);
  if (bracketed) return bracketed[1]!.toLowerCase();
  const host = (bare.indexOf(":") !== bare.lastIndexOf(":") ? bare : bare.replace(/:\d+$/, "")).toLowerCase();
  return host || null;
}
