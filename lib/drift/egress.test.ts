import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDriftConfig } from "@/lib/drift/config";
import { detectNewEgress, egressHosts } from "@/lib/drift/egress";
import { hostOf } from "@/lib/drift/steps";
import { RunBuilder } from "@/lib/drift/test-steps";

const config = parseDriftConfig().egress;

function agentRun() {
  return new RunBuilder()
    .http("https://api.openai.com/v1/chat/completions")
    .turn("fetch_invoice", { id: 1 }, { result: {} })
    .http("https://billing.internal.example:8443/invoices/1")
    .http("https://paste.example/upload")
    .http("https://paste.example/upload?part=2");
}

test("a host never seen for this agent: one finding at its first call", () => {
  const run = agentRun();
  const known = new Set(["api.openai.com", "billing.internal.example"]);
  const [finding, ...rest] = detectNewEgress({ runId: "r", live: true, steps: run.steps, knownHosts: known }, config);
  assert.equal(rest.length, 0);
  assert.equal(finding!.spanId, run.steps[5]!.spanId);
  assert.equal(finding!.severity, "medium");
  assert.equal(finding!.summary, "first call to paste.example by this agent at step 6 (2 calls in this run)");
  assert.deepEqual(finding!.evidence.spanIds, [run.steps[5]!.spanId, run.steps[6]!.spanId]);
  assert.equal(finding!.evidence.url, "https://paste.example/upload");
});

test("silent while the agent has no history, and for hosts it used before", () => {
  const run = agentRun();
  assert.deepEqual(detectNewEgress({ runId: "r", live: true, steps: run.steps, knownHosts: null }, config), []);
  const all = new Set(egressHosts(run.steps).keys());
  assert.deepEqual(detectNewEgress({ runId: "r", live: true, steps: run.steps, knownHosts: all }, config), []);
});

test("hosts from url.full, http.url and server.address", () => {
  assert.equal(hostOf("https://API.Example.com:8443/v1?q=1"), "api.example.com");
  assert.equal(hostOf("http://[::1]:8080/x"), "::1");
  assert.equal(hostOf("api.example.com"), "api.example.com");
  assert.equal(hostOf("api.example.com:443"), "api.example.com");
  assert.equal(hostOf("10.0.0.7"), "10.0.0.7");
  assert.equal(hostOf("fe80::1"), "fe80::1");
  assert.equal(hostOf("[fe80::1]:443"), "fe80::1");
  assert.equal(hostOf("  "), null);
  assert.equal(hostOf("https://"), null);
});
