import assert from "node:assert/strict";
import { test } from "node:test";
import { detectorLabel } from "@/lib/drift/labels";

test("a detector id becomes its words; an unknown id, even an Object.prototype key, stays as it is", () => {
  assert.equal(detectorLabel("error_cascade"), "error cascade");
  assert.equal(detectorLabel("someday_detector"), "someday_detector");
  assert.equal(detectorLabel("constructor"), "constructor");
});
