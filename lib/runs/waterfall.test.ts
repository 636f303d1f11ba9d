import assert from "node:assert/strict";
import { test } from "node:test";
import { buildWaterfall } from "@/lib/runs/waterfall";
import { buildStep } from "@/test/helpers/steps";

const step = buildStep;

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
