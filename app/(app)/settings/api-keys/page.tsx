import type { Metadata } from "next";
import { ApiKeysAdmin } from "@/components/settings/api-keys-admin";
import { Forbidden } from "@/components/layout/forbidden";
import { PageHeader } from "@/components/ui/card";
import { hasRole, requirePageUser } from "@/lib/server/auth/page";
import { getDb } from "@/lib/server/db";
import { webEnv } from "@/lib/server/env";
import { listApiKeys } from "@/lib/server/repositories/api-keys";
import { DEFAULT_PROJECT_SLUG, findProjectBySlug } from "@/lib/server/repositories/projects";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const me = await requirePageUser();
  if (!hasRole(me, "admin")) return <Forbidden need="admin" />;
  const project = await findProjectBySlug(getDb(), DEFAULT_PROJECT_SLUG);
  if (!project) throw new Error("The default project is missing: run the migrations.");
  return (
    <>
      <PageHeader
        title="API keys"
        description={`Keys for project "${project.name}". ingest: send spans · read: query the API · operate: kill and pause agents.`}
      />
      <ApiKeysAdmin
        project={project.slug}
        initialKeys={await listApiKeys(getDb(), project.id)}
        collectorUrl={webEnv().collectorUrl}
      />
    </>
  );
}
