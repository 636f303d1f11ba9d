-- Drift detection (issue 6).
--
-- agent_egress_hosts: every host an agent (service.name: one agent across its
-- instances and restarts) has called from a CLIENT span, with the run that called it
-- first. The "new egress" detector flags a host whose first run is the run being
-- judged. Recording and reading happen in one statement per evaluation (INSERT … ON
-- CONFLICT DO NOTHING), so concurrent runs and collector replicas agree on which run
-- was first. Baselines for budgets and trajectories are read from runs and steps
-- (index runs(project_id, agent_id, started_at DESC)), so they need no table.
-- No foreign key to projects: the schema declares this model without relations.
CREATE TABLE "agent_egress_hosts" (
    "project_id" UUID NOT NULL,
    "service_name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "first_run_id" CHAR(32) NOT NULL,
    "first_span_id" CHAR(16) NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_egress_hosts_pkey" PRIMARY KEY ("project_id","service_name","host")
);

