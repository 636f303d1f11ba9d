-- Causal facts of each step, stored at ingest (collector/normalize/facts.ts) so that the
-- run view reads light columns only: before, it read every LLM step's context and output
-- hash arrays, looked the hashes up in messages for their tool-call ids and detoasted
-- attributes for the handoff target — 4–6 s for a run of 100k spans.
--
-- context_count: cardinality(context_hashes).
-- call_ids / call_names: the tool calls decided by the step's output messages, in order
--   (the id is '' when the producer sent none; the arrays have equal length).
-- tool_result_ids: tool_call_id of the tool results in the step's context, in order.
-- handoff_to: the agent a step hands off to (also kept as attributes."causeway.handoff_to").
-- Each is computed from the step's own span, so spans can arrive in any order.
ALTER TABLE "steps"
  ADD COLUMN "context_count" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "call_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "call_names" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "tool_result_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "handoff_to" TEXT;

-- Existing steps, from the stored messages by the collector's rules (only assistant and
-- tool messages count). Correlated subqueries probe the messages primary key per hash
-- (the ::CHAR(64) cast keeps that index usable): linear in the number of steps, where a
-- join of the whole steps table with itself was minutes for 10k steps on the embedded database.
UPDATE "steps" s SET
  "context_count" = coalesce(cardinality(s.context_hashes), 0),
  "tool_result_ids" = coalesce((
    SELECT array_agg(m.content->>'tool_call_id' ORDER BY c.n)
    FROM unnest(s.context_hashes) WITH ORDINALITY AS c(hash, n)
    JOIN "messages" m ON m.project_id = s.project_id AND m.hash = c.hash::CHAR(64)
    WHERE m.role IN ('assistant', 'tool') AND m.content->>'tool_call_id' IS NOT NULL
  ), ARRAY[]::TEXT[]),
  "call_ids" = coalesce((
    SELECT array_agg(coalesce(t.call->>'id', '') ORDER BY o.n, t.i)
    FROM unnest(s.output_hashes) WITH ORDINALITY AS o(hash, n)
    JOIN "messages" m ON m.project_id = s.project_id AND m.hash = o.hash::CHAR(64)
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE WHEN jsonb_typeof(m.content->'tool_calls') = 'array' THEN m.content->'tool_calls' ELSE '[]'::jsonb END
    ) WITH ORDINALITY AS t(call, i)
    WHERE m.role IN ('assistant', 'tool')
  ), ARRAY[]::TEXT[]),
  "call_names" = coalesce((
    SELECT array_agg(coalesce(t.call->>'name', '') ORDER BY o.n, t.i)
    FROM unnest(s.output_hashes) WITH ORDINALITY AS o(hash, n)
    JOIN "messages" m ON m.project_id = s.project_id AND m.hash = o.hash::CHAR(64)
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE WHEN jsonb_typeof(m.content->'tool_calls') = 'array' THEN m.content->'tool_calls' ELSE '[]'::jsonb END
    ) WITH ORDINALITY AS t(call, i)
    WHERE m.role IN ('assistant', 'tool')
  ), ARRAY[]::TEXT[]),
  "handoff_to" = s.attributes->>'causeway.handoff_to'
WHERE cardinality(s.context_hashes) > 0 OR cardinality(s.output_hashes) > 0 OR s.attributes ? 'causeway.handoff_to';
