-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('viewer', 'operator', 'admin');

-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('ingest', 'read', 'operate');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('live', 'ok', 'error', 'paused', 'killed');

-- CreateEnum
CREATE TYPE "StepKind" AS ENUM ('llm', 'tool', 'agent', 'retrieval', 'guardrail', 'chain', 'other');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('unset', 'ok', 'error');

-- CreateEnum
CREATE TYPE "EdgeKind" AS ENUM ('tool_call', 'tool_result', 'handoff', 'data');

-- CreateEnum
CREATE TYPE "DriftSeverity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "ControlDesired" AS ENUM ('running', 'paused', 'killed');

-- CreateEnum
CREATE TYPE "ControlAction" AS ENUM ('kill', 'pause', 'resume');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'api_key', 'admin_token', 'policy', 'agent');

-- CreateTable
CREATE TABLE "projects" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'viewer',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sign_in_at" TIMESTAMPTZ(3),
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "user_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit_hits" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_limit_hits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "project_id" UUID,
    "actor_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "service_name" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL DEFAULT '',
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "project_id" UUID NOT NULL,
    "id" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "run_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("project_id","id")
);

-- CreateTable
CREATE TABLE "runs" (
    "project_id" UUID NOT NULL,
    "id" CHAR(32) NOT NULL,
    "agent_id" UUID,
    "session_id" TEXT,
    "name" TEXT NOT NULL DEFAULT '',
    "status" "RunStatus" NOT NULL DEFAULT 'live',
    "root_span_id" CHAR(16),
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "ended_at" TIMESTAMPTZ(6),
    "last_activity_at" TIMESTAMPTZ(6) NOT NULL,
    "step_count" INTEGER NOT NULL DEFAULT 0,
    "llm_call_count" INTEGER NOT NULL DEFAULT 0,
    "tool_call_count" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "total_tokens" BIGINT NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "drift_count" INTEGER NOT NULL DEFAULT 0,
    "max_drift_severity" "DriftSeverity",
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("project_id","id")
);

-- CreateTable
CREATE TABLE "steps" (
    "project_id" UUID NOT NULL,
    "run_id" CHAR(32) NOT NULL,
    "span_id" CHAR(16) NOT NULL,
    "parent_span_id" CHAR(16),
    "kind" "StepKind" NOT NULL DEFAULT 'other',
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL DEFAULT 'generic',
    "span_kind" SMALLINT NOT NULL DEFAULT 0,
    "status" "StepStatus" NOT NULL DEFAULT 'unset',
    "status_message" TEXT,
    "start_ns" BIGINT NOT NULL,
    "end_ns" BIGINT,
    "agent_name" TEXT,
    "provider" TEXT,
    "model" TEXT,
    "tool_name" TEXT,
    "tool_call_id" TEXT,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "context_hashes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "output_hashes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "events" JSONB NOT NULL DEFAULT '[]',
    "links" JSONB NOT NULL DEFAULT '[]',
    "scope_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "steps_pkey" PRIMARY KEY ("project_id","run_id","span_id")
);

-- CreateTable
CREATE TABLE "step_payloads" (
    "project_id" UUID NOT NULL,
    "run_id" CHAR(32) NOT NULL,
    "span_id" CHAR(16) NOT NULL,
    "input" TEXT,
    "output" TEXT,
    "input_full_bytes" INTEGER,
    "output_full_bytes" INTEGER,

    CONSTRAINT "step_payloads_pkey" PRIMARY KEY ("project_id","run_id","span_id")
);

-- CreateTable
CREATE TABLE "messages" (
    "project_id" UUID NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "role" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("project_id","hash")
);

-- CreateTable
CREATE TABLE "step_edges" (
    "project_id" UUID NOT NULL,
    "run_id" CHAR(32) NOT NULL,
    "from_span_id" CHAR(16) NOT NULL,
    "to_span_id" CHAR(16) NOT NULL,
    "kind" "EdgeKind" NOT NULL,
    "via" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "step_edges_pkey" PRIMARY KEY ("project_id","run_id","from_span_id","to_span_id","kind")
);

-- CreateTable
CREATE TABLE "drift_points" (
    "id" BIGSERIAL NOT NULL,
    "project_id" UUID NOT NULL,
    "run_id" CHAR(32) NOT NULL,
    "span_id" CHAR(16) NOT NULL,
    "detector" TEXT NOT NULL,
    "severity" "DriftSeverity" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "summary" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_points_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_controls" (
    "project_id" UUID NOT NULL,
    "run_id" CHAR(32) NOT NULL,
    "desired" "ControlDesired" NOT NULL DEFAULT 'running',
    "version" INTEGER NOT NULL DEFAULT 0,
    "applied_version" INTEGER NOT NULL DEFAULT 0,
    "applied_at" TIMESTAMPTZ(3),
    "applied_span_id" CHAR(16),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_controls_pkey" PRIMARY KEY ("project_id","run_id")
);

