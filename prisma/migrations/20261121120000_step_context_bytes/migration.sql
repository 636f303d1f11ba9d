-- The context size of a model call (stored bytes of the messages it saw), summed at ingest.
-- Readers joined messages for it: the context size chart per step, and the drift loader
-- where tokens are missing. On a run of 50k model calls right after ingest (before
-- autovacuum's first ANALYZE) those joins were planned as nested loops and ran for minutes.
ALTER TABLE "steps" ADD COLUMN "context_bytes" BIGINT NOT NULL DEFAULT 0;

UPDATE "steps" s SET "context_bytes" = (
  SELECT COALESCE(sum(m."byte_size"), 0) FROM unnest(s."context_hashes") AS h(hash)
  JOIN "messages" m ON m."project_id" = s."project_id" AND m."hash" = h.hash::bpchar)
WHERE cardinality(s."context_hashes") > 0;
