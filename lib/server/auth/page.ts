import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { roleAtLeast, type Role } from "@/lib/auth/access";
import { getDb } from "@/lib/server/db";
import { webEnv } from "@/lib/server/env";
import { authenticate } from "@/lib/server/auth/request";
import { countPasswordUsers } from "@/lib/server/repositories/users";

export type PageUser = { userId: string; email: string; name: string; role: Role };

/** The signed-in person for a page, or a redirect to sign-in (or to first-run setup). */
export async function requirePageUser(): Promise<PageUser> {
  const requestHeaders = await headers();
  const db = getDb();
  const auth = await authenticate(db, webEnv(), requestHeaders);
  if (auth?.principal.kind === "user") {
    const { userId, email, name, role } = auth.principal;
    return { userId, email, name, role };
  }
  redirect((await countPasswordUsers(db)) === 0 && !webEnv().CAUSEWAY_ADMIN_TOKEN ? "/setup" : "/sign-in");
}

export function hasRole(user: PageUser, role: Role): boolean {
  return roleAtLeast(user.role, role);
}

/** Where sign-in and setup pages stand: already signed in, first run, or normal. */
export async function authPageState(): Promise<{
  signedIn: boolean;
  needsSetup: boolean;
  tokenSignIn: boolean;
  setupCodeRequired: boolean;
}> {
  const requestHeaders = await headers();
  const db = getDb();
  const env = webEnv();
  const auth = await authenticate(db, env, requestHeaders);
  return {
    signedIn: auth?.principal.kind === "user",
    needsSetup: (await countPasswordUsers(db)) === 0,
    tokenSignIn: !!env.CAUSEWAY_ADMIN_TOKEN,
    setupCodeRequired: !!env.CAUSEWAY_SETUP_CODE,
  };
}
