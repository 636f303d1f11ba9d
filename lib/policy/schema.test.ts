import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePolicyFile, runtimePolicy } from "@/lib/policy/schema";

test("a policy file is the drift policy file plus actions; defaults are filled in", () => {
  const file = parsePolicyFile({
    agents: {
      "support-bot": {
        allowTools: ["lookup_order", "send_reply"],
        forbiddenSequences: [["read_private_*", "send_email"]],
        budgets: { maxSteps: 200, maxTokens: 100_000 },
        actions: [{ detector: "loop", minSeverity: "medium", action: "pause" }, { action: "kill" }],
      },
      "*": { denyTools: ["shell"] },
    },
  });
  assert.deepEqual(file.agents["support-bot"]?.actions, [
    { detector: "loop", minSeverity: "medium", action: "pause" },
    { detector: "*", minSeverity: "high", action: "kill" },
  ]);
  assert.deepEqual(file.agents["*"]?.actions, []);
  assert.equal(file.agents["*"]?.severity, "high");
  // What is stored (the parsed form) parses to itself, so it can be read back from the database.
  const stored = JSON.parse(JSON.stringify(file.agents["support-bot"]));
  assert.deepEqual(runtimePolicy.parse(stored), stored);
});

test("errors name the field", () => {
  const problem = (value: unknown) => {
    try {
      parsePolicyFile(value);
    } catch (error) {
      return (error as Error).message;
    }
    assert.fail("expected an error");
  };
  assert.match(problem({ agents: { bot: { actions: [{ action: "resume" }] } } }), /^agents\.bot\.actions\.0\.action: /);
  assert.match(
    problem({ agents: { bot: { actions: [{ detector: "loops", action: "kill" }] } } }),
    /agents\.bot\.actions\.0\.detector/,
  );
  assert.match(
    problem({ agents: { bot: { actions: [{ minSeverity: "severe", action: "kill" }] } } }),
    /agents\.bot\.actions\.0\.minSeverity/,
  );
  assert.match(problem({ agents: { bot: { actions: [{ action: "kill", when: "now" }] } } }), /agents\.bot\.actions\.0: .*when/);
  assert.match(problem({ agents: { bot: { budgets: { maxTokens: 0 } } } }), /agents\.bot\.budgets\.maxTokens/);
  assert.match(problem({ agents: { bot: { allowTool: ["x"] } } }), /agents\.bot: .*allowTool/);
  assert.match(problem({ agents: { "": {} } }), /agents/);
  assert.match(problem({ policies: {} }), /\(root\)|agents/);
});
