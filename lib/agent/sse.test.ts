import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { SseParser, type SseEvent } from "@/lib/agent/sse";

const all = (parser: SseParser, chunks: string[]) => chunks.flatMap((c) => parser.push(c));

test("events with id, type and data; comments (heartbeats) are ignored", () => {
  const p = new SseParser();
  const events = all(p, [': connected\n\nid: 3\nevent: state\ndata: {"v":3}\n\n: heartbeat\n\n']);
  assert.deepEqual(events, [{ type: "state", data: '{"v":3}', lastEventId: "3" }]);
  assert.equal(p.lastEventId, "3");
});

test("the spec's field rules: one leading space stripped, multi-line data, default type, retry, empty data", () => {
  const p = new SseParser();
  const events = all(p, ["data:a\ndata:  b\nretry: 1500\n\n", "event: x\n\n", "data\n\n", "id\n\n"]);
  assert.deepEqual(events, [
    { type: "message", data: "a\n b", lastEventId: "" },
    { type: "message", data: "", lastEventId: "" },
  ]);
  assert.equal(p.retryMs, 1500);
  assert.equal(all(new SseParser(), ["id: a\0b\ndata: x\n\n"])[0]!.lastEventId, "", "an id with NUL is ignored");
});

test("CRLF, CR and LF line endings, a BOM, and a CRLF split across chunks", () => {
  const expected = [
    { type: "state", data: "1", lastEventId: "1" },
    { type: "state", data: "2", lastEventId: "2" },
  ];
  assert.deepEqual(
    all(new SseParser(), ["\uFEFFid: 1\r\nevent: state\r\ndata: 1\r\n\r\nid: 2\revent: state\rdata: 2\r\r"]),
    expected,
  );
  assert.deepEqual(
    all(new SseParser(), ["id: 1\r", "\nevent: state\r\ndata: 1\r", "\n\r", "\nid: 2\nevent: state\ndata: 2\n\n"]),
    expected,
  );
});

test("an incomplete event waits for the rest", () => {
  const p = new SseParser();
  assert.deepEqual(p.push("id: 7\nevent: state\ndata: {"), []);
  assert.deepEqual(p.push('"a":1}\n'), []);
  assert.deepEqual(p.push("\n"), [{ type: "state", data: '{"a":1}', lastEventId: "7" }]);
});

test("any split of a stream into chunks yields the same events", () => {
  const stream =
    ': hi\n\nid: 1\nevent: state\ndata: {"desired":"paused","version":1}\n\n: heartbeat\r\n\r\n' +
    'id: 2\r\nevent: state\r\ndata: {"desired":"killed","version":2}\r\n\r\ndata: x\rdata: y\r\r';
  const whole = all(new SseParser(), [stream]);
  assert.equal(whole.length, 3);
  fc.assert(
    fc.property(fc.array(fc.nat(stream.length), { maxLength: 12 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const chunks: string[] = [];
      let at = 0;
      for (const p of [...points, stream.length]) {
        chunks.push(stream.slice(at, p));
        at = p;
      }
      const events: SseEvent[] = all(new SseParser(), chunks);
      assert.deepEqual(events, whole);
    }),
  );
});
