import assert from "node:assert/strict";
import { test } from "node:test";
import { findPreviousLlmStep, resolveAgents, type LightStep } from "@/lib/context/agents";

let clock = 0n;
const step = (spanId: string, parentSpanId: string | null, kind: string, agentName: string | null = null): LightStep => ({
  spanId,
  parentSpanId,
  kind,
  agentName,
  startNs: (clock += 10n),
});

// workflow
//  ├─ Triage (agent)
//  │   ├─ t1 llm        decides get_weather
//  │   ├─ tool
//  │   ├─ t2 llm        decides the handoff
//  │   └─ Forecaster (agent)
//  │       └─ f1 llm
//  └─ Triage again (agent)
//      └─ t3 llm
const steps = [
  step("wf", null, "chain"),
  step("triage", "wf", "agent", "Triage"),
  step("t1", "triage", "llm"),
  step("tool", "triage", "tool"),
  step("t2", "triage", "llm"),
  step("forecaster", "triage", "agent", "Forecaster"),
  step("f1", "forecaster", "llm"),
  step("triage2", "wf", "agent", "Triage"),
  step("t3", "triage2", "llm"),
];

test("a step's agent is its own name or its nearest named ancestor's", () => {
  const agents = resolveAgents(steps);
  assert.deepEqual(Object.fromEntries(agents), {
    wf: null,
    triage: "Triage",
    t1: "Triage",
    tool: "Triage",
    t2: "Triage",
    forecaster: "Forecaster",
    f1: "Forecaster",
    triage2: "Triage",
    t3: "Triage",
  });
});

test("the previous call is the latest earlier LLM step, of the same agent when there is one", () => {
  const prev = (id: string) => findPreviousLlmStep(steps, id)?.spanId ?? null;
  assert.equal(prev("t1"), null, "first call");
  assert.equal(prev("t2"), "t1");
  assert.equal(prev("f1"), "t2", "no earlier Forecaster call: the latest call of any agent");
  assert.equal(prev("t3"), "t2", "Triage's own previous call, not the Forecaster's");
  assert.equal(prev("nope"), null);
});

test("equal start times order by span id; orphans and parent cycles do not hang", () => {
  const same = [
    { spanId: "b", parentSpanId: "x", kind: "llm", agentName: null, startNs: 5n },
    { spanId: "a", parentSpanId: "b", kind: "llm", agentName: null, startNs: 5n },
    { spanId: "x", parentSpanId: "a", kind: "agent", agentName: null, startNs: 1n },
  ];
  assert.equal(findPreviousLlmStep(same, "b")?.spanId, "a");
  assert.equal(findPreviousLlmStep(same, "a"), null);
  assert.equal(resolveAgents(same).get("a"), null);
});

test("a deep chain of 50k steps resolves without recursion", () => {
  const deep: LightStep[] = [];
  for (let i = 0; i < 50_000; i++)
    deep.push({
      spanId: `s${i}`,
      parentSpanId: i ? `s${i - 1}` : null,
      kind: "llm",
      agentName: i === 0 ? "root" : null,
      startNs: BigInt(i),
    });
  const agents = resolveAgents(deep);
  assert.equal(agents.get("s49999"), "root");
  assert.equal(findPreviousLlmStep(deep, "s49999", agents)?.spanId, "s49998");
});
