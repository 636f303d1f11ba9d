import type pg from "pg";

/**
 * Seed data for `npm run bench:search`: N runs of 10 steps (a root agent step, five model calls
 * and four tool calls), a message corpus of ~378k distinct messages the model calls share by
 * content hash as the collector stores them, and drift points on ~21% of runs — all with
 * set-based INSERT … SELECT generate_series, straight into the tables.
 *
 * Shapes that matter for search: 50 agents (support-bot runs 30% of the time), 11 common tools
 * plus send_email (~0.5% of runs) and wire_transfer (~20 runs), five models (llama-3.1-70b in
 * 0.1% of runs), contexts that grow by a decision and a tool result per call, user questions from
 * 12 templates with order and invoice numbers (common words, rare numbers), and steps of concurrent
 * runs interleaved on disk (500 runs at a time), as a live collector writes them.
 */
export const AGENT_NAMES = [
  "support-bot",
  "research-lead",
  "web-researcher",
  "deal-finder",
  "billing-assistant",
  "data-migration",
  "triage-bot",
  "sales-copilot",
  "code-reviewer",
  "onboarding-guide",
  ...Array.from({ length: 40 }, (_, i) => `agent-${i + 11}`),
];
const TOOLS = [
  "lookup_order",
  "check_refund_policy",
  "issue_refund",
  "send_reply",
  "search_web",
  "fetch_invoice",
  "get_weather",
  "book_hotel",
  "query_db",
  "create_ticket",
  "read_private_notes",
];

const lit = (list: readonly string[]) => `ARRAY[${list.map((s) => `'${s}'`).join(", ")}]::text[]`;

/**
 * Helper functions in the bench database (dropped with it): every table derives the same ids,
 * hashes and choices from a run number g, so they agree without joins. g = 1 is the newest run.
 */
const FUNCTIONS = `
  CREATE FUNCTION bench_run_id(g int) RETURNS text IMMUTABLE LANGUAGE sql AS
    $$ SELECT lpad(to_hex(g), 8, '0') || substr(md5('run' || g), 1, 24) $$;
  CREATE FUNCTION bench_span_id(g int, k int) RETURNS text IMMUTABLE LANGUAGE sql AS
    $$ SELECT substr(md5(g || '/' || k), 1, 16) $$;
  CREATE FUNCTION bench_hash(id int) RETURNS text IMMUTABLE LANGUAGE sql AS
    $$ SELECT md5(id::text) || lpad(to_hex(id), 32, '0') $$;
  CREATE FUNCTION bench_agent(g int) RETURNS int IMMUTABLE LANGUAGE sql AS
    $$ SELECT CASE WHEN g % 10 < 3 THEN 1 ELSE 2 + (g / 10) % 49 END $$;
  -- tool of the i-th call (1..4) of run g: 0..10 common, 11 send_email, 12 wire_transfer
  CREATE FUNCTION bench_tool(g int, i int) RETURNS int IMMUTABLE LANGUAGE sql AS
    $$ SELECT CASE WHEN i = 4 AND g % 50021 = 0 THEN 12 WHEN i = 4 AND g % 211 = 0 THEN 11 ELSE (g * 31 + i * 7) % 11 END $$;
  CREATE FUNCTION bench_tool_name(t int) RETURNS text IMMUTABLE LANGUAGE sql AS
    $$ SELECT (${lit([...TOOLS, "send_email", "wire_transfer"])})[t + 1] $$;
  CREATE FUNCTION bench_model(g int) RETURNS text IMMUTABLE LANGUAGE sql AS
    $$ SELECT CASE WHEN g % 1000 = 7 THEN 'llama-3.1-70b' WHEN g % 25 = 1 THEN 'o3' WHEN g % 7 < 4 THEN 'gpt-4o'
                   WHEN g % 7 < 6 THEN 'gpt-4o-mini' ELSE 'claude-sonnet-4' END $$;
  CREATE FUNCTION bench_question(g int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT ((g::bigint * 7919) % 200000)::int $$;
`;

