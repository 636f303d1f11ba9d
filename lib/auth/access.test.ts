import assert from "node:assert/strict";
import { test } from "node:test";
import { can, type Principal } from "@/lib/auth/access";

const user = (role: "viewer" | "operator" | "admin"): Principal => ({
  kind: "user",
  userId: "u",
  email: "e",
  name: "n",
  role,
  sessionId: "s",
});
const key = (projectId: string, ...scopes: ("ingest" | "read" | "operate")[]): Principal => ({
  kind: "api_key",
  keyId: "k",
  projectId,
  scopes,
  label: "cwk_x",
});

test("roles grant read < operate < admin", () => {
  assert.deepEqual(
    (["viewer", "operator", "admin"] as const).map((r) =>
      ["read", "operate", "admin"].filter((p) => can(user(r), p as never, "p1")),
    ),
    [["read"], ["read", "operate"], ["read", "operate", "admin"]],
  );
});

test("API keys act only within their project and scopes, never as admin", () => {
  assert.equal(can(key("p1", "read"), "read", "p1"), true);
  assert.equal(can(key("p1", "read"), "read", "p2"), false);
  assert.equal(can(key("p1", "ingest"), "read", "p1"), false);
  assert.equal(can(key("p1", "read"), "operate", "p1"), false);
  assert.equal(can(key("p1", "read", "operate", "ingest"), "admin", "p1"), false);
});

test("the admin token may do everything", () => {
  assert.equal(can({ kind: "admin_token" }, "admin", "any"), true);
});
