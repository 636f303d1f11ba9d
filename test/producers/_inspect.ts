import pg from "pg";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createPrisma } from "@/lib/server/db/prisma";
import { createTestDatabase } from "@/test/helpers/database";
import { startCollector } from "@/test/helpers/collector";
import { runInChild } from "@/test/producers/child";

const [file, exportName, runsJson] = process.argv.slice(2);
const tdb = await createTestDatabase();
const db = createPrisma(tdb.url, { max: 2 });
const sql = new pg.Pool({ connectionString: tdb.url, max: 2 });
const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
const key = (await createApiKey(db, { projectId: project.id, name: "ingest", scopes: ["ingest"] })).key;
const collector = await startCollector(tdb.url, {});
try {
  const runs = (JSON.parse(runsJson!) as object[]).map((r) => ({ endpoint: collector.url, headers: { authorization: `Bearer ${key}` }, ...r }));
  const t0 = Date.now();
  const results = await runInChild<(o: object) => Promise<{ traceIds: string[] }>>(file!, exportName!, runs);
  console.log("producer ms", Date.now() - t0);
  for (const r of results) {
    console.log("RESULT", JSON.stringify(r));
    for (const id of r.traceIds) {
      const [run] = (await sql.query(`SELECT id,name,status,session_id,step_count,llm_call_count,tool_call_count,input_tokens,output_tokens,total_tokens,error_count,root_span_id FROM runs WHERE id=$1`, [id])).rows;
      console.log("RUN", JSON.stringify(run));
      const steps = (await sql.query(`SELECT s.span_id,s.parent_span_id,s.kind,s.name,s.family,s.status,s.status_message,s.agent_name,s.provider,s.model,s.tool_name,s.tool_call_id,s.input_tokens,s.output_tokens,s.total_tokens,s.scope_name,s.attributes,
        (SELECT json_agg(m.content ORDER BY i) FROM unnest(s.context_hashes) WITH ORDINALITY h(x,i) JOIN messages m ON m.hash=h.x) ctx,
        (SELECT json_agg(m.content ORDER BY i) FROM unnest(s.output_hashes) WITH ORDINALITY h(x,i) JOIN messages m ON m.hash=h.x) out,
        p.input, p.output
        FROM steps s LEFT JOIN step_payloads p USING (project_id, run_id, span_id) WHERE s.run_id=$1 ORDER BY s.start_ns, s.span_id`, [id])).rows;
      for (const s of steps) console.log("  STEP", JSON.stringify(s));
    }
  }
} finally {
  await collector.stop();
  await db.$disconnect();
  await sql.end();
  await tdb.close();
}