/** Message ids: system 1..50, user 1e6 + q, decision 2e6 + tool * 1000 + v, result 3e6 + tool * 5000 + v, answer 4e6 + v. */
const MESSAGES = `
  INSERT INTO messages (project_id, hash, role, content, byte_size)
  SELECT $1::uuid, bench_hash(id), c ->> 'role', c, length(c::text) FROM (
    SELECT i AS id, jsonb_build_object('role', 'system', 'content',
      'You are ' || (${lit(AGENT_NAMES)})[i] || ', an assistant for Acme Corp. Be concise, cite order numbers and never share private notes.') AS c
    FROM generate_series(1, 50) i
    UNION ALL
    SELECT 1000000 + q, jsonb_build_object('role', 'user', 'content', (ARRAY[
      'Where is my order A-' || (100000 + q) || '? It was supposed to arrive on Monday.',
      'I was charged twice for invoice INV-' || (50000 + q % 40000) || '. Please refund the duplicate payment.',
      'What is your refund policy for damaged items? Order A-' || (100000 + q) || ' arrived broken.',
      'Cancel my subscription and send the confirmation to my email.',
      'Can you change the shipping address for order A-' || (100000 + q) || '?',
      'My password reset link expired, can you send a new one?',
      'Compare flights from Lisbon to Porto next Friday under ' || (50 + q % 400) || ' EUR.',
      'Summarize the latest research on battery recycling for the quarterly report.',
      'Why did invoice INV-' || (50000 + q % 40000) || ' include a late fee of ' || (5 + q % 40) || ' EUR?',
      'Find the cheapest hotel near the conference venue in Berlin for ' || (1 + q % 5) || ' nights.',
      'Migrate the customer table to the new warehouse and verify the row counts.',
      'The export job keeps failing with error E' || (1000 + q % 9000) || ', what is wrong?'])[1 + q % 12])
    FROM generate_series(0, 199999) q
    UNION ALL
    SELECT 2000000 + t * 1000 + v, jsonb_build_object('role', 'assistant', 'content', NULL, 'tool_calls', jsonb_build_array(
      jsonb_build_object('id', 'call_' || v, 'name', bench_tool_name(t),
        'arguments', '{"order":"A-' || (100000 + v) || '","q":"' || (ARRAY['refund policy','shipping status','invoice total','hotel Berlin'])[1 + v % 4] || '"}')))
    FROM generate_series(0, 12) t, generate_series(0, 999) v
    UNION ALL
    SELECT 3000000 + t * 5000 + v, jsonb_build_object('role', 'tool', 'tool_call_id', 'call_' || (v % 1000), 'name', bench_tool_name(t),
      'content', (ARRAY[
        '{"order":"A-' || (100000 + v) || '","status":"shipped","carrier":"DHL","eta_days":' || (v % 7) || '}',
        '{"policy":"Refunds within 30 days for damaged items","eligible":' || (v % 3 > 0)::text || '}',
        '{"results":[],"note":"no page mentions a refund window"}',
        '{"invoice":"INV-' || (50000 + v) || '","total":' || (20 + v % 900) || '.50,"currency":"EUR","status":"paid"}',
        '{"error":"timeout after 30s","retryable":true}'])[1 + (t + v) % 5])
    FROM generate_series(0, 12) t, generate_series(0, 4999) v
    UNION ALL
    SELECT 4000000 + v, jsonb_build_object('role', 'assistant', 'content', (ARRAY[
      'Your order A-' || (100000 + v) || ' shipped with DHL and arrives in ' || (1 + v % 6) || ' days.',
      'I have issued a refund of ' || (5 + v % 300) || ' EUR for the duplicate payment on invoice INV-' || (50000 + v % 40000) || '.',
      'Refunds are accepted within 30 days for damaged items; I have opened ticket T-' || (70000 + v) || '.',
      'The cheapest option is the Hotel Aurora at ' || (60 + v % 200) || ' EUR per night.',
      'The migration finished: ' || (100000 + v * 13) || ' rows copied and verified.',
      'I could not find anything about that; escalating to a human agent.'])[1 + v % 6])
    FROM generate_series(0, 99999) v
  ) m`;

