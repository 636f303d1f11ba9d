import { randomBytes } from "node:crypto";
import { DemoSetupError } from "@/demo/target";
import {
  runFlakyAgent,
  runLoopAgent,
  runMigrationAgent,
  runResearchAgent,
  runSupportAgent,
  type AgentOptions,
  type AgentRun,
} from "@/demo/agents";

/**
 * What `npm run demo` runs: lanes run side by side, the runs of a lane one after another (a lane with a session id
 * is one conversation: its runs form a session). The slow lane is the long live run.
 */
export type PlannedRun = { agent: string; what: string; start: (o: AgentOptions) => Promise<AgentRun> };
export type Lane = { sessionId?: string; slow?: boolean; runs: PlannedRun[] };

export type PlanOptions = {
  /** Short demo: the migration runs briefly instead of for minutes. */
  once: boolean;
  /** How long the slow migration run lasts. */
  durationMs: number;
};

export const ONCE_MIGRATION_MS = 15_000;

export function demoPlan(o: PlanOptions): Lane[] {
  const session = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;
  const migrationMs = o.once ? ONCE_MIGRATION_MS : o.durationMs;
  return [
    {
      sessionId: session("support-chat"),
      runs: [
        {
          agent: "support-bot",
          what: "cracked tablet: order, policy, refund",
          start: (a) => runSupportAgent({ ...a, scenario: "damaged-item" }),
        },
        {
          agent: "support-bot",
          what: "follow-up on the refund",
          start: (a) => runSupportAgent({ ...a, scenario: "refund-followup" }),
        },
      ],
    },
    {
      sessionId: session("support-chat"),
      runs: [
        {
          agent: "support-bot",
          what: "late parcel: order, tracking",
          start: (a) => runSupportAgent({ ...a, scenario: "where-is-my-order" }),
        },
      ],
    },
    {
      sessionId: session("research"),
      runs: [
        {
          agent: "research-lead",
          what: "heat pumps brief (hands off to web-researcher)",
          start: (a) => runResearchAgent({ ...a, topic: "heat-pumps" }),
        },
        {
          agent: "research-lead",
          what: "four-day week brief (hands off to web-researcher)",
          start: (a) => runResearchAgent({ ...a, topic: "four-day-week" }),
        },
      ],
    },
    {
      runs: [
        {
          agent: "deal-finder",
          what: "stuck in a loop: search_web ×6, same query",
          start: (a) => runLoopAgent({ ...a, repeats: 6 }),
        },
        {
          agent: "deal-finder",
          what: "stuck in a loop: search_web ×8, same query",
          start: (a) => runLoopAgent({ ...a, repeats: 8 }),
        },
      ],
    },
    {
      runs: [
        {
          agent: "billing-assistant",
          what: "fetch_invoice fails 3 times, gives up (error run)",
          start: (a) => runFlakyAgent({ ...a, failures: 3 }),
        },
        {
          agent: "billing-assistant",
          what: "fetch_invoice fails once, then recovers",
          start: (a) => runFlakyAgent({ ...a, failures: 1 }),
        },
      ],
    },
    {
      slow: true,
      runs: [
        {
          agent: "data-migration",
          what: `migrates a table batch by batch for ~${Math.round(migrationMs / 1000)} s`,
          start: (a) => runMigrationAgent({ ...a, durationMs: migrationMs, ...(o.once ? { stepMs: 2_500 } : {}) }),
        },
      ],
    },
  ];
}

/** `90`, `90s`, `1500ms`, `3m` -> milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new DemoSetupError(`--duration ${value}: expected a number of seconds or e.g. 90s, 5m`);
  const n = Number(m[1]);
  return Math.round(m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000);
}
