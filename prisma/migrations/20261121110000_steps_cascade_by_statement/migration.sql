-- Steps and their payloads are the bulk of every ingest transaction, and a foreign-key
-- check is a per-row query that also locks the referenced run row (FOR KEY SHARE): it
-- cost about as much as the inserts themselves (bench:ingest, ~55 µs of ~130 µs of
-- database time per span). The collector inserts a step's run in the same transaction
-- before the step (collector/store/writer.ts), so the check never caught anything.
-- What the constraints also did, deleting a run's steps and payloads with it, is kept by
-- one set-based trigger per DELETE statement on runs (a project's deletion cascades to
-- its runs, so to their steps too).
ALTER TABLE "steps" DROP CONSTRAINT "steps_project_id_run_id_fkey";
ALTER TABLE "step_payloads" DROP CONSTRAINT "step_payloads_project_id_run_id_fkey";

CREATE FUNCTION causeway_delete_run_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "step_payloads" p USING gone g WHERE p."project_id" = g."project_id" AND p."run_id" = g."id";
  DELETE FROM "steps" s USING gone g WHERE s."project_id" = g."project_id" AND s."run_id" = g."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "runs_delete_steps" AFTER DELETE ON "runs"
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION causeway_delete_run_steps();
