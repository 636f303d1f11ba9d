-- Run list sorts (issue 4): GET /api/v1/runs?sort=duration|steps|tokens|errors|drift&order=asc|desc, keyset
-- pages on (sort value, id) (lib/server/repositories/runs.ts). Each index serves both directions (a btree reads
-- backwards). "started" and "activity" already have theirs (runs_project_id_started_at_id_idx,
-- runs_project_id_last_activity_at_idx: activity times rarely tie, so ties sort in memory).
--
-- The collector updates a run's aggregates on every batch, and every index is written on each such update,
-- so there are as few as the sorts need (measured with 1,000,000 runs: without an index a sorted first page
-- takes 400-600 ms, with one under 1 ms at any depth):
-- - steps and tokens: plain indexes;
-- - duration: an expression index (ended_at - started_at); runs without an end are its NULLs, listed last;
-- - errors and drift: partial, only runs that have some, so updates of the many runs without any skip them;
--   runs without any are listed newest first through the start-time indexes.
CREATE INDEX "runs_project_id_step_count_id_idx" ON "runs" ("project_id", "step_count", "id");
CREATE INDEX "runs_project_id_total_tokens_id_idx" ON "runs" ("project_id", "total_tokens", "id");
CREATE INDEX "runs_sort_duration_idx" ON "runs" ("project_id", ("ended_at" - "started_at"), "id");
CREATE INDEX "runs_sort_errors_idx" ON "runs" ("project_id", "error_count", "id") WHERE "error_count" > 0;
CREATE INDEX "runs_sort_drift_idx" ON "runs" ("project_id", "drift_count", "id") WHERE "drift_count" > 0;
