import assert from "node:assert/strict";
import { test } from "node:test";
import { stepFacts } from "@/collector/normalize/facts";
import { normalizeBatch } from "@/collector/normalize/normalize";
import type { Span } from "@/lib/otlp/types";

test("a decision's calls come from its output, the results it read from its context", () => {
  const facts = stepFacts(
    [
      { role: "system" },
      { role: "user" },
      { role: "assistant", toolCalls: [{ id: "call_1", name: "search" }] },
      { role: "tool", toolCallId: "call_1" },
      { role: "tool", toolCallId: "call_2" },
    ],
    [
      {
        role: "assistant",
        toolCalls: [
          { id: "call_3", name: "book" },
          { id: null, name: "pay" },
        ],
      },
    ],
  );
  assert.deepEqual(facts, { callIds: ["call_3", ""], callNames: ["book", "pay"], toolResultIds: ["call_1", "call_2"] });
});

test("only assistant and tool messages count, as in the migration's backfill", () => {
  const facts = stepFacts([{ role: "user", toolCallId: "x" }], [{ role: "user", toolCalls: [{ id: "y", name: "n" }] }]);
  assert.deepEqual(facts, { callIds: [], callNames: [], toolResultIds: [] });
});

const span = (attributes: Span["attributes"]): Span => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  parentSpanId: null,
  name: "chat gpt-4o",
  kind: 3,
  startNs: 1_763_700_000_000_000_000n,
  endNs: 1_763_700_001_000_000_000n,
  attributes,
  events: [],
  links: [],
  status: { code: 1, message: "" },
  resource: { attributes: { "service.name": "bot" } },
  scope: { name: "test", version: "", attributes: {} },
});

test("the normalize stage stores the facts of the cleaned messages, and the handoff target as a column", () => {
  const opts = { redact: (t: string) => t.replace(/secret-\w+/g, "[redacted]"), maxValueBytes: 65536 };
  const [llm] = normalizeBatch(
    "p",
    [
      span({
        "gen_ai.operation.name": "chat",
        "gen_ai.input.messages": JSON.stringify([
          { role: "user", parts: [{ type: "text", content: "hi" }] },
          { role: "tool", parts: [{ type: "tool_call_response", id: "call_secret-1", response: "ok" }] },
        ]),
        "gen_ai.output.messages": JSON.stringify([
          { role: "assistant", parts: [{ type: "tool_call", id: "call_2", name: "search", arguments: {} }] },
        ]),
      }),
    ],
    opts,
  ).steps;
  assert.deepEqual([llm!.callIds, llm!.callNames, llm!.toolResultIds], [["call_2"], ["search"], ["call_[redacted]"]]);
  assert.equal(llm!.contextHashes.length, 2);
  assert.equal(llm!.handoffTo, null);

  const [handoff] = normalizeBatch(
    "p",
    [span({ "gen_ai.operation.name": "handoff", "gen_ai.handoff.from_agent": "triage", "gen_ai.handoff.to_agent": "billing" })],
    opts,
  ).steps;
  assert.equal(handoff!.handoffTo, "billing");
  assert.equal(JSON.parse(handoff!.attributes)["causeway.handoff_to"], "billing");
});
