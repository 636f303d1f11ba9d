import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadPolicyFile } from "@/collector/drift/policies";

const file = (text: string) => {
  const p = path.join(mkdtempSync(path.join(tmpdir(), "causeway-policy-")), "policies.json");
  writeFileSync(p, text);
  return p;
};

test("a policy file is read and validated at start-up; problems name the setting and the path", () => {
  assert.equal(loadPolicyFile(undefined), null);
  const set = loadPolicyFile(
    file(
      JSON.stringify({
        agents: { "support-bot": { allowTools: ["lookup_*"], forbiddenSequences: [["read_private_*", "send_email"]] } },
      }),
    ),
  );
  assert.deepEqual(set?.agents["support-bot"]?.forbiddenSequences, [
    { steps: ["read_private_*", "send_email"], name: undefined, severity: "critical" },
  ]);
  assert.throws(
    () => loadPolicyFile("/nonexistent/policies.json"),
    /^Error: CAUSEWAY_POLICY_FILE=\/nonexistent\/policies.json: cannot read it/,
  );
  assert.throws(() => loadPolicyFile(file("{")), /CAUSEWAY_POLICY_FILE=.*JSON/);
  assert.throws(() => loadPolicyFile(file('{"agents":{"x":{"budgets":{"maxSteps":-1}}}}')), /agents\.x\.budgets\.maxSteps/);
});
