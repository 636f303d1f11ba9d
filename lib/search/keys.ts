import { DETECTORS, SEVERITIES } from "@/lib/drift/types";

/**
 * The keys of the search language: one table read by the parser (what a key accepts), the
 * autocomplete (what to offer) and the help on the search page. Run statuses are spelled out
 * here rather than imported from the API schemas so the language has no dependency on them.
 */
export const RUN_STATUSES = ["live", "ok", "error", "paused", "killed"] as const;
export const HAS_VALUES = ["drift", "error"] as const;

export type KeyName =
  "drift" | "severity" | "agent" | "tool" | "model" | "status" | "session" | "run" | "after" | "before" | "has";

export type KeySpec = {
  name: KeyName;
  /** What the key describes: the drift point, the run, a step of the run, or the moment's time. */
  scope: "drift" | "run" | "step" | "time";
  /** Accepts >=, >, <=, < besides ":" and "=" (severity only). */
  comparisons?: boolean;
  /** Comma-separated alternatives: status:error,killed. */
  list?: boolean;
  /** A trailing * matches by prefix: agent:support-*. */
  prefix?: boolean;
  /** The only values it takes (checked by the parser, offered by autocomplete). */
  values?: readonly string[];
  /** -key:value is allowed. */
  negatable: boolean;
  description: string;
  example: string;
};

export const KEYS: readonly KeySpec[] = [
  {
    name: "drift",
    scope: "drift",
    list: true,
    values: DETECTORS,
    negatable: true,
    description: "drift detector",
    example: "drift:loop",
  },
  {
    name: "severity",
    scope: "drift",
    comparisons: true,
    list: true,
    values: SEVERITIES,
    negatable: true,
    description: "drift severity: low < medium < high < critical",
    example: "severity>=high",
  },
  {
    name: "agent",
    scope: "run",
    list: true,
    prefix: true,
    negatable: true,
    description: "agent (service name)",
    example: "agent:support-bot",
  },
  {
    name: "tool",
    scope: "step",
    list: true,
    prefix: true,
    negatable: true,
    description: "the run called this tool",
    example: "tool:send_email",
  },
  {
    name: "model",
    scope: "step",
    list: true,
    prefix: true,
    negatable: true,
    description: "the run used this model",
    example: "model:gpt-4o",
  },
  {
    name: "status",
    scope: "run",
    list: true,
    values: RUN_STATUSES,
    negatable: true,
    description: "run status",
    example: "status:error",
  },
  {
    name: "session",
    scope: "run",
    list: true,
    negatable: true,
    description: "session (conversation) id",
    example: "session:conv-42",
  },
  {
    name: "run",
    scope: "run",
    list: true,
    negatable: true,
    description: "run id or its first characters",
    example: "run:4bf92f35",
  },
  { name: "after", scope: "time", negatable: false, description: "newer than a date or an age", example: "after:2026-11-01" },
  { name: "before", scope: "time", negatable: false, description: "older than a date or an age", example: "before:24h" },
  {
    name: "has",
    scope: "run",
    values: HAS_VALUES,
    negatable: true,
    description: "has:drift (drift points only), has:error (runs with failed steps)",
    example: "has:error",
  },
];

export const KEY_NAMES: readonly KeyName[] = KEYS.map((k) => k.name);

export function keySpec(name: string): KeySpec | undefined {
  return KEYS.find((k) => k.name === name);
}

/** Examples shown on the search page and in the README. */
export const EXAMPLES: readonly { query: string; meaning: string }[] = [
  { query: "drift:loop severity>=high", meaning: "loops rated high or critical" },
  { query: "agent:support-bot status:error", meaning: "drift in the support bot's failed runs" },
  { query: 'tool:send_email "refund"', meaning: "runs that sent an email and talked about a refund" },
  { query: "drift:policy,new_egress after:7d", meaning: "policy or egress drift of the last 7 days" },
  { query: "model:gpt-4o* -status:ok", meaning: "runs on a gpt-4o model that did not end ok" },
];
