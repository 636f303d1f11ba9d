-- Runtime policies (issue 6): per project and agent (service.name, or "*" for agents
-- without an entry of their own), what the agent may do and what happens when a drift
-- detector fires on one of its live runs (record, pause, kill).
--
-- policy: the validated policy (lib/policy/schema.ts), stored in its parsed form so it
-- reads back unchanged.
-- source: "ui" for policies edited in the UI or the REST API; "file" for the entries of
-- CAUSEWAY_POLICY_FILE, which the collector writes at start-up over any row of the same
-- agent (and deletes when they leave the file). The API refuses to change "file" rows:
-- the file is the one place to edit them.
CREATE TYPE "PolicySource" AS ENUM ('ui', 'file');

CREATE TABLE "agent_policies" (
    "project_id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "policy" JSONB NOT NULL,
    "source" "PolicySource" NOT NULL DEFAULT 'ui',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "agent_policies_pkey" PRIMARY KEY ("project_id","agent")
);

ALTER TABLE "agent_policies" ADD CONSTRAINT "agent_policies_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
