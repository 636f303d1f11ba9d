import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunHeader } from "@/components/run/run-header";
import { StepWaterfall } from "@/components/run/step-waterfall";
import { Card } from "@/components/ui/card";
import { buildWaterfall } from "@/lib/runs/waterfall";
import { getDb } from "@/lib/server/db";
import { DEFAULT_PROJECT_SLUG, findProjectBySlug } from "@/lib/server/repositories/projects";
import { getRunDetail } from "@/lib/server/repositories/run-detail";

export const metadata: Metadata = { title: "Run" };

/** Rows rendered at once until the virtualized timeline lands. */
const ROW_LIMIT = 2000;

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  if (!/^[0-9a-f]{32}$/i.test(runId)) notFound();
  const db = getDb();
  const project = await findProjectBySlug(db, DEFAULT_PROJECT_SLUG);
  const detail = project && (await getRunDetail(db, project.id, runId.toLowerCase()));
  if (!detail) notFound();
  const rows = buildWaterfall(detail);
  return (
    <>
      <nav className="mb-3 text-xs text-zinc-500">
        <Link href="/runs" className="hover:text-zinc-900 dark:hover:text-zinc-100">
          Runs
        </Link>{" "}
        / {detail.run.id.slice(0, 12)}…
      </nav>
      <RunHeader run={detail.run} />
      <Card title={`Steps (${detail.steps.length.toLocaleString("en-US")})`}>
        <StepWaterfall rows={rows} limit={ROW_LIMIT} />
      </Card>
    </>
  );
}
