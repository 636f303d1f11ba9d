-- Live control (issue 5).
--
-- run_controls keeps its foreign key to runs: a control client may register a run
-- before the run's first span arrives, and then registration inserts the run row the
-- way the span writer would (INSERT ... ON CONFLICT DO NOTHING; the writer fills in
-- the aggregates later). Deleting a run still removes its control state.
--
-- agent_id: the agent whose commands reach this run. Bound once (from the client's
-- registration, else the run's agent) and never changed, so the effective version
-- run.version + agent.version can only grow.
-- owner_key_id: the API key that registered the run first; only it may listen and
-- acknowledge ("static" for CAUSEWAY_INGEST_KEY, which has no row).
-- reason / actor_label: of the last command, sent to the agent with the state.
-- client_lease_until: a control client counts as connected until then; the collector
-- renews it with each heartbeat and clears it on disconnect (a crashed collector's
-- lease simply runs out).
ALTER TABLE "run_controls"
    ADD COLUMN "agent_id" UUID,
    ADD COLUMN "owner_key_id" TEXT,
    ADD COLUMN "reason" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "actor_label" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "registered_at" TIMESTAMPTZ(3),
    ADD COLUMN "client_seen_at" TIMESTAMPTZ(3),
    ADD COLUMN "client_lease_until" TIMESTAMPTZ(3);

CREATE INDEX "run_controls_agent_id_idx" ON "run_controls"("agent_id");

ALTER TABLE "agent_controls"
    ADD COLUMN "reason" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "actor_label" TEXT NOT NULL DEFAULT '';

-- An agent command is one event, and one child event per run it reached (parent_id),
-- each tracking its own delivery and application.
ALTER TABLE "control_events" ADD COLUMN "parent_id" BIGINT;

CREATE INDEX "control_events_parent_id_idx" ON "control_events"("parent_id");

ALTER TABLE "control_events" ADD CONSTRAINT "control_events_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "control_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
