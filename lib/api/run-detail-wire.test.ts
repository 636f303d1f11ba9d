import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  decodeRunDetail,
  encodeRunDetail,
  runDetailResponse,
  runDetailWire,
  type RunDetailWire,
} from "@/lib/api/run-detail-wire";
import { STEP_KINDS, type RunDetail } from "@/lib/api/schemas";
import { agentShapedRun } from "@/lib/graph/run-builder";
import { BASE_NS, buildStep } from "@/test/helpers/steps";

/** Through JSON, as the browser gets it. */
const roundTrip = (d: RunDetail) => runDetailResponse.parse(JSON.parse(JSON.stringify(encodeRunDetail(d))));

test("an agent-shaped run comes back unchanged through the wire columns", () => {
  const detail = agentShapedRun(2_000);
  assert.deepEqual(roundTrip(detail), detail);
});

test("strings are interned and times are nanosecond offsets from the earliest start", () => {
  const detail = agentShapedRun(0);
  detail.steps = [
    buildStep("b", "a", 5, 9, { kind: "tool", toolName: "search", toolCallId: "call_1" }),
    buildStep("a", null, 2, null, { kind: "agent", agentName: "planner", handoffTo: "billing" }),
    buildStep("c", "a", 7, 8, { kind: "tool", toolName: "search", status: "error", statusMessage: "timeout" }),
  ];
  detail.edges = [{ from: "a", to: "b", kind: "handoff", via: "billing" }];
  const wire = encodeRunDetail(detail);
  assert.equal(wire.baseNs, String(BASE_NS + 2_000_000n));
  assert.deepEqual(wire.steps.startNs, [3_000_000, 0, 5_000_000]);
  assert.deepEqual(wire.steps.endNs, [7_000_000, null, 6_000_000]);
  assert.equal(wire.strings[wire.steps.toolName[0]!], "search");
  assert.equal(wire.steps.toolName[0], wire.steps.toolName[2]);
  assert.equal(wire.strings.filter((s) => s === "search").length, 1);
  assert.deepEqual(
    wire.steps.statusMessage.map((i) => (i < 0 ? null : wire.strings[i])),
    [null, null, "timeout"],
  );
  assert.deepEqual([wire.edges.from, wire.edges.to], [[1], [0]]);
  assert.deepEqual(roundTrip(detail), detail);
});

test("any steps and times survive the round trip, however far apart the times are", () => {
  const ns = fc.oneof(
    fc.bigInt({ min: BASE_NS - 10n ** 12n, max: BASE_NS + 10n ** 12n }),
    fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
    fc.constantFrom(0n, 999_999_999_999_999n, 1_000_000_000_000_000n, (1n << 63n) - 1n),
  );
  const text = fc.option(fc.string({ maxLength: 6 }), { nil: null });
  const step = fc.record({
    kind: fc.constantFrom(...STEP_KINDS),
    status: fc.constantFrom("unset" as const, "ok" as const, "error" as const),
    name: fc.string({ maxLength: 6 }),
    start: ns,
    end: fc.option(ns, { nil: null }),
    parent: fc.option(fc.nat({ max: 12 }), { nil: null }),
    agentName: text,
    toolCallId: text,
    tokens: fc.option(fc.nat(), { nil: null }),
    contextSize: fc.nat(),
  });
  fc.assert(
    fc.property(fc.array(step, { maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat(), text)), (specs, links) => {
      const detail = agentShapedRun(0);
      detail.steps = specs.map((s, i) => ({
        ...buildStep(`s${i}`, s.parent === null ? null : `s${s.parent}`, 0, null),
        kind: s.kind,
        status: s.status,
        name: s.name,
        startNs: s.start.toString(),
        endNs: s.end === null ? null : s.end.toString(),
        agentName: s.agentName,
        toolCallId: s.toolCallId,
        inputTokens: s.tokens,
        contextSize: s.contextSize,
      }));
      detail.edges = specs.length
        ? links.map(([a, b, via]) => ({ from: `s${a % specs.length}`, to: `s${b % specs.length}`, kind: "tool_call", via }))
        : [];
      assert.deepEqual(roundTrip(detail), detail);
    }),
    { numRuns: 300 },
  );
});

test("edges to steps the run does not have are left out", () => {
  const detail = agentShapedRun(20);
  const kept = detail.edges.length;
  detail.edges.push({ from: detail.steps[0]!.spanId, to: "ffffffffffffffff", kind: "tool_call", via: null });
  assert.equal(roundTrip(detail).edges.length, kept);
});

test("malformed columns are refused with a message that names them", () => {
  const wire = (): RunDetailWire => JSON.parse(JSON.stringify(encodeRunDetail(agentShapedRun(30)))) as RunDetailWire;
  const refused = (w: unknown, message: RegExp) => {
    const r = runDetailResponse.safeParse(w);
    assert.equal(r.success, false);
    assert.match(r.error!.issues.map((i) => i.message).join("\n"), message);
  };
  let w = wire();
  const n = w.steps.spanId.length;
  w.steps.name.pop();
  refused(w, new RegExp(`steps\\.name has ${n - 1} entries, steps\\.spanId ${n}`));
  w = wire();
  w.steps.model[3] = w.strings.length;
  refused(w, /steps\.model holds an index outside strings/);
  w = wire();
  w.steps.kind[0] = w.steps.name[0]!;
  refused(w, /steps\.kind: "invoke_agent orchestrator" is not one of llm, tool, agent/);
  w = wire();
  w.edges.to[0] = n;
  refused(w, /an edge names a step index outside steps/);
  w = wire();
  (w.steps.startNs as unknown[])[2] = 1.5;
  refused(w, /expected an array of times/);
  w = wire();
  (w.steps.toolCallId as unknown[])[0] = 7;
  refused(w, /expected an array of strings or nulls/);
  assert.ok(runDetailWire.safeParse(wire()).success);
});

test("decoding a 100k-step run is cheap (validation checks columns, not objects)", () => {
  const detail = agentShapedRun(100_000);
  const json: unknown = JSON.parse(JSON.stringify(encodeRunDetail(detail)));
  const t = performance.now();
  const decoded = runDetailResponse.parse(json);
  const ms = performance.now() - t;
  assert.equal(decoded.steps.length, detail.steps.length);
  assert.deepEqual(decodeRunDetail(runDetailWire.parse(json)).steps[99_000], detail.steps[99_000]);
  assert.ok(ms < 2_000, `validate + decode took ${ms.toFixed(0)} ms`);
});
