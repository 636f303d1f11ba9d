import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/server/db";
import { DEFAULT_PROJECT_SLUG, findProjectBySlug } from "@/lib/server/repositories/projects";
import { findRunSummary } from "@/lib/server/repositories/runs";
import { ConnectedRun } from "./connected-run";

export async function generateMetadata({ params }: { params: Promise<{ runId: string }> }): Promise<Metadata> {
  return { title: `Run ${(await params).runId.slice(0, 12)}` };
}

/**
 * The run explorer. The server only checks that the run exists; the browser loads
 * it from the API (GET /api/v1/runs/{id}) so a 100k-step run is sent once, as JSON,
 * rather than twice (HTML and the React payload).
 */
export default async function RunPage({
  params,
  searchParams,
}: {
  params: Promise<{ runId: string }>;
  searchParams: Promise<{ step?: string }>;
}) {
  const { runId } = await params;
  const { step } = await searchParams;
  if (!/^[0-9a-f]{32}$/i.test(runId)) notFound();
  const db = getDb();
  const project = await findProjectBySlug(db, DEFAULT_PROJECT_SLUG);
  const run = project && (await findRunSummary(db, project.id, runId.toLowerCase()));
  if (!run) notFound();
  return (
    <>
      <nav className="mb-3 text-xs text-zinc-500">
        <Link href="/runs" className="hover:text-zinc-900 dark:hover:text-zinc-100">
          Runs
        </Link>{" "}
        / {run.name || run.id.slice(0, 12)}
      </nav>
      <ConnectedRun
        runId={run.id}
        project={DEFAULT_PROJECT_SLUG}
        initialStep={/^[0-9a-f]{16}$/i.test(step ?? "") ? step! : null}
      />
    </>
  );
}
