import { getDb } from "@/lib/server/db";
import { json } from "@/lib/server/api/errors";

/** Liveness + database reachability, for load balancers and `npm start`'s readiness wait. */
export async function GET(): Promise<Response> {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return json({ status: "ok", database: "ok" });
  } catch {
    return json({ status: "degraded", database: "unreachable" }, 503);
  }
}
