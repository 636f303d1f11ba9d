import assert from "node:assert/strict";
import { test } from "node:test";
import { hashPassword, NO_PASSWORD, verifyPassword } from "@/lib/server/auth/password";
import { hashSecret, newSecret, secretsEqual } from "@/lib/server/auth/tokens";

test("a password verifies against its own hash only", async () => {
  const hash = await hashPassword("correct horse battery");
  assert.match(hash, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword("correct horse battery", hash), true);
  assert.equal(await verifyPassword("correct horse batterY", hash), false);
  assert.notEqual(await hashPassword("correct horse battery"), hash, "salted");
});

test("accounts without a password never verify", async () => {
  assert.equal(await verifyPassword("", NO_PASSWORD), false);
  assert.equal(await verifyPassword("x", "scrypt$1$2"), false);
});

test("secrets are random and stored only as hashes", () => {
  const a = newSecret("cwk_");
  assert.match(a, /^cwk_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, newSecret("cwk_"));
  assert.equal(hashSecret(a).length, 64);
  assert.equal(secretsEqual(a, a), true);
  assert.equal(secretsEqual(a, a + "x"), false);
});
