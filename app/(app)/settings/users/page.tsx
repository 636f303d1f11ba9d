import type { Metadata } from "next";
import { UsersAdmin } from "@/components/settings/users-admin";
import { Forbidden } from "@/components/layout/forbidden";
import { PageHeader } from "@/components/ui/card";
import { hasRole, requirePageUser } from "@/lib/server/auth/page";
import { getDb } from "@/lib/server/db";
import { listUsers } from "@/lib/server/repositories/users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requirePageUser();
  if (!hasRole(me, "admin")) return <Forbidden need="admin" />;
  return (
    <>
      <PageHeader
        title="Users"
        description="Viewers browse runs; operators can also kill and pause agents; admins manage users and keys."
      />
      <UsersAdmin initialUsers={await listUsers(getDb())} currentUserId={me.userId} />
    </>
  );
}