const RUNS = `
  INSERT INTO runs (project_id, id, agent_id, session_id, name, status, root_span_id, started_at, ended_at, last_activity_at,
                    step_count, llm_call_count, tool_call_count, input_tokens, output_tokens, total_tokens, error_count, updated_at)
  SELECT $1::uuid, bench_run_id(g), ag.id, CASE WHEN g % 10 < 3 THEN 'conv-' || (g / 3) END, 'ticket ' || (g % 977),
         (CASE WHEN g <= 200 THEN 'live' WHEN g % 337 = 0 THEN 'killed' WHEN g % 1009 = 0 THEN 'paused'
               WHEN g % 25 = 0 THEN 'error' ELSE 'ok' END)::"RunStatus",
         bench_span_id(g, 0), $4::timestamptz - g * interval '2500 milliseconds',
         CASE WHEN g > 200 THEN $4::timestamptz - g * interval '2500 milliseconds' + interval '12 seconds' END,
         $4::timestamptz - g * interval '2500 milliseconds' + interval '12 seconds',
         10, 5, 4, 4000 + g % 3000, 300 + g % 400, 4300 + g % 3400,
         CASE WHEN g % 25 = 0 AND g % 337 <> 0 AND g % 1009 <> 0 THEN 3 ELSE 0 END, now()
  FROM generate_series($2::int, $3::int) g
  JOIN agents ag ON ag.project_id = $1::uuid AND ag.service_name = (${lit(AGENT_NAMES)})[bench_agent(g)]`;

/**
 * Ten steps per run. k = 0 the root agent step; odd k the model calls (j = 0..4), whose context is
 * the run's conversation so far and whose output is the next decision (the last: the answer);
 * even k ≥ 2 the tool calls (i = 1..4). Ordered (block of 500 runs, k, g) so concurrent runs interleave.
 */
const STEPS = `
  INSERT INTO steps (project_id, run_id, span_id, parent_span_id, kind, name, family, span_kind, status, start_ns, end_ns,
                     provider, model, tool_name, tool_call_id, input_tokens, output_tokens, total_tokens,
                     context_hashes, output_hashes)
  SELECT $1::uuid, bench_run_id(g), bench_span_id(g, k), CASE WHEN k > 0 THEN bench_span_id(g, 0) END,
         (CASE WHEN k = 0 THEN 'agent' WHEN k % 2 = 1 THEN 'llm' ELSE 'tool' END)::"StepKind",
         CASE WHEN k = 0 THEN 'invoke_agent ' || (${lit(AGENT_NAMES)})[bench_agent(g)]
              WHEN k % 2 = 1 THEN 'chat ' || bench_model(g) ELSE 'execute_tool ' || bench_tool_name(bench_tool(g, k / 2)) END,
         'genai', CASE WHEN k % 2 = 1 THEN 3 ELSE 1 END,
         (CASE WHEN g % 25 = 0 AND k >= 4 AND k % 2 = 0 THEN 'error' ELSE 'ok' END)::"StepStatus",
         start_ns + k * 1200000000::bigint, start_ns + k * 1200000000::bigint + 900000000,
         CASE WHEN k % 2 = 1 THEN 'openai' END, CASE WHEN k % 2 = 1 THEN bench_model(g) END,
         CASE WHEN k > 0 AND k % 2 = 0 THEN bench_tool_name(bench_tool(g, k / 2)) END,
         CASE WHEN k > 0 AND k % 2 = 0 THEN 'call_' || ((bench_question(g) + k / 2) % 1000) END,
         CASE WHEN k % 2 = 1 THEN 400 + k * 180 + g % 200 END, CASE WHEN k % 2 = 1 THEN 20 + g % 60 END,
         CASE WHEN k % 2 = 1 THEN 420 + k * 180 + g % 260 END,
         CASE WHEN k % 2 = 1 THEN conv[1:1 + k] ELSE ARRAY[]::text[] END,
         CASE WHEN k % 2 = 1 THEN ARRAY[CASE WHEN k < 9 THEN conv[k + 2] ELSE answer END] ELSE ARRAY[]::text[] END
  FROM (
    SELECT g, (extract(epoch FROM $4::timestamptz - g * interval '2500 milliseconds') * 1000000)::bigint * 1000 AS start_ns,
           ARRAY[bench_hash(bench_agent(g)), bench_hash(1000000 + bench_question(g)),
                 bench_hash(2000000 + bench_tool(g, 1) * 1000 + (bench_question(g) + 1) % 1000),
                 bench_hash(3000000 + bench_tool(g, 1) * 5000 + (bench_question(g) * 3 + 1) % 5000),
                 bench_hash(2000000 + bench_tool(g, 2) * 1000 + (bench_question(g) + 2) % 1000),
                 bench_hash(3000000 + bench_tool(g, 2) * 5000 + (bench_question(g) * 3 + 2) % 5000),
                 bench_hash(2000000 + bench_tool(g, 3) * 1000 + (bench_question(g) + 3) % 1000),
                 bench_hash(3000000 + bench_tool(g, 3) * 5000 + (bench_question(g) * 3 + 3) % 5000),
                 bench_hash(2000000 + bench_tool(g, 4) * 1000 + (bench_question(g) + 4) % 1000),
                 bench_hash(3000000 + bench_tool(g, 4) * 5000 + (bench_question(g) * 3 + 4) % 5000)] AS conv,
           bench_hash(4000000 + bench_question(g) % 100000) AS answer
    FROM generate_series($2::int, $3::int) g
  ) run CROSS JOIN generate_series(0, 9) k
  ORDER BY g / 500, k, g`;

