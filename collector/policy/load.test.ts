import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadPolicyFile } from "@/collector/policy/load";

const file = (text: string) => {
  const p = path.join(mkdtempSync(path.join(tmpdir(), "causeway-policy-")), "policies.json");
  writeFileSync(p, text);
  return p;
};

test("the policy file is read at start-up with its actions; problems name the setting and the field", () => {
  assert.equal(loadPolicyFile(undefined), null);
  const set = loadPolicyFile(
    file(
      JSON.stringify({ agents: { "support-bot": { actions: [{ detector: "loop", minSeverity: "medium", action: "pause" }] } } }),
    ),
  );
  assert.deepEqual(set?.agents["support-bot"]?.actions, [{ detector: "loop", minSeverity: "medium", action: "pause" }]);
  assert.throws(
    () => loadPolicyFile("/nonexistent/p.json"),
    /^Error: CAUSEWAY_POLICY_FILE=\/nonexistent\/p.json: cannot read it/,
  );
  assert.throws(() => loadPolicyFile(file("{")), /CAUSEWAY_POLICY_FILE=.*JSON/);
  assert.throws(
    () => loadPolicyFile(file('{"agents":{"x":{"actions":[{"action":"resume"}]}}}')),
    /CAUSEWAY_POLICY_FILE=.*: agents\.x\.actions\.0\.action/,
  );
});
