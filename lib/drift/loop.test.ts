import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDriftConfig } from "@/lib/drift/config";
import { detectLoops } from "@/lib/drift/loop";
import { RunBuilder } from "@/lib/drift/test-steps";

const config = parseDriftConfig().loop;
const detect = (run: RunBuilder, c = config) => detectLoops({ runId: "r", live: true, steps: run.steps }, c);
const NO_HITS = { results: [], note: "no page mentions a refund window" };

test("the same search five times in a row: one finding at the third call, counting all five", () => {
  const run = new RunBuilder().turn("lookup_order", { orderId: "A-1001" }, { result: { status: "delivered" } });
  for (let i = 0; i < 5; i++) run.turn("search_web", { q: "refund policy" }, { result: NO_HITS });
  run.llm({ output: "I could not find the refund policy." });

  const [finding, ...rest] = detect(run);
  assert.equal(rest.length, 0);
  const searches = run.steps.filter((s) => s.toolName === "search_web");
  assert.equal(finding!.spanId, searches[2]!.spanId, "at the third repeated call");
  assert.equal(finding!.detector, "loop");
  assert.equal(finding!.severity, "high", "5 repeats");
  assert.equal(
    finding!.summary,
    `search_web called 5× with {q: 'refund policy'} at steps ${searches[0]!.index}–${searches[4]!.index}, same result each time`,
  );
  assert.deepEqual(
    finding!.evidence.spanIds,
    searches.map((s) => s.spanId),
  );
  assert.equal(finding!.evidence.rule, "repeat");
  assert.equal(finding!.evidence.count, 5);
  assert.equal(finding!.evidence.arguments, '{"q":"refund policy"}');
});

test("argument key order and whitespace do not hide a repeat", () => {
  const run = new RunBuilder()
    .turn("search_docs", undefined, { result: NO_HITS })
    .turn("search_docs", undefined, { result: NO_HITS })
    .turn("search_docs", undefined, { result: NO_HITS });
  run.steps
    .filter((s) => s.kind === "tool")
    .forEach((s, i) => {
      s.toolArguments = [
        '{"q":"refund policy","limit":5}',
        '{ "limit": 5,\n  "q": "refund  policy " }',
        '{"limit":5,"q":"refund policy"}',
      ][i]!;
    });
  assert.equal(detect(run).length, 1);
});

test("two identical calls are not a loop; three are, with medium severity", () => {
  const two = new RunBuilder()
    .turn("get_weather", { city: "Paris" }, { result: { c: 18 } })
    .turn("get_weather", { city: "Paris" }, { result: { c: 18 } });
  assert.deepEqual(detect(two), []);
  two.turn("get_weather", { city: "Paris" }, { result: { c: 18 } });
  assert.equal(detect(two)[0]!.severity, "medium");
});

test("must not fire: a polling tool whose result changes", () => {
  const run = new RunBuilder().turn("start_export", { table: "orders" }, { result: { jobId: "job-7" } });
  for (const result of [
    { state: "queued" },
    { state: "running", progress: 30 },
    { state: "running", progress: 60 },
    { state: "running", progress: 90 },
    { state: "done", url: "s3://exports/orders.csv" },
  ])
    run.turn("check_status", { jobId: "job-7" }, { result });
  assert.deepEqual(detect(run), []);
});

test("must not fire: pagination, the same tool with the page or cursor changing", () => {
  const pages = new RunBuilder();
  for (let page = 1; page <= 6; page++) pages.turn("list_orders", { customer: "c-42", page }, { result: { orders: [], page } });
  assert.deepEqual(detect(pages), []);
  const cursors = new RunBuilder();
  for (const cursor of [null, "eyJpZCI6MTB9", "eyJpZCI6MjB9", "eyJpZCI6MzB9"])
    cursors.turn("list_tickets", { status: "open", cursor }, { result: { tickets: [] } });
  assert.deepEqual(detect(cursors, { ...config, requireSameResult: false }), [], "even ignoring results");
});

test("must not fire: a retry that then succeeds once", () => {
  const run = new RunBuilder()
    .turn("fetch_invoice", { invoiceId: "INV-2025-0342" }, { error: "billing-api: 503 Service Unavailable" })
    .turn("fetch_invoice", { invoiceId: "INV-2025-0342" }, { result: { total: 211.6 } })
    .turn("send_reply", { text: "Here is your invoice" }, { result: { sent: true } });
  assert.deepEqual(detect(run), []);
});

test("identical calls that all failed are an error cascade, not a loop", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 4; i++) run.turn("fetch_invoice", { invoiceId: "INV-1" }, { error: "timeout" });
  assert.deepEqual(detect(run), []);
});

test("a poller returning the same result counts, unless its tool is ignored", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 4; i++) run.turn("check_status", { jobId: "job-7" }, { result: { state: "queued" } });
  assert.equal(detect(run).length, 1);
  assert.deepEqual(detect(run, { ...config, ignoreTools: ["check_*"] }), []);
});

test("A-B-A-B alternation over six calls fires at the sixth; four calls do not", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 2; i++)
    run
      .turn("open_page", { url: "https://shop.example/cart" }, { result: { items: 1 } })
      .turn("click", { selector: "#checkout" }, { result: { navigated: "/cart" } });
  assert.deepEqual(detect(run), []);
  run
    .turn("open_page", { url: "https://shop.example/cart" }, { result: { items: 1 } })
    .turn("click", { selector: "#checkout" }, { result: { navigated: "/cart" } });
  const [finding] = detect(run);
  assert.equal(finding!.evidence.rule, "alternation");
  assert.equal(finding!.spanId, run.nth("tool", 5).spanId);
  assert.match(
    finding!.summary,
    /^open_page \{url: 'https:\/\/shop.example\/cart'\} and click \{selector: '#checkout'\} alternated 6 times/,
  );
});

test("must not fire: a research pattern alternating tools with new arguments each time", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 4; i++)
    run
      .turn("search_web", { q: `flights LIS BER day ${i}` }, { result: { hits: i } })
      .turn("read_page", { url: `https://f.example/${i}` }, { result: { text: `page ${i}` } });
  assert.deepEqual(detect(run), []);
});

test("the same assistant answer three times in a row", () => {
  const run = new RunBuilder().llm({ output: "Could you share your order number?" });
  run.llm({ output: "Could you share your order number?" });
  assert.deepEqual(detect(run), []);
  run.llm({ output: "Could you share your order number?" });
  const [finding] = detect(run);
  assert.equal(finding!.evidence.rule, "repeated_output");
  assert.equal(finding!.spanId, run.last.spanId);
});

test("identical decisions driving a tool loop are reported once, as the tool loop", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 4; i++) run.llm({ output: "search again" }).tool("search_web", { q: "x" }, { result: NO_HITS });
  const findings = detect(run);
  assert.deepEqual(
    findings.map((f) => f.evidence.rule),
    ["repeat"],
  );
});

test("a call reported twice by nested instrumentations counts once", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 2; i++) {
    run.llm().tool("search_web", { q: "x" }, { result: NO_HITS });
    run.tool("search_web", { q: "x" }, { result: NO_HITS, parent: run.last.spanId }); // MCP tools/call inside execute_tool
  }
  assert.deepEqual(detect(run), [], "two calls, not four");
});
