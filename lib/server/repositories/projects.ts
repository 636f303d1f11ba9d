import type { Db } from "@/lib/server/db/prisma";

export const DEFAULT_PROJECT_SLUG = "default";

export type ProjectView = { id: string; slug: string; name: string };

export async function findProjectBySlug(db: Db, slug: string): Promise<ProjectView | null> {
  return db.project.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
}

export async function listProjects(db: Db): Promise<ProjectView[]> {
  return db.project.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, slug: true, name: true } });
}
