import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { checkCollector, DemoSetupError, parseOtlpHeaders, resolveDemoTarget, type DemoSettings } from "@/demo/target";

const settings = (over: Partial<DemoSettings> = {}): DemoSettings => ({
  collectorUrl: "http://localhost:4318",
  publicUrl: "http://localhost:3000/",
  CAUSEWAY_DATA_DIR: ".causeway",
  ...over,
});

test("OTEL_EXPORTER_OTLP_HEADERS: comma-separated pairs, percent-decoded values, keys lower-cased", () => {
  assert.deepEqual(parseOtlpHeaders("Authorization=Bearer%20cwk_abc, x-tenant = acme ,broken,=nokey"), {
    authorization: "Bearer cwk_abc",
    "x-tenant": "acme",
  });
  assert.deepEqual(parseOtlpHeaders("authorization=Bearer cwk_a=b"), { authorization: "Bearer cwk_a=b" });
  assert.deepEqual(parseOtlpHeaders("k=100%"), { k: "100%" }, "a stray % is kept as written");
});

test("no key anywhere: the message says to run npm start first, and where the key file was looked for", () => {
  const root = mkdtempSync(path.join(tmpdir(), "causeway-demo-"));
  assert.throws(
    () => resolveDemoTarget(settings({ CAUSEWAY_DATA_DIR: "data" }), root),
    (e: Error) =>
      e instanceof DemoSetupError && e.message.includes(path.join(root, "data", "ingest-key")) && /npm start/.test(e.message),
  );
});

test("the key file, the ingest key setting and the OTLP variables, in that order of precedence", () => {
  const root = mkdtempSync(path.join(tmpdir(), "causeway-demo-"));
  writeFileSync(path.join(root, "ingest-key"), "cwk_from_file\n");
  const fromFile = resolveDemoTarget(settings({ CAUSEWAY_DATA_DIR: "." }), root);
  assert.deepEqual(fromFile, {
    endpoint: "http://localhost:4318",
    headers: { authorization: "Bearer cwk_from_file" },
    uiUrl: "http://localhost:3000",
    keySource: "ingest-key",
  });
  const fromSetting = resolveDemoTarget(settings({ CAUSEWAY_DATA_DIR: ".", CAUSEWAY_INGEST_KEY: "k".repeat(20) }), root);
  assert.deepEqual(fromSetting.headers, { authorization: `Bearer ${"k".repeat(20)}` });
  const fromOtel = resolveDemoTarget(
    settings({
      CAUSEWAY_DATA_DIR: ".",
      CAUSEWAY_INGEST_KEY: "k".repeat(20),
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example:4318/",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20cwk_otel",
    }),
    root,
  );
  assert.equal(fromOtel.endpoint, "https://otel.example:4318");
  assert.deepEqual(fromOtel.headers, { authorization: "Bearer cwk_otel" });
  assert.equal(fromOtel.keySource, "OTEL_EXPORTER_OTLP_HEADERS");
  assert.throws(() => resolveDemoTarget(settings({ OTEL_EXPORTER_OTLP_HEADERS: "nonsense" }), root), DemoSetupError);
});

test("checking the collector: down, wrong key and ready each say so", async () => {
  const target = { endpoint: "http://127.0.0.1:9", headers: { authorization: "Bearer good" }, uiUrl: "", keySource: "test" };
  await assert.rejects(checkCollector(target, 2_000), (e: Error) => e instanceof DemoSetupError && /npm start/.test(e.message));

  const seen: { path?: string; auth?: string; type?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url, auth: req.headers.authorization, type: req.headers["content-type"] });
    req.resume();
    res.statusCode = req.headers.authorization === "Bearer good" ? 200 : 401;
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await checkCollector({ ...target, endpoint });
    assert.deepEqual(seen[0], { path: "/v1/traces", auth: "Bearer good", type: "application/json" });
    await assert.rejects(
      checkCollector({ ...target, endpoint, headers: { authorization: "Bearer revoked" } }),
      (e: Error) => e instanceof DemoSetupError && /refused the ingest key from test \(HTTP 401\)/.test(e.message),
    );
  } finally {
    server.close();
  }
});
