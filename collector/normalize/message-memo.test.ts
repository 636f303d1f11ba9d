import assert from "node:assert/strict";
import { test } from "node:test";
import type { Span } from "@/lib/otlp/types";
import type { ChatMessage } from "@/lib/conventions/types";
import { createRedactor } from "@/lib/ingest/redact";
import { MessageMemo, messageMemoKey, type MemoEntry } from "@/collector/normalize/message-memo";
import { normalizeBatch } from "@/collector/normalize/normalize";

const T0 = 1_763_700_000_000_000_000n;
const SECRET = "sk-proj-SEEDEDsecretVALUE0123456789abcdef";
const LONG = "A very long tool result. ".repeat(40);
const base = { redact: createRedactor(["secrets", "emails", "cards"]), maxValueBytes: 256 };

const text = (role: string, content: string) => ({ role, parts: [{ type: "text", content }] });
const call = { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "search", arguments: { q: "x" } }] };
const result = { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: LONG }] };

/** A conversation's model calls, each carrying the whole history so far (as most frameworks send it). */
function conversation(trace: string, calls: number): Span[] {
  const history: object[] = [text("system", "You plan trips."), text("user", `Lisbon please, key ${SECRET}`)];
  const spans: Span[] = [];
  for (let i = 0; i < calls; i++) {
    spans.push({
      traceId: trace,
      spanId: (i + 1).toString(16).padStart(16, "0"),
      parentSpanId: null,
      name: "chat gpt-4o",
      kind: 3,
      startNs: T0 + BigInt(i) * 1_000_000_000n,
      endNs: T0 + BigInt(i) * 1_000_000_000n + 500_000_000n,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.input.messages": JSON.stringify(history),
        "gen_ai.output.messages": JSON.stringify([i % 2 ? text("assistant", `answer ${i}`) : call]),
      },
      events: [],
      links: [],
      status: { code: 0, message: "" },
      resource: { attributes: { "service.name": "bot" } },
      scope: { name: "test", version: "", attributes: {} },
    });
    history.push(i % 2 ? text("assistant", `answer ${i}`) : call, ...(i % 2 ? [text("user", `more ${i}`)] : [result]));
  }
  return spans;
}

test("a memo changes nothing that is stored: steps and messages equal those built without it, batch after batch", () => {
  const memo = new MessageMemo(1 << 20);
  for (const trace of ["0af7651916cd43dd8448eb211c80319c", "1af7651916cd43dd8448eb211c80319c"]) {
    const spans = conversation(trace, 6);
    const plain = normalizeBatch("p", spans, base);
    const memoized = normalizeBatch("p", spans, { ...base, memo });
    assert.deepEqual(memoized.steps, plain.steps);
    assert.deepEqual(memoized.messages, plain.messages);
  }
  assert.ok(memo.size > 0, "messages were remembered");
  const stored = [
    ...normalizeBatch("p", conversation("2af7651916cd43dd8448eb211c80319c", 2), { ...base, memo }).messages.values(),
  ];
  assert.ok(
    stored.every((m) => !m.content.includes(SECRET)),
    "a remembered message is the redacted one",
  );
});

test("a cut message is not remembered: every step that carries it records the cut at its own path", () => {
  const memo = new MessageMemo(1 << 20);
  const batch = normalizeBatch("p", conversation("0af7651916cd43dd8448eb211c80319c", 5), { ...base, memo });
  const cuts = batch.steps.map(
    (s) => (JSON.parse(s.attributes) as { "causeway.truncated"?: { path: string }[] })["causeway.truncated"] ?? [],
  );
  // The tool result enters the history after the first call and sits at index 3 from then on.
  assert.deepEqual(cuts[0], []);
  for (const stepCuts of cuts.slice(1))
    assert.ok(
      stepCuts.some((c) => c.path.startsWith("input_messages[3]")),
      JSON.stringify(stepCuts),
    );
});

test("memo keys tell apart messages whose fields only split differently; structured content has no key", () => {
  const messages: ChatMessage[] = [
    { role: "user", content: "ab" },
    { role: "userab", content: "" },
    { role: "user", content: "a", name: "b" },
    { role: "user", content: "a", toolCallId: "b" },
    { role: "user", content: null },
    { role: "user", content: "" },
    { role: "assistant", content: null, toolCalls: [{ id: "1", name: "f", arguments: "{}" }] },
    { role: "assistant", content: null, toolCalls: [{ id: null, name: "f", arguments: "{}" }] },
    { role: "assistant", content: null, toolCalls: [{ id: "1", name: "f{", arguments: "}" }] },
  ];
  const keys = messages.map(messageMemoKey);
  assert.equal(new Set(keys).size, messages.length, keys.join(" | "));
  assert.equal(messageMemoKey({ role: "user", content: [{ type: "image", url: "x" }] }), undefined);
});

test("the memo holds at most two generations of its budget; entries used recently survive", () => {
  const entry = (hash: string) => ({ stored: { hash, bytes: 1, role: "user" }, row: { hash } }) as unknown as MemoEntry;
  const memo = new MessageMemo(10);
  memo.set("aaaaa", entry("a"));
  memo.set("bbbbb", entry("b")); // generation 1 full: 10 chars
  memo.set("ccccc", entry("c")); // generation 2 begins
  assert.equal(memo.get("aaaaa")?.stored.hash, "a", "the previous generation is still found, and moves forward");
  memo.set("ddddd", entry("d")); // generation 2 full (c, a) -> d begins generation 3, dropping b
  assert.equal(memo.get("bbbbb"), undefined, "unused entries of the oldest generation are dropped");
  assert.equal(memo.get("aaaaa")?.stored.hash, "a");
  assert.equal(memo.get("ccccc")?.stored.hash, "c");
  memo.set("x".repeat(11), entry("x"));
  assert.equal(memo.get("x".repeat(11)), undefined, "a key over the whole budget is not kept");
  assert.ok(memo.size <= 6);
});