-- CreateTable
CREATE TABLE "agent_controls" (
    "agent_id" UUID NOT NULL,
    "desired" "ControlDesired" NOT NULL DEFAULT 'running',
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_controls_pkey" PRIMARY KEY ("agent_id")
);

-- CreateTable
CREATE TABLE "control_events" (
    "id" BIGSERIAL NOT NULL,
    "project_id" UUID NOT NULL,
    "run_id" CHAR(32),
    "agent_id" UUID,
    "action" "ControlAction" NOT NULL,
    "desired" "ControlDesired" NOT NULL,
    "version" INTEGER NOT NULL,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "request_id" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "acknowledged_at" TIMESTAMPTZ(3),
    "applied_at" TIMESTAMPTZ(3),
    "applied_span_id" CHAR(16),

    CONSTRAINT "control_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "projects_slug_key" ON "projects"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "user_sessions_token_hash_key" ON "user_sessions"("token_hash");

-- CreateIndex
CREATE INDEX "user_sessions_user_id_idx" ON "user_sessions"("user_id");

-- CreateIndex
CREATE INDEX "user_sessions_expires_at_idx" ON "user_sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_project_id_created_at_idx" ON "api_keys"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "rate_limit_hits_key_at_idx" ON "rate_limit_hits"("key", "at");

-- CreateIndex
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");

-- CreateIndex
CREATE INDEX "agents_project_id_service_name_idx" ON "agents"("project_id", "service_name");

-- CreateIndex
CREATE UNIQUE INDEX "agents_project_id_service_name_instance_id_key" ON "agents"("project_id", "service_name", "instance_id");

-- CreateIndex
CREATE INDEX "sessions_project_id_last_seen_at_idx" ON "sessions"("project_id", "last_seen_at" DESC);

-- CreateIndex
CREATE INDEX "runs_project_id_started_at_id_idx" ON "runs"("project_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "runs_project_id_status_started_at_idx" ON "runs"("project_id", "status", "started_at" DESC);

-- CreateIndex
CREATE INDEX "runs_project_id_agent_id_started_at_idx" ON "runs"("project_id", "agent_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "runs_project_id_session_id_started_at_idx" ON "runs"("project_id", "session_id", "started_at");

-- CreateIndex
CREATE INDEX "runs_project_id_last_activity_at_idx" ON "runs"("project_id", "last_activity_at" DESC);

-- CreateIndex
CREATE INDEX "steps_project_id_run_id_start_ns_idx" ON "steps"("project_id", "run_id", "start_ns");

-- CreateIndex
CREATE INDEX "steps_project_id_run_id_tool_call_id_idx" ON "steps"("project_id", "run_id", "tool_call_id");

-- CreateIndex
CREATE INDEX "drift_points_project_id_run_id_idx" ON "drift_points"("project_id", "run_id");

-- CreateIndex
CREATE INDEX "drift_points_project_id_detector_severity_created_at_idx" ON "drift_points"("project_id", "detector", "severity", "created_at" DESC);

-- CreateIndex
CREATE INDEX "drift_points_project_id_created_at_idx" ON "drift_points"("project_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "drift_points_project_id_run_id_span_id_detector_key" ON "drift_points"("project_id", "run_id", "span_id", "detector");

-- CreateIndex
CREATE INDEX "control_events_project_id_run_id_issued_at_idx" ON "control_events"("project_id", "run_id", "issued_at");

-- CreateIndex
CREATE INDEX "control_events_agent_id_issued_at_idx" ON "control_events"("agent_id", "issued_at");

-- CreateIndex
CREATE UNIQUE INDEX "control_events_project_id_request_id_key" ON "control_events"("project_id", "request_id");

-- AddForeignKey
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_project_id_session_id_fkey" FOREIGN KEY ("project_id", "session_id") REFERENCES "sessions"("project_id", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "steps" ADD CONSTRAINT "steps_project_id_run_id_fkey" FOREIGN KEY ("project_id", "run_id") REFERENCES "runs"("project_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "step_payloads" ADD CONSTRAINT "step_payloads_project_id_run_id_span_id_fkey" FOREIGN KEY ("project_id", "run_id", "span_id") REFERENCES "steps"("project_id", "run_id", "span_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "step_edges" ADD CONSTRAINT "step_edges_project_id_run_id_fkey" FOREIGN KEY ("project_id", "run_id") REFERENCES "runs"("project_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drift_points" ADD CONSTRAINT "drift_points_project_id_run_id_fkey" FOREIGN KEY ("project_id", "run_id") REFERENCES "runs"("project_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_controls" ADD CONSTRAINT "run_controls_project_id_run_id_fkey" FOREIGN KEY ("project_id", "run_id") REFERENCES "runs"("project_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_controls" ADD CONSTRAINT "agent_controls_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Seed: the default project every instance starts with.
INSERT INTO "projects" ("slug", "name") VALUES ('default', 'Default project');
