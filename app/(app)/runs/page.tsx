import type { Metadata } from "next";
import { ConnectedRuns } from "@/app/(app)/runs/connected-runs";
import { runListQuery } from "@/lib/api/schemas";
import { getDb } from "@/lib/server/db";
import { webEnv } from "@/lib/server/env";
import { findProjectBySlug } from "@/lib/server/repositories/projects";
import { listRuns } from "@/lib/server/repositories/runs";
import { notFound } from "next/navigation";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const parsed = runListQuery.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : runListQuery.parse({});
  const project = await findProjectBySlug(getDb(), query.project);
  if (!project) notFound();
  // Server-rendered first page; the client keeps it fresh with TanStack Query.
  // A server component renders once per request, so reading the clock here is deterministic for that response.
  // eslint-disable-next-line react-hooks/purity
  const renderedAt = Date.now();
  // A stale or hand-edited cursor falls back to the newest page rather than an error page.
  const page = await listRuns(getDb(), project.id, query).catch(() =>
    listRuns(getDb(), project.id, { ...query, cursor: undefined }),
  );
  return (
    <ConnectedRuns
      initialPage={page}
      project={project.slug}
      status={query.status?.join(",") ?? ""}
      session={query.session ?? ""}
      cursor={query.cursor ?? ""}
      collectorUrl={webEnv().collectorUrl}
      renderedAt={renderedAt}
    />
  );
}
