import assert from "node:assert/strict";
import { test } from "node:test";
import { generic } from "@/lib/conventions/generic";
import { remainingAttributes } from "@/lib/conventions/types";
import { buildSpan, scope } from "@/lib/conventions/test-builders";

test("generic: any span becomes an other step named after the span, keeping every attribute", () => {
  const attributes = {
    "http.request.method": "POST",
    "url.full": "https://api.example.com/v1/x",
    "server.address": "api.example.com",
  };
  const span = buildSpan({ name: "POST", kind: 3, scope: scope("@opentelemetry/instrumentation-undici"), attributes });
  assert.equal(generic.detect(span), true);
  const step = generic.normalize(span);
  assert.equal(step.family, "generic");
  assert.equal(step.kind, "other");
  assert.equal(step.name, "POST");
  assert.equal(step.consumed.size, 0);
  assert.deepEqual(remainingAttributes(span.attributes, step.consumed), attributes);
  assert.equal(generic.normalize(buildSpan({ name: "" })).name, "span");
});
