-- Drift search (issue 6): indexes for GET /api/v1/search (lib/search/README.md).
--
-- Full-text search, built in (no extension: the embedded PGlite loads pg_trgm only when it is
-- created with it). The 'simple' configuration neither stems nor drops stop words, so order
-- numbers, error codes and tool names match as typed; a trailing * in a query matches by prefix.
--
-- causeway_message_words: the words of a stored message, from its text (a string, or the string
-- values of its parts) and its tool calls (names and arguments). One function for the index and
-- the queries, so both always compute the same expression.
CREATE FUNCTION causeway_message_words(content jsonb) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT jsonb_to_tsvector('simple'::regconfig, coalesce(content -> 'content', 'null'::jsonb), '["string"]'::jsonb)
        || jsonb_to_tsvector('simple'::regconfig, coalesce(content -> 'tool_calls', 'null'::jsonb), '["string"]'::jsonb)
  $$;

CREATE INDEX "messages_search_words_idx" ON "messages" USING gin (causeway_message_words("content"));

-- Which model calls saw or produced a message: text → runs, for words said in few runs.
CREATE INDEX "steps_search_messages_idx" ON "steps" USING gin (("context_hashes" || "output_hashes")) WHERE "kind" = 'llm';

-- The runs that called a tool or used a model (tool: and model: when they are rare), and the
-- distinct tools and models for autocomplete (a skip scan). "C" collation: a prefix (tool:send_*)
-- is an index range whatever the database's collation.
CREATE INDEX "steps_search_tool_idx" ON "steps" ("project_id", "tool_name" COLLATE "C", "run_id") WHERE "tool_name" IS NOT NULL;
CREATE INDEX "steps_search_model_idx" ON "steps" ("project_id", "model" COLLATE "C", "run_id") WHERE "model" IS NOT NULL;