/** Drift points: one on every 5th run, a second on every 50th, and a policy finding at send_email calls. */
const DRIFT = `
  INSERT INTO drift_points (project_id, run_id, span_id, detector, severity, score, summary, evidence, created_at)
  SELECT $1::uuid, bench_run_id(g), bench_span_id(g, k), det, sev::"DriftSeverity", 1 + (x % 40) / 10.0, summary,
         jsonb_build_object('rule', det, 'spanIds', jsonb_build_array(bench_span_id(g, k))),
         $4::timestamptz - g * interval '2500 milliseconds' + (3 + j * 2) * interval '1 second'
  FROM (
    SELECT g, j, x, det, k,
           CASE WHEN det = 'policy' THEN 'critical' WHEN x % 20 = 0 THEN 'critical' WHEN x % 20 < 7 THEN 'high'
                WHEN x % 20 < 9 THEN 'low' ELSE 'medium' END AS sev,
           CASE det
             WHEN 'loop' THEN bench_tool_name(bench_tool(g, k / 2)) || ' called ' || (3 + x % 6) || '× with {q: ''refund policy''} at steps ' || k || '–' || (k + 6) || ', same result each time'
             WHEN 'error_cascade' THEN bench_tool_name(bench_tool(g, k / 2)) || ' failed ' || (3 + x % 4) || ' times in a row at steps ' || k || '–' || (k + 4) || ' (last error: timeout after 30s)'
             WHEN 'budget' THEN 'tokens ' || (20000 + x % 30000) || ' above this agent''s usual ' || (8000 + x % 2000) || ' (mean + 3σ) at step ' || k
             WHEN 'trajectory' THEN 'tool sequence ' || (50 + x % 40) || '% away from the nearest successful run; first never-seen transition at step ' || k
             WHEN 'new_egress' THEN 'first call to ' || (ARRAY['paste.example','files.example','api.unknown.example'])[1 + x % 3] || ' by this agent at step ' || k
             ELSE 'forbidden sequence exfiltration: read_private_notes then send_email at step ' || k END AS summary
    FROM (
      SELECT g, j, g / 5 + j * 7 AS x,
             CASE WHEN j = 0 AND g % 211 = 0 AND g % 50021 <> 0 THEN 'policy'
                  ELSE (ARRAY['loop','loop','loop','loop','loop','loop','loop','error_cascade','error_cascade','error_cascade','error_cascade',
                              'budget','budget','budget','trajectory','trajectory','trajectory','new_egress','new_egress','policy'])[1 + (g / 5 + j * 7) % 20] END AS det,
             CASE WHEN j = 0 AND g % 211 = 0 AND g % 50021 <> 0 THEN 8
                  ELSE (ARRAY[2,4,6,8,4,6,2,4,6,8,2,9,7,9,3,5,7,2,4,8])[1 + (g / 5 + j * 7) % 20] END AS k
      FROM generate_series($2::int, $3::int) g CROSS JOIN generate_series(0, 1) j
      WHERE (j = 0 AND (g % 5 = 0 OR g % 211 = 0)) OR (j = 1 AND g % 50 = 0)
    ) a
  ) b`;

