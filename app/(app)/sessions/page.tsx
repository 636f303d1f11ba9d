import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConnectedSessions } from "@/app/(app)/sessions/connected-sessions";
import { sessionListQuery } from "@/lib/api/schemas";
import { getDb } from "@/lib/server/db";
import { findProjectBySlug } from "@/lib/server/repositories/projects";
import { listSessions } from "@/lib/server/repositories/sessions";

export const metadata: Metadata = { title: "Sessions" };

/** Runs grouped by conversation id. Filter and page are in the URL (?q=…&cursor=…), like the run list. */
export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const parsed = sessionListQuery.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : sessionListQuery.parse({});
  const project = await findProjectBySlug(getDb(), query.project);
  if (!project) notFound();
  // A server component renders once per request, so reading the clock here is deterministic for that response.
  // eslint-disable-next-line react-hooks/purity
  const renderedAt = Date.now();
  // A stale or hand-edited cursor falls back to the newest page rather than an error page.
  const page = await listSessions(getDb(), project.id, query).catch(() =>
    listSessions(getDb(), project.id, { ...query, cursor: undefined }),
  );
  return (
    <ConnectedSessions
      initialPage={page}
      project={project.slug}
      q={query.q ?? ""}
      cursor={query.cursor ?? ""}
      renderedAt={renderedAt}
    />
  );
}
