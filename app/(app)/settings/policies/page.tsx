import type { Metadata } from "next";
import { PoliciesAdmin } from "@/components/policy/policies-admin";
import { PageHeader } from "@/components/ui/card";
import { hasRole, requirePageUser } from "@/lib/server/auth/page";
import { getDb } from "@/lib/server/db";
import { listAgentNames, listPolicies } from "@/lib/server/repositories/policies";
import { DEFAULT_PROJECT_SLUG, findProjectBySlug } from "@/lib/server/repositories/projects";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  const me = await requirePageUser();
  const db = getDb();
  const project = await findProjectBySlug(db, DEFAULT_PROJECT_SLUG);
  if (!project) throw new Error("The default project is missing: run the migrations.");
  const [policies, agents] = await Promise.all([listPolicies(db, project.id), listAgentNames(db, project.id)]);
  return (
    <>
      <PageHeader
        title="Policies"
        description="Per agent (service.name): what it may do, and what happens when drift is found on one of its live runs — record it, pause the run or kill it."
      />
      <PoliciesAdmin project={project.slug} initial={{ policies, agents }} canEdit={hasRole(me, "operator")} />
    </>
  );
}
