import assert from "node:assert/strict";
import { test } from "node:test";
import type { AgentSummary } from "@/lib/api/schemas";
import { agentOptions } from "@/lib/runs/agent-options";

const agent = (id: string, serviceName: string, instanceId = ""): AgentSummary => ({
  id,
  serviceName,
  instanceId,
  firstSeenAt: "2026-11-21T10:00:00.000Z",
  lastSeenAt: "2026-11-21T10:00:00.000Z",
});

test("an agent is listed by its service name, with the instance only when the name is shared", () => {
  assert.deepEqual(
    agentOptions([agent("1", "billing-bot", "pod-1"), agent("2", "support-bot", "pod-a"), agent("3", "support-bot")]),
    [
      { id: "1", label: "billing-bot" },
      { id: "2", label: "support-bot · pod-a" },
      { id: "3", label: "support-bot · no instance id" },
    ],
  );
});
