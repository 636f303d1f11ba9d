-- GenAI events sent as OTLP log records (POST /v1/logs; collector/normalize/logs.ts), one row per record, for the
-- model call span (project, run, span) the record names. A record may arrive before its span or after it, in any
-- request; the collector applies the events to the step once both are stored (collector/store/log-events.ts), and
-- recomputes from all the rows of the span each time, so the rows stay after they have been applied.
--
-- record_key: sha256 of the record's cleaned content, so a redelivered record is stored once.
-- time_ns, seq: the record's time and its arrival order (orders records sent with the same timestamp).
-- kind: 'message' (gen_ai.{system,user,assistant,tool}.message), 'choice' (gen_ai.choice), 'details'
--   (gen_ai.client.inference.operation.details).
-- system_messages, input_messages, output_messages: what the event contributes, NULL when it does not provide it;
--   each a JSON array of {hash, role, toolCalls?, toolCallId?, cuts?} whose hash is a row of messages (content is
--   stored there, once, already redacted).
-- No foreign key to runs or steps: the records may come first.
CREATE TABLE "genai_log_events" (
    "project_id" UUID NOT NULL,
    "run_id" CHAR(32) NOT NULL,
    "span_id" CHAR(16) NOT NULL,
    "record_key" CHAR(64) NOT NULL,
    "event_name" TEXT NOT NULL,
    "time_ns" BIGINT NOT NULL,
    "seq" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "choice_index" INTEGER,
    "system_messages" JSONB,
    "input_messages" JSONB,
    "output_messages" JSONB,
    "finish_reason" TEXT,
    "tools" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "genai_log_events_pkey" PRIMARY KEY ("project_id","run_id","span_id","record_key"),
    CONSTRAINT "genai_log_events_kind_check" CHECK ("kind" IN ('message', 'choice', 'details'))
);

ALTER TABLE "genai_log_events" ADD CONSTRAINT "genai_log_events_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
