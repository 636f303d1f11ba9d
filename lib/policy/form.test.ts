import assert from "node:assert/strict";
import { test } from "node:test";
import { fromForm, parseSequence, toForm } from "@/lib/policy/form";
import { runtimePolicy } from "@/lib/policy/schema";

test("a policy survives the form both ways", () => {
  const policy = runtimePolicy.parse({
    allowTools: ["lookup_order", "send_reply"],
    denyTools: ["shell"],
    allowHosts: ["*.internal.example"],
    forbiddenSequences: [
      { name: "exfiltration", steps: ["read_private_*", "send_email"] },
      { steps: ["a", "b", "c"], severity: "high" },
    ],
    budgets: { maxSteps: 200, maxTokens: 100_000 },
    severity: "critical",
    actions: [{ detector: "loop", minSeverity: "medium", action: "pause" }],
  });
  const form = toForm(policy);
  assert.equal(form.forbiddenSequences, "exfiltration: read_private_* > send_email\na > b > c [high]");
  assert.equal(form.budgets.maxTokens, "100000");
  assert.deepEqual(runtimePolicy.parse(fromForm(form)), policy);
});

test("an empty form is an empty policy; lists take commas and new lines", () => {
  assert.deepEqual(runtimePolicy.parse(fromForm(toForm(null))), { severity: "high", actions: [] });
  const form = { ...toForm(null), allowTools: " a, b\n\nc ", budgets: { ...toForm(null).budgets, maxSteps: "1_000" } };
  assert.deepEqual(fromForm(form).allowTools, ["a", "b", "c"]);
  assert.deepEqual(fromForm(form).budgets, { maxSteps: 1000 });
});

test("a bad budget reaches the API as typed, so its error names the field", () => {
  const form = { ...toForm(null), budgets: { ...toForm(null).budgets, maxTokens: "lots" } };
  const result = runtimePolicy.safeParse(fromForm(form));
  assert.equal(result.success, false);
  assert.deepEqual(result.error?.issues[0]?.path, ["budgets", "maxTokens"]);
});

test("sequence lines: name, arrows, severity", () => {
  assert.deepEqual(parseSequence("read_file → send_email"), { steps: ["read_file", "send_email"] });
  assert.deepEqual(parseSequence("leak: a>b [medium]"), { steps: ["a", "b"], name: "leak", severity: "medium" });
  assert.deepEqual(parseSequence("a > b [soon]"), { steps: ["a", "b [soon]"] }, "not a severity: part of the name");
});
