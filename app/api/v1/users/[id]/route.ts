import { updateUserBody } from "@/lib/api/schemas";
import { ApiError, json } from "@/lib/server/api/errors";
import { readJson, withAuth } from "@/lib/server/api/handler";
import { recordAudit } from "@/lib/server/repositories/audit";
import { countOtherActiveAdmins, deleteUser, updateUser } from "@/lib/server/repositories/users";

type P = { id: string };
const uuid = /^[0-9a-f-]{36}$/i;

/** Refuses changes that would leave nobody able to administer the instance. */
async function guardLastAdmin(ctx: { db: Parameters<typeof countOtherActiveAdmins>[0] }, id: string) {
  if ((await countOtherActiveAdmins(ctx.db, id)) === 0)
    throw new ApiError("conflict", "This is the last active admin: promote someone else first.");
}

export const PATCH = withAuth<P>("admin", async ({ req, db, principal, params }) => {
  if (!uuid.test(params.id)) throw new ApiError("not_found", "User not found.");
  const body = updateUserBody.parse(await readJson(req));
  if ((body.role && body.role !== "admin") || body.disabled) await guardLastAdmin({ db }, params.id);
  const user = await updateUser(db, params.id, body);
  if (!user) throw new ApiError("not_found", "User not found.");
  const { password: _omit, ...changes } = body;
  await recordAudit(db, principal, "user.update", {
    target: user.email,
    details: { ...changes, passwordChanged: !!body.password },
  });
  return json({ user });
});

export const DELETE = withAuth<P>("admin", async ({ db, principal, params }) => {
  if (!uuid.test(params.id)) throw new ApiError("not_found", "User not found.");
  await guardLastAdmin({ db }, params.id);
  if (!(await deleteUser(db, params.id))) throw new ApiError("not_found", "User not found.");
  await recordAudit(db, principal, "user.delete", { target: params.id });
  return json({ ok: true });
});
