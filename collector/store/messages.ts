import type pg from "pg";
import type { MessageRow } from "@/collector/normalize/batch";

/**
 * Stores messages once per (project, content hash): a message already stored by an earlier
 * batch, a span or a GenAI log event is left as it is. Rows should come in a fixed order
 * (project, hash) so concurrent writers take their locks in the same order.
 */
export async function insertMessageRows(client: pg.PoolClient, rows: { projectId: string; m: MessageRow }[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO messages (project_id, hash, role, content, byte_size, truncated)
     SELECT p, h, r, c::jsonb, b, t FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bool[]) AS x(p, h, r, c, b, t)
     ON CONFLICT (project_id, hash) DO NOTHING`,
    [
      rows.map((r) => r.projectId),
      rows.map((r) => r.m.hash),
      rows.map((r) => r.m.role),
      rows.map((r) => r.m.content),
      rows.map((r) => r.m.byteSize),
      rows.map((r) => r.m.truncated),
    ],
  );
}
