import assert from "node:assert/strict";
import { test } from "node:test";
import { didYouMean, editDistance } from "@/lib/search/did-you-mean";

test("edit distance counts a swap of neighbours as one edit", () => {
  assert.equal(editDistance("severity", "sevrity"), 1);
  assert.equal(editDistance("loop", "lopo"), 1);
  assert.equal(editDistance("agent", "tool"), 5);
});

test("close words are suggested, far ones are not", () => {
  const keys = ["drift", "severity", "agent", "tool", "model", "status"];
  assert.equal(didYouMean("sevrity", keys), "severity");
  assert.equal(didYouMean("Stauts", keys), "status");
  assert.equal(didYouMean("sev", keys), "severity", "a beginning");
  assert.equal(didYouMean("colour", keys), undefined);
  assert.equal(didYouMean("", keys), undefined);
});
