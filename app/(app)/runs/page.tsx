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
  // A stale, hand-edited or other-order cursor falls back to the first page rather than an error page
  // (and the list then pages from there).
  const { page, cursor } = await listRuns(getDb(), project.id, query).then(
    (page) => ({ page, cursor: query.cursor }),
    async () => ({ page: await listRuns(getDb(), project.id, { ...query, cursor: undefined }), cursor: undefined }),
  );
  return (
    <ConnectedRuns
      initialPage={page}
      project={project.slug}
      status={query.status?.join(",") ?? ""}
      agent={query.agent ?? ""}
      session={query.session ?? ""}
      sort={query.sort}
      order={query.order}
      cursor={cursor ?? ""}
      collectorUrl={webEnv().collectorUrl}
      renderedAt={renderedAt}
    />
  );
}
