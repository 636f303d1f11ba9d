import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BackendStream } from "@/lib/server/db/embedded-notify";

function backendMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.from([type.charCodeAt(0), 0, 0, 0, 0]);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
const notification = (channel: string, payload: string) =>
  backendMessage("A", Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from(`${channel}\0${payload}\0`)]));

test("notifications are taken out of the output stream wherever the chunk boundaries fall", () => {
  const messages = fc.oneof(
    fc.record({
      kind: fc.constant("other" as const),
      type: fc.constantFrom("D", "C", "Z", "T"),
      body: fc.uint8Array({ maxLength: 40 }),
    }),
    fc.record({
      kind: fc.constant("notify" as const),
      channel: fc.stringMatching(/^[a-z_]{1,8}$/),
      payload: fc.string({ maxLength: 20 }),
    }),
  );
  fc.assert(
    fc.property(fc.array(messages, { maxLength: 12 }), fc.array(fc.nat({ max: 60 }), { maxLength: 10 }), (msgs, cuts) => {
      const encoded = msgs.map((m) =>
        m.kind === "other" ? backendMessage(m.type, Buffer.from(m.body)) : notification(m.channel, m.payload),
      );
      const expectedPass = Buffer.concat(encoded.filter((_, i) => msgs[i]!.kind === "other"));
      const expectedNotes = encoded.filter((_, i) => msgs[i]!.kind === "notify");
      const all = Buffer.concat(encoded);
      const passed: Buffer[] = [];
      const notes: Buffer[] = [];
      const stream = new BackendStream(
        (b) => passed.push(Buffer.from(b)),
        (n) => notes.push(n),
      );
      let at = 0;
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        const end = Math.min(all.length, at + cut);
        stream.push(all.subarray(at, end));
        at = end;
      }
      stream.push(all.subarray(at));
      assert.deepEqual(Buffer.concat(passed), expectedPass);
      assert.deepEqual(notes, expectedNotes);
    }),
    { numRuns: 500 },
  );
});
