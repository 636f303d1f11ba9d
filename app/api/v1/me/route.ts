import { json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";

/** The caller and what it may do in the project. */
export const GET = withAuth("read", async ({ principal, project }) => {
  const { kind } = principal;
  const identity =
    kind === "user"
      ? { kind, id: principal.userId, email: principal.email, name: principal.name, role: principal.role }
      : kind === "api_key"
        ? { kind, id: principal.keyId, prefix: principal.label, scopes: principal.scopes }
        : { kind, role: "admin" as const };
  return json({ principal: identity, project });
});
