import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ContextDiff } from "@/lib/api/step-schemas";
import { diffContext } from "@/lib/context/diff";
import { summarizeDiff } from "@/lib/context/summary";
import { answer, conversation, decision, msg, system, toolResult, user } from "@/lib/context/test-messages";

const changes = (d: ContextDiff) => d.entries.map((e) => e.change);

describe("diffContext", () => {
  test("a tool result and the decision that asked for it are added between two model calls", () => {
    const first = [system("You are a weather assistant."), user("What is the weather in Paris?")];
    const call = decision("call_weather_1", "get_weather", { city: "Paris" });
    const result = toolResult("call_weather_1", { temperature_c: 18, sky: "cloudy" });
    const second = [...first, call, result];
    const d = diffContext(first, second, { before: 52, after: 88 });
    assert.deepEqual(d.entries, [
      { change: "unchanged", index: 0 },
      { change: "unchanged", index: 1 },
      { change: "added", index: 2 },
      { change: "added", index: 3 },
    ]);
    assert.deepEqual(d.addedByRole, { assistant: 1, tool: 1 });
    assert.deepEqual(d.messages, { before: 2, after: 4, delta: 2 });
    assert.equal(d.bytes.delta, call.byteSize + result.byteSize);
    assert.deepEqual(d.tokens, { before: 52, after: 88, delta: 36 });
    assert.equal(d.systemPrompt.changed, false);
    assert.equal(summarizeDiff(d), `+2 messages (1 tool result, 1 assistant), +${d.bytes.delta} B, +36 tokens`);
  });

  test("identical contexts: everything unchanged, no growth", () => {
    const ctx = conversation(3);
    const d = diffContext(ctx, [...ctx], { before: 400, after: 400 });
    assert.ok(d.entries.every((e) => e.change === "unchanged"));
    assert.deepEqual(d.counts, { unchanged: 13, added: 0, removed: 0, rewritten: 0, truncated: 0 });
    assert.equal(d.bytes.delta, 0);
    assert.equal(summarizeDiff(d), "no change");
  });

  test("the first model call has nothing to compare with: all added, no previous sizes", () => {
    const d = diffContext(null, [system("s"), user("hi")], { before: 99, after: 12 });
    assert.equal(d.hasPrevious, false);
    assert.deepEqual(changes(d), ["added", "added"]);
    assert.deepEqual(d.tokens, { before: null, after: 12, delta: null });
    assert.equal(d.systemPrompt.changed, false);
    assert.match(summarizeDiff(d), /^first model call: 2 messages, \d+ B, 12 tokens$/);
  });

  test("a 50-turn conversation: the next turn adds exactly its four messages, in place", () => {
    const prev = conversation(49);
    const next = conversation(50);
    const d = diffContext(prev, next);
    assert.equal(d.counts.unchanged, prev.length);
    assert.deepEqual(
      d.entries.filter((e) => e.change === "added"),
      [197, 198, 199, 200].map((index) => ({ change: "added", index })),
    );
    assert.deepEqual(d.addedByRole, { user: 1, assistant: 2, tool: 1 });
    assert.equal(d.messages.after, 201);
    // From the first turn to the last: 49 turns added, nothing removed.
    const all = diffContext(conversation(1), next);
    assert.deepEqual(all.counts, { unchanged: 5, added: 196, removed: 0, rewritten: 0, truncated: 0 });
  });

  test("hundreds of messages diff quickly", () => {
    // 801 messages; the next call has a note inserted mid-way and ten more turns.
    const prev = conversation(200);
    const next = [...prev.slice(0, 400), user("a note inserted mid-way"), ...conversation(210).slice(400)];
    const started = performance.now();
    const d = diffContext(prev, next);
    const ms = performance.now() - started;
    assert.ok(ms < 200, `took ${ms.toFixed(1)} ms`);
    assert.deepEqual(d.counts, { unchanged: 801, added: 41, removed: 0, rewritten: 0, truncated: 0 });
    assert.deepEqual(d.entries[400], { change: "added", index: 400 });
  });

  test("a compacted context: many messages removed, one summary added, the recent turns kept", () => {
    const prev = conversation(10);
    const summary = user(
      "Summary of the conversation so far: the customer asked about orders #1000–#1008; all are on their way.",
    );
    const next = [prev[0]!, summary, ...prev.slice(-4)];
    const d = diffContext(prev, next, { before: 4100, after: 600 });
    assert.deepEqual(d.counts, { unchanged: 5, added: 1, removed: 36, rewritten: 0, truncated: 0 });
    assert.deepEqual(d.addedByRole, { user: 1 });
    assert.deepEqual(changes(d).slice(0, 3), ["unchanged", "removed", "removed"]);
    assert.deepEqual(
      d.entries.flatMap((e) => (e.change === "removed" ? [e.prevIndex] : [])),
      Array.from({ length: 36 }, (_, i) => i + 1),
    );
    const added = d.entries.find((e) => e.change === "added");
    assert.deepEqual(added, { change: "added", index: 1 });
    assert.ok(d.bytes.delta < 0);
    assert.equal(d.tokens.delta, -3500);
    assert.match(summarizeDiff(d), /^\+1 message \(1 user\), −36 messages, −\d+(\.\d)? KB, −3,500 tokens$/);
  });

  test("a rewritten system prompt: flagged, with a word diff", () => {
    const base = conversation(2, "You are a weather assistant. Answer briefly.");
    const next = [system("You are a weather assistant. Answer in detail, in French."), ...base.slice(1)];
    const d = diffContext(base, next);
    assert.deepEqual(d.counts, { unchanged: 8, added: 0, removed: 0, rewritten: 1, truncated: 0 });
    const rewritten = d.entries[0];
    assert.equal(rewritten?.change, "rewritten");
    assert.ok(rewritten?.change === "rewritten" && rewritten.index === 0 && rewritten.prev.hash === base[0]!.hash);
    assert.deepEqual(rewritten.words, [
      { op: "equal", text: "You are a weather assistant. Answer " },
      { op: "remove", text: "briefly" },
      { op: "add", text: "in detail, in French" },
      { op: "equal", text: "." },
    ]);
    assert.equal(d.systemPrompt.changed, true);
    assert.deepEqual(d.systemPrompt.words, rewritten.words);
    assert.match(summarizeDiff(d), /^1 rewritten, system prompt changed, \+\d+ B$/);
  });

  test("a system prompt edited while the rest of the context changed is still one rewritten message", () => {
    const prev = [system("Be brief."), user("q1"), answer("a1"), user("q2")];
    const next = [system("Be thorough."), user("q3")];
    const d = diffContext(prev, next);
    assert.deepEqual(changes(d), ["rewritten", "removed", "removed", "removed", "added"]);
    assert.equal(d.systemPrompt.changed, true);
  });

  test("a system prompt added where there was none is a change too", () => {
    const d = diffContext([user("hi")], [system("Be nice."), user("hi")]);
    assert.equal(d.systemPrompt.changed, true);
    assert.deepEqual(changes(d), ["added", "unchanged"]);
  });

  test("an edited user message is rewritten in place, not removed and added", () => {
    const prev = [system("s"), user("Book a table for two at 7pm"), answer("Done.")];
    const next = [system("s"), user("Book a table for four at 8pm"), answer("Done.")];
    const d = diffContext(prev, next);
    assert.deepEqual(changes(d), ["unchanged", "rewritten", "unchanged"]);
    const e = d.entries[1]!;
    assert.ok(e.change === "rewritten");
    assert.deepEqual(
      e.words?.filter((w) => w.op !== "equal").map((w) => `${w.op}:${w.text}`),
      ["remove:two", "add:four", "remove:7pm", "add:8pm"],
    );
  });

  test("a different role at the same position is a removal and an addition", () => {
    const d = diffContext([system("s"), user("q")], [system("s"), answer("q")]);
    assert.deepEqual(changes(d), ["unchanged", "removed", "added"]);
  });

  test("a tool result cut at ingest (flagged, shorter, marker) is truncated, not rewritten", () => {
    const long = "row,value\n" + "x,1\n".repeat(5000);
    const prev = [user("export"), decision("c1", "dump", {}), toolResult("c1", long)];
    const cut = toolResult("c1", `${long.slice(0, 4096)}…[truncated]`, { truncated: true });
    const d = diffContext(prev, [...prev.slice(0, 2), cut]);
    assert.deepEqual(changes(d), ["unchanged", "unchanged", "truncated"]);
    assert.match(summarizeDiff(d), /^1 truncated, −\d+ KB$/);
  });

  test("a framework trimming old tool results (prefix or head…tail elision) is truncation", () => {
    const a = "The quarterly report shows revenue of 4.2M, up 12% year over year, driven by the EU market. ".repeat(20);
    const head = toolResult("c1", a.slice(0, 300) + "... [trimmed 1500 chars]");
    const middle = toolResult("c1", a.slice(0, 200) + "\n[... 1400 characters omitted ...]\n" + a.slice(-200));
    for (const cut of [head, middle]) {
      const d = diffContext([toolResult("c1", a), answer("ok")], [cut, answer("ok")]);
      assert.deepEqual(changes(d), ["truncated", "unchanged"], String(cut.content).slice(-40));
    }
    // Removing a word is an edit, not a truncation.
    const d = diffContext([user("I like red apples")], [user("I like apples")]);
    assert.deepEqual(changes(d), ["rewritten"]);
  });

  test("uneven blocks pair messages answering the same tool call (old results cleared)", () => {
    const prev = [
      user("compare"),
      decision("a", "fetch", { id: 1 }),
      toolResult("a", "A".repeat(3000)),
      decision("b", "fetch", { id: 2 }),
      toolResult("b", "B".repeat(3000)),
      answer("They differ."),
    ];
    // Context editing dropped the first call entirely and cleared the second result.
    const next = [user("compare"), toolResult("b", "[cleared to save context]"), answer("They differ.")];
    const d = diffContext(prev, next);
    assert.deepEqual(changes(d), ["unchanged", "removed", "removed", "removed", "rewritten", "unchanged"]);
  });

  test("huge rewrites skip the word diff instead of stalling", () => {
    const a = Array.from({ length: 30_000 }, (_, i) => `w${i}`).join(" ");
    const b = Array.from({ length: 30_000 }, (_, i) => `v${i}`).join(" ");
    const started = performance.now();
    const d = diffContext([user(a)], [user(b)]);
    assert.ok(performance.now() - started < 2000);
    const e = d.entries[0]!;
    assert.ok(e.change === "rewritten");
    assert.equal(e.words, null);
  });

  test("non-text parts take part in comparisons as JSON", () => {
    const image = (url: string) =>
      msg("user", [
        { type: "text", text: "What is this?" },
        { type: "image", url },
      ]);
    const d = diffContext([image("https://x/a.png")], [image("https://x/b.png")]);
    const e = d.entries[0]!;
    assert.ok(e.change === "rewritten");
    assert.ok(e.words?.some((w) => w.op === "add" && w.text.includes("b")));
  });
});
