import assert from "node:assert/strict";
import { test } from "node:test";
import { detectBudget } from "@/lib/drift/budget";
import { parseDriftConfig } from "@/lib/drift/config";
import { RunBuilder } from "@/lib/drift/test-steps";
import type { BaselineRun } from "@/lib/drift/types";

const config = parseDriftConfig().budget;

/** Usual runs: 9 steps (root + 4 × (llm + tool)) and about 2,000 tokens. */
function baseline(n: number): BaselineRun[] {
  return Array.from({ length: n }, (_, i) => ({ runId: `b${i}`, totalTokens: 1800 + (i % 5) * 100, steps: 9 }));
}

function agentRun(turns: number, tokensPerCall = 500) {
  const run = new RunBuilder();
  for (let i = 0; i < turns; i++) run.llm({ inputTokens: tokensPerCall - 20 }).tool("search", { i }, { result: i });
  return run;
}

test("tokens and steps far above the agent's usual runs: reported where the total crossed the limit", () => {
  const run = agentRun(12);
  const findings = detectBudget({ runId: "r", live: true, steps: run.steps, baseline: baseline(20) }, config);
  assert.deepEqual(
    findings.map((f) => f.evidence.rule),
    ["tokens", "steps"],
  );
  const [tokens, steps] = findings;
  // limit = max(mean + 3σ, 2 × median) = max(2000 + 3·141, 4000) = 4000: the 9th model call brings 4,500.
  assert.equal(tokens!.evidence.limit, 4000);
  assert.equal(tokens!.spanId, run.nth("llm", 8).spanId);
  assert.equal(tokens!.severity, "medium");
  assert.equal(tokens!.evidence.value, 6000);
  assert.match(tokens!.summary, /^6,000 tokens so far: 3× this agent's usual 2,000 \(limit 4,000, crossed at step 18\)$/);
  // steps: limit = max(9 + 0, 18) = 18 → crossed at step 19, 25 steps = 1.39× the limit.
  assert.equal(steps!.spanId, run.steps[18]!.spanId);
  assert.equal(steps!.evidence.value, 25);
});

test("no baseline, no finding: fewer than 20 earlier runs never fire", () => {
  const run = agentRun(40);
  assert.deepEqual(detectBudget({ runId: "r", live: false, steps: run.steps, baseline: baseline(19) }, config), []);
  // The run itself is not its own baseline.
  const withSelf = [...baseline(19), { runId: "r", totalTokens: 100, steps: 9 }];
  assert.deepEqual(detectBudget({ runId: "r", live: false, steps: run.steps, baseline: withSelf }, config), []);
});

test("must not fire: a run within the usual range", () => {
  const run = agentRun(5);
  assert.deepEqual(detectBudget({ runId: "r", live: false, steps: run.steps, baseline: baseline(30) }, config), []);
});

test("severity rises with the multiple of the limit", () => {
  const run = agentRun(20);
  const [tokens] = detectBudget({ runId: "r", live: false, steps: run.steps, baseline: baseline(20) }, config);
  assert.equal(tokens!.severity, "high"); // 10,000 tokens = 2.5× a 4,000 limit
  assert.equal(
    detectBudget({ runId: "r", live: false, steps: agentRun(200).steps, baseline: baseline(20) }, config)[0]!.severity,
    "critical",
  );
});

function contextRun(sizes: number[], unit: "tokens" | "bytes" = "tokens") {
  const run = new RunBuilder();
  for (const size of sizes)
    run.llm(unit === "tokens" ? { inputTokens: size } : { contextBytes: size }).tool("read_file", { size }, { result: size });
  return run;
}

test("context doubling each call is superlinear growth", () => {
  const run = contextRun([600, 1200, 2400, 4800, 9600, 19200]);
  const [finding, ...rest] = detectBudget({ runId: "r", live: true, steps: run.steps }, config);
  assert.equal(rest.length, 0);
  assert.equal(finding!.evidence.rule, "context_growth");
  assert.equal(finding!.spanId, run.nth("llm", 4).spanId, "the fourth increase");
  assert.deepEqual(finding!.evidence.sizes, [600, 1200, 2400, 4800, 9600, 19200]);
  assert.match(
    finding!.summary,
    /^context growing faster each call: 600 → 1,200 → 2,400 → 4,800 → 9,600 → 19.2k input tokens at steps 2–12$/,
  );
  assert.equal(finding!.severity, "high", "32× the first size");
});

test("quadratic growth fires; linear growth, noise and small contexts do not", () => {
  const quadratic = contextRun([1000, 1500, 2500, 4000, 6000, 8500]);
  assert.equal(detectBudget({ runId: "r", live: true, steps: quadratic.steps }, config).length, 1);
  const linear = contextRun([1000, 1800, 2600, 3400, 4200, 5000, 5800, 6600]);
  assert.deepEqual(detectBudget({ runId: "r", live: true, steps: linear.steps }, config), []);
  const noisy = contextRun([1000, 1700, 2600, 3300, 4400, 5000, 5900, 6500]);
  assert.deepEqual(detectBudget({ runId: "r", live: true, steps: noisy.steps }, config), []);
  const small = contextRun([100, 150, 250, 400, 600, 850]);
  assert.deepEqual(detectBudget({ runId: "r", live: true, steps: small.steps }, config), []);
});

test("context bytes stand in when the model calls report no tokens", () => {
  const run = contextRun([2000, 4000, 8000, 16000, 32000], "bytes");
  const [finding] = detectBudget({ runId: "r", live: true, steps: run.steps }, config);
  assert.equal(finding!.evidence.unit, "bytes");
});
