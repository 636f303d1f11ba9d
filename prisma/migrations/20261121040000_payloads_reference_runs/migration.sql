-- The step_payloads -> steps foreign-key check ran as a generic plan that, without
-- statistics on steps, chose the (project_id, run_id, start_ns) or
-- (project_id, run_id, tool_call_id) index and filtered span_id: a scan of the whole
-- run for every payload row, quadratic on runs of 100k spans. Payloads now reference
-- the run (its primary key is the only index on those columns), and the unused
-- tool_call_id index goes (causal edges are built in memory).
ALTER TABLE "step_payloads" DROP CONSTRAINT "step_payloads_project_id_run_id_span_id_fkey";
ALTER TABLE "step_payloads" ADD CONSTRAINT "step_payloads_project_id_run_id_fkey"
  FOREIGN KEY ("project_id", "run_id") REFERENCES "runs"("project_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
DROP INDEX "steps_project_id_run_id_tool_call_id_idx";
-- Plans on steps need statistics early: a fresh install's first big run otherwise
-- runs on default estimates until autovacuum's 10 % threshold.
ALTER TABLE "steps" SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 2000);
