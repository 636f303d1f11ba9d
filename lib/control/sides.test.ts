import assert from "node:assert/strict";
import { test } from "node:test";
import { controlSides } from "@/lib/control/sides";

const none = { run_desired: null, run_version: null, run_reason: null, run_actor: null, agent_id: null };
const noAgent = { agent_desired: null, agent_version: null, agent_reason: null, agent_actor: null };

test("a side whose control row does not exist is null; an existing one keeps its values", () => {
  assert.deepEqual(controlSides({ ...none, ...noAgent }), { run: null, agent: null });
  assert.deepEqual(
    controlSides({
      ...none,
      run_desired: "paused",
      run_version: 3,
      run_reason: "checking",
      run_actor: "ada",
      agent_id: "a1",
      ...noAgent,
      agent_desired: "killed",
      agent_version: 1,
    }),
    {
      run: { desired: "paused", version: 3, reason: "checking", actorLabel: "ada" },
      agent: { desired: "killed", version: 1, reason: "", actorLabel: "" },
    },
  );
});
