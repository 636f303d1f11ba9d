import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "@/lib/api/client";
import { apiKeyView, runDetail, runPage, userView } from "@/lib/api/schemas";
import { contextSeries, stepDetail } from "@/lib/api/step-schemas";

/** TanStack Query options per resource, so keys and fetchers are defined once. */
export const queries = {
  runs: (params: { project: string; status?: string; cursor?: string }) =>
    queryOptions({
      queryKey: ["runs", params],
      queryFn: () => api(runPage, `/api/v1/runs?${new URLSearchParams(stripEmpty(params))}`),
    }),
  run: (runId: string, project = "default") =>
    queryOptions({
      queryKey: ["run", project, runId],
      queryFn: () => api(runDetail, `/api/v1/runs/${runId}?project=${encodeURIComponent(project)}`),
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
};

function stripEmpty(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
}
