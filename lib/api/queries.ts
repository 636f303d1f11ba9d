import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "@/lib/api/client";
import { agentList, apiKeyView, role, runPage, sessionPage, userView } from "@/lib/api/schemas";
import { runDetailResponse } from "@/lib/api/run-detail-wire";
import { agentControl, runControl } from "@/lib/api/control-schemas";
import { contextSeries, stepDetail } from "@/lib/api/step-schemas";
import { searchPage, suggestResponse } from "@/lib/api/search-schemas";
import { policyList } from "@/lib/api/policy-schemas";
import { runDrift } from "@/lib/api/drift-schemas";

/** GET /api/v1/me, as far as the UI needs it (API keys carry scopes, not a role). */
const meView = z.object({ principal: z.object({ kind: z.enum(["user", "api_key", "admin_token"]), role: role.optional() }) });

/** TanStack Query options per resource, so keys and fetchers are defined once. */
export const queries = {
  runs: (params: {
    project: string;
    status?: string;
    agent?: string;
    session?: string;
    sort?: string;
    order?: string;
    cursor?: string;
  }) =>
    queryOptions({
      queryKey: ["runs", params],
      queryFn: () => api(runPage, `/api/v1/runs?${new URLSearchParams(stripEmpty(params))}`),
    }),
  /** The project's agents, for the run list's agent filter; agents come and go rarely. */
  agents: (project = "default") =>
    queryOptions({
      queryKey: ["agents", project],
      queryFn: () => api(agentList, `/api/v1/agents?project=${encodeURIComponent(project)}`),
      staleTime: 60_000,
    }),
  /** Runs grouped by conversation/session id, newest activity first (GET /api/v1/sessions). */
  sessions: (params: { project: string; q?: string; cursor?: string }) =>
    queryOptions({
      queryKey: ["sessions", params],
      queryFn: () => api(sessionPage, `/api/v1/sessions?${new URLSearchParams(stripEmpty(params))}`),
    }),
  run: (runId: string, project = "default") =>
    queryOptions({
      queryKey: ["run", project, runId],
      queryFn: () => api(runDetailResponse, `/api/v1/runs/${runId}?project=${encodeURIComponent(project)}`),
    }),
  /** One step's bodies and context diff; a stored step does not change, so it stays fresh for a while. */
  step: (runId: string, spanId: string, project = "default") =>
    queryOptions({
      queryKey: ["step", project, runId, spanId],
      queryFn: () => api(stepDetail, `/api/v1/runs/${runId}/steps/${spanId}?project=${encodeURIComponent(project)}`),
      staleTime: 60_000,
    }),
  context: (runId: string, project = "default") =>
    queryOptions({
      queryKey: ["context", project, runId],
      queryFn: () => api(contextSeries, `/api/v1/runs/${runId}/context?project=${encodeURIComponent(project)}`),
    }),
  users: () => queryOptions({ queryKey: ["users"], queryFn: () => api(z.object({ users: z.array(userView) }), "/api/v1/users") }),
  apiKeys: (project: string) =>
    queryOptions({
      queryKey: ["api-keys", project],
      queryFn: () => api(z.object({ apiKeys: z.array(apiKeyView) }), `/api/v1/api-keys?project=${encodeURIComponent(project)}`),
    }),
  /** A run's control state (desired, versions, client presence) and its command history. */
  runControl: (runId: string, project = "default") =>
    queryOptions({
      queryKey: ["run-control", project, runId],
      queryFn: () => api(runControl, `/api/v1/runs/${runId}/control?project=${encodeURIComponent(project)}`),
    }),
  agentControl: (agentId: string, project = "default") =>
    queryOptions({
      queryKey: ["agent-control", project, agentId],
      queryFn: () => api(agentControl, `/api/v1/agents/${agentId}/control?project=${encodeURIComponent(project)}`),
    }),
  /** Who is signed in, so views offer only what their role allows (the API checks again). */
  me: () =>
    queryOptions({
      queryKey: ["me"],
      queryFn: () => api(meView, "/api/v1/me"),
      staleTime: 5 * 60_000,
    }),
  /** Runtime policies of a project, and the agents seen so far. */
  policies: (project = "default") =>
    queryOptions({
      queryKey: ["policies", project],
      queryFn: () => api(policyList, `/api/v1/policies?project=${encodeURIComponent(project)}`),
    }),
  /** A run's drift points with evidence; `version` changes when the run's drift points do. */
  runDrift: (runId: string, project = "default", version = "") =>
    queryOptions({
      queryKey: ["run-drift", project, runId, version],
      queryFn: () => api(runDrift, `/api/v1/runs/${runId}/drift?project=${encodeURIComponent(project)}`),
    }),
  /** Drift search: a page of moments for a query (GET /api/v1/search). */
  search: (params: { project: string; q: string; cursor?: string }) =>
    queryOptions({
      queryKey: ["search", params],
      queryFn: () => api(searchPage, `/api/v1/search?${new URLSearchParams(stripEmpty(params))}`),
    }),
  /** Autocomplete at the caret (GET /api/v1/search/suggest); known values change slowly. */
  searchSuggest: (params: { project: string; q: string; cursor: number }) =>
    queryOptions({
      queryKey: ["search-suggest", params],
      queryFn: () =>
        api(
          suggestResponse,
          `/api/v1/search/suggest?${new URLSearchParams({ ...stripEmpty({ project: params.project, q: params.q }), cursor: String(params.cursor) })}`,
        ),
      staleTime: 30_000,
    }),
};

function stripEmpty(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
}
