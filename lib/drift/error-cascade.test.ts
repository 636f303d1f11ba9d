import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDriftConfig } from "@/lib/drift/config";
import { detectErrorCascades } from "@/lib/drift/error-cascade";
import { RunBuilder } from "@/lib/drift/test-steps";

const config = parseDriftConfig().errorCascade;
const detect = (run: RunBuilder, c = config) => detectErrorCascades({ runId: "r", live: false, steps: run.steps }, c);
const TIMEOUT = "billing-api: 503 Service Unavailable (upstream timed out after 10000 ms)";

test("three failed tool calls in a row: reported at the third, with the error", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 3; i++) run.turn("fetch_invoice", { invoiceId: "INV-2025-0342" }, { error: TIMEOUT });
  run.turn("open_ticket", { team: "billing" }, { result: { id: "T-1" } });
  const [finding, ...rest] = detect(run);
  assert.equal(rest.length, 0);
  assert.equal(finding!.spanId, run.nth("tool", 2).spanId);
  assert.equal(finding!.severity, "medium");
  assert.equal(finding!.evidence.rule, "consecutive");
  assert.equal(finding!.evidence.count, 3);
  assert.deepEqual(finding!.evidence.errors, [TIMEOUT]);
  assert.match(finding!.summary, /^3 tool calls failed in a row \(fetch_invoice\) at steps 3–7: "billing-api: 503/);
});

test("different tools failing one after another are a cascade too; five is high", () => {
  const run = new RunBuilder();
  for (const tool of ["db_query", "db_query", "read_cache", "db_query", "http_get"])
    run.turn(tool, { id: 1 }, { error: `${tool} failed` });
  const [finding] = detect(run);
  assert.equal(finding!.severity, "high");
  assert.deepEqual(finding!.evidence.tools, ["db_query", "read_cache", "http_get"]);
});

test("must not fire: a retry that then succeeds once", () => {
  const run = new RunBuilder()
    .turn("fetch_invoice", { invoiceId: "INV-1" }, { error: TIMEOUT })
    .turn("fetch_invoice", { invoiceId: "INV-1" }, { error: TIMEOUT })
    .turn("fetch_invoice", { invoiceId: "INV-1" }, { result: { total: 211.6 } })
    .turn("send_reply", { text: "…" }, { result: { sent: true } });
  assert.deepEqual(detect(run), []);
});

test("half of the last ten tool calls failing is a cascade, reported at the failure that made it so", () => {
  const run = new RunBuilder();
  const outcomes = [true, false, true, false, true, false, true, false, false, true]; // true = ok
  outcomes.forEach((ok, i) =>
    run.turn("scrape", { url: `https://x.example/${i}` }, ok ? { result: { i } } : { error: "403 Forbidden" }),
  );
  const findings = detect(run);
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.equal(finding!.evidence.rule, "error_rate");
  assert.equal(finding!.evidence.failed, 5);
  assert.equal(finding!.spanId, run.nth("tool", 8).spanId, "the last failure of the first full window");
  assert.match(finding!.summary, /^5 of the last 10 tool calls failed \(50%\)/);
});

test("the rate needs a full window, and one stretch above it is one finding", () => {
  const short = new RunBuilder();
  for (let i = 0; i < 6; i++) short.turn("scrape", { i }, i % 2 ? { error: "403" } : { result: i });
  assert.deepEqual(detect(short), [], "6 calls: too few to judge a rate");

  const long = new RunBuilder();
  for (let i = 0; i < 30; i++) long.turn("scrape", { i }, i % 2 ? { error: "403" } : { result: i });
  assert.equal(detect(long).length, 1);
});
