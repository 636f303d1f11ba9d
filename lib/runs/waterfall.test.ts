import assert from "node:assert/strict";
import { test } from "node:test";
import type { StepSummary } from "@/lib/api/schemas";
import { buildWaterfall } from "@/lib/runs/waterfall";

const base = 1_763_700_000_000_000_000n;
function step(
  spanId: string,
  parentSpanId: string | null,
  startMs: number,
  endMs: number,
  extra: Partial<StepSummary> = {},
): StepSummary {
  return {
    spanId,
    parentSpanId,
    kind: "other",
    name: spanId,
    family: "generic",
    status: "ok",
    statusMessage: null,
    startNs: String(base + BigInt(startMs) * 1_000_000n),
    endNs: String(base + BigInt(endMs) * 1_000_000n),
    agentName: null,
    provider: null,
    model: null,
    toolName: null,
    toolCallId: null,
    inputTokens: null,
    outputTokens: null,
    handoffTo: null,
    contextSize: 0,
    ...extra,
  };
}

test("bars are placed within the run and links are phrased both ways", () => {
  const rows = buildWaterfall({
    steps: [
      step("root", null, 0, 1000),
      step("d1", "root", 0, 250, { kind: "llm", name: "chat gpt-4o" }),
      step("t1", "root", 250, 750, { kind: "tool", toolName: "get_weather", name: "execute_tool get_weather" }),
    ],
    edges: [{ from: "d1", to: "t1", kind: "tool_call", via: "c1" }],
  });
  assert.deepEqual(
    rows.map((r) => [r.step.spanId, r.depth, r.offset, r.width, r.durationMs]),
    [
      ["root", 0, 0, 1, 1000],
      ["d1", 1, 0, 0.25, 250],
      ["t1", 1, 0.25, 0.5, 500],
    ],
  );
  assert.deepEqual(
    rows[1]!.links.map((l) => l.label),
    ["chose get_weather"],
  );
  assert.deepEqual(
    rows[2]!.links.map((l) => l.label),
    ["chosen by chat gpt-4o"],
  );
});
