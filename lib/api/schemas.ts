import { z } from "zod";
import { ROLES, SCOPES } from "@/lib/auth/access";
import { DEFAULT_RUN_SORT, RUN_SORTS, SORT_ORDERS } from "@/lib/runs/sort";

/** Request and response shapes of the REST API, shared by route handlers, the UI and tests. */

export const RUN_STATUSES = ["live", "ok", "error", "paused", "killed"] as const;
export const runStatus = z.enum(RUN_STATUSES);

export const runSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: runStatus,
  agent: z.object({ id: z.string(), serviceName: z.string(), instanceId: z.string() }).nullable(),
  sessionId: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  lastActivityAt: z.string(),
  stepCount: z.number(),
  llmCallCount: z.number(),
  toolCallCount: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
  errorCount: z.number(),
  driftCount: z.number(),
});
export type RunSummary = z.infer<typeof runSummary>;

export const STEP_KINDS = ["llm", "tool", "agent", "retrieval", "guardrail", "chain", "other"] as const;
export const STEP_STATUSES = ["unset", "ok", "error"] as const;
export const CAUSAL_EDGE_KINDS = ["tool_call", "tool_result", "handoff"] as const;

/** A step as the run view needs it: no bodies (those load when a step is opened). Times are ns since the epoch, as strings. */
export const stepSummary = z.object({
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  kind: z.enum(STEP_KINDS),
  name: z.string(),
  family: z.string(),
  status: z.enum(STEP_STATUSES),
  statusMessage: z.string().nullable(),
  startNs: z.string(),
  endNs: z.string().nullable(),
  agentName: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  toolName: z.string().nullable(),
  toolCallId: z.string().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  handoffTo: z.string().nullable(),
  contextSize: z.number(),
});
export type StepSummary = z.infer<typeof stepSummary>;

export const causalEdge = z.object({
  from: z.string(),
  to: z.string(),
  kind: z.enum(CAUSAL_EDGE_KINDS),
  via: z.string().nullable(),
});

export const driftPoint = z.object({
  id: z.string(),
  spanId: z.string(),
  detector: z.string(),
  severity: z.enum(["low", "medium", "high", "critical"]),
  score: z.number(),
  summary: z.string(),
  createdAt: z.string(),
});

/**
 * What the run view works with. On the wire (GET /api/v1/runs/{runId}) it travels in
 * columns: lib/api/run-detail-wire.ts (`runDetailResponse` validates and decodes).
 */
export const runDetail = z.object({
  run: runSummary,
  steps: z.array(stepSummary),
  edges: z.array(causalEdge),
  driftPoints: z.array(driftPoint),
});
export type RunDetail = z.infer<typeof runDetail>;

export const runPage = z.object({ runs: z.array(runSummary), nextCursor: z.string().nullable() });
export type RunPage = z.infer<typeof runPage>;

/** An agent: a process (service.name + service.instance.id, "" when the SDK sent none) that executes runs. */
export const agentSummary = z.object({
  id: z.string(),
  serviceName: z.string(),
  instanceId: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});
export type AgentSummary = z.infer<typeof agentSummary>;

/** GET /api/v1/agents: by service name, then the most recently seen instance first; `truncated` past the cap. */
export const agentList = z.object({ agents: z.array(agentSummary), truncated: z.boolean() });
export type AgentList = z.infer<typeof agentList>;

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

export const runListQuery = z.object({
  project: z.string().default("default"),
  status: csv(runStatus).optional(),
  agent: z.string().uuid().optional(),
  session: z.string().max(512).optional(),
  /** The column to order by; ties go by run id, in the same direction. */
  sort: z.enum(RUN_SORTS).default(DEFAULT_RUN_SORT.sort),
  order: z.enum(SORT_ORDERS).default(DEFAULT_RUN_SORT.order),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type RunListQuery = z.infer<typeof runListQuery>;

/** How many distinct agent names a session row carries (agentCount has the total). */
export const SESSION_AGENT_NAMES = 3;

/**
 * Runs that share a conversation/session id. firstSeenAt/lastSeenAt are when Causeway
 * received the session's spans (the list's order); startedAt/lastActivityAt are the
 * agent's clock over its runs. The counts add up the session's runs.
 */
export const sessionSummary = z.object({
  id: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  startedAt: z.string().nullable(),
  lastActivityAt: z.string().nullable(),
  runCount: z.number(),
  liveRunCount: z.number(),
  errorRunCount: z.number(),
  stepCount: z.number(),
  llmCallCount: z.number(),
  toolCallCount: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
  errorCount: z.number(),
  driftCount: z.number(),
  /** Up to SESSION_AGENT_NAMES distinct service names, alphabetical. */
  agents: z.array(z.string()),
  agentCount: z.number(),
});
export type SessionSummary = z.infer<typeof sessionSummary>;

export const sessionPage = z.object({ sessions: z.array(sessionSummary), nextCursor: z.string().nullable() });
export type SessionPage = z.infer<typeof sessionPage>;

export const sessionListQuery = z.object({
  project: z.string().default("default"),
  /** Session ids starting with this text (case-sensitive). */
  q: z.string().max(512).optional(),
  // A cursor carries a session id, which can be long.
  cursor: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SessionListQuery = z.infer<typeof sessionListQuery>;

export const role = z.enum(ROLES);
export const scope = z.enum(SCOPES);

export const userView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
  disabled: z.boolean(),
});

const password = z.string().min(10, "must be at least 10 characters").max(200);
export const createUserBody = z.object({
  email: z.string().email().max(254),
  name: z.string().trim().min(1).max(100),
  password,
  role,
});
export const updateUserBody = z
  .object({
    role: role.optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().min(1).max(100).optional(),
    password: password.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "nothing to update");

export const setupBody = z.object({
  email: z.string().email().max(254),
  name: z.string().trim().min(1).max(100),
  password,
  code: z.string().max(200).optional(),
});

export const signInBody = z.union([
  z.object({ email: z.string().email().max(254), password: z.string().min(1).max(200) }),
  z.object({ token: z.string().min(1).max(500) }),
]);

export const apiKeyView = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(scope),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(scope).min(1, "choose at least one scope"),
});

export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