const RUN_DRIFT = `
  UPDATE runs r SET drift_count = d.n, max_drift_severity = d.worst
  FROM (SELECT run_id, count(*)::int AS n, max(severity) AS worst FROM drift_points WHERE project_id = $1::uuid GROUP BY run_id) d
  WHERE r.project_id = $1::uuid AND r.id = d.run_id`;

export type SeedProgress = (msg: string) => void;

/** Secondary indexes are dropped during the load and rebuilt after it (as CREATE INDEX does it in bulk). */
export async function seedSearchData(
  pool: pg.Pool,
  projectId: string,
  runs: number,
  now: Date,
  log: SeedProgress,
): Promise<void> {
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  await pool.query(FUNCTIONS);
  const { rows: indexes } = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename IN ('steps', 'runs', 'messages', 'drift_points') AND indexname NOT LIKE '%pkey'`,
  );
  for (const i of indexes) await pool.query(`DROP INDEX "${i.indexname}"`);

  await pool.query(
    `INSERT INTO agents (project_id, service_name, instance_id) SELECT $1::uuid, n, 'bench-1' FROM unnest($2::text[]) n`,
    [projectId, AGENT_NAMES],
  );
  await pool.query(
    `INSERT INTO sessions (project_id, id, run_count)
     SELECT $1::uuid, 'conv-' || s, 1 FROM generate_series(0, $2::int / 3) s ON CONFLICT DO NOTHING`,
    [projectId, runs],
  );
  await pool.query(MESSAGES, [projectId]);
  log(`agents, sessions, ${(await count(pool, "messages")).toLocaleString("en-US")} messages (${since()})`);
  const chunk = 100_000;
  for (let from = 1; from <= runs; from += chunk) {
    const to = Math.min(from + chunk - 1, runs);
    await pool.query(RUNS, [projectId, from, to, now]);
    await pool.query(STEPS, [projectId, from, to, now]);
    await pool.query(DRIFT, [projectId, from, to, now]);
    log(
      `runs ${to.toLocaleString("en-US")} / ${runs.toLocaleString("en-US")}, steps ${(to * 10).toLocaleString("en-US")} (${since()})`,
    );
  }
  await pool.query(RUN_DRIFT, [projectId]);
  log(`${(await count(pool, "drift_points")).toLocaleString("en-US")} drift points (${since()})`);

  // Rebuild the indexes two at a time (the machine has two cores), each with room to sort in memory.
  const queue = [...indexes];
  await Promise.all(
    [0, 1].map(async () => {
      const client = await pool.connect();
      try {
        await client.query("SET maintenance_work_mem = '512MB'");
        for (let i = queue.shift(); i; i = queue.shift()) {
          const t = Date.now();
          await client.query(i.indexdef);
          log(`  index ${i.indexname} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
        }
      } finally {
        client.release();
      }
    }),
  );
  log(`indexes rebuilt (${since()})`);
  await pool.query("VACUUM ANALYZE runs, steps, messages, drift_points, agents, sessions");
  log(`vacuum analyze (${since()})`);
}

async function count(pool: pg.Pool, table: string): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
}
