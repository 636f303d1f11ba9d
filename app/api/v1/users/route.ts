import { createUserBody } from "@/lib/api/schemas";
import { ApiError, json } from "@/lib/server/api/errors";
import { readJson, withAuth } from "@/lib/server/api/handler";
import { recordAudit } from "@/lib/server/repositories/audit";
import { createUser, findUserByEmail, listUsers } from "@/lib/server/repositories/users";

export const GET = withAuth("admin", async ({ db }) => json({ users: await listUsers(db) }));

export const POST = withAuth("admin", async ({ req, db, principal }) => {
  const body = createUserBody.parse(await readJson(req));
  if (await findUserByEmail(db, body.email)) throw new ApiError("conflict", `A user with email ${body.email} already exists.`);
  const user = await createUser(db, body);
  await recordAudit(db, principal, "user.create", { target: user.email, details: { role: user.role } });
  return json({ user }, 201);
});
