import assert from "node:assert/strict";
import { test } from "node:test";
import { createLogger } from "@/lib/log";
import { Supervisor } from "@/scripts/supervisor";

const node = (code: string) => ({ command: process.execPath, args: ["-e", code], env: process.env });
const quietLog = (lines: string[]) => createLogger("test", "debug", (l) => lines.push(l));

test("a crashing child is logged, restarted with backoff, and given up on after repeated crashes", async () => {
  const lines: string[] = [];
  let gaveUp = "";
  const sup = new Supervisor(quietLog(lines), { timeoutMs: 1000, maxRestarts: 2, onGiveUp: (name) => (gaveUp = name) });
  sup.start({ name: "crasher", ...node("process.exit(3)") });
  const deadline = Date.now() + 10_000;
  while (!gaveUp && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(gaveUp, "crasher");
  assert.equal(lines.filter((l) => l.includes("crasher exited unexpectedly (code 3)")).length, 3, "every crash is logged");
  assert.equal(lines.filter((l) => /restarting crasher in (500|1000) ms/.test(l)).length, 2, "restarts back off");
  await sup.stopAll();
});

test("stopAll sends SIGTERM so children can flush, and SIGKILLs one that ignores it", async () => {
  const lines: string[] = [];
  const out: string[] = [];
  const sup = new Supervisor(quietLog(lines), {
    timeoutMs: 800,
    onGiveUp: () => assert.fail("no give-up expected"),
    output: (line) => out.push(line),
  });
  sup.start({
    name: "polite",
    ...node(
      `process.on("SIGTERM", () => { console.log("flushed"); process.exit(0); }); console.log("up"); setInterval(() => {}, 1000);`,
    ),
  });
  sup.start({ name: "stubborn", ...node(`process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000);`) });
  while (out.filter((l) => l.endsWith("] up")).length < 2) await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  await sup.stopAll();
  assert.ok(Date.now() - started >= 700, "waited for the stubborn child");
  assert.ok(out.includes("[polite] flushed"), "the polite child's output is prefixed and it flushed");
  assert.ok(lines.some((l) => l.includes("stubborn did not stop within 800 ms; killing it")));
  assert.ok(!lines.some((l) => l.includes("exited unexpectedly")), "a requested stop is not a crash");
});
