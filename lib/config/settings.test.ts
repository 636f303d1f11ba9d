import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ConfigError, parseSettings, settings } from "@/lib/config/settings";

test("a bad setting fails with a message naming it", () => {
  assert.throws(
    () =>
      parseSettings(["CAUSEWAY_WEB_PORT", "CAUSEWAY_ADMIN_TOKEN"] as const, {
        CAUSEWAY_WEB_PORT: "http",
        CAUSEWAY_ADMIN_TOKEN: "short",
      }),
    (e: Error) =>
      e instanceof ConfigError &&
      /CAUSEWAY_WEB_PORT="http"/.test(e.message) &&
      /CAUSEWAY_ADMIN_TOKEN="short": must be at least 16/.test(e.message),
  );
  assert.throws(() => parseSettings(["DATABASE_URL"] as const, { DATABASE_URL: "mysql://x" }), /DATABASE_URL.*postgres/);
});

test("defaults apply and empty variables count as unset", () => {
  const s = parseSettings(["CAUSEWAY_WEB_PORT", "CAUSEWAY_COLLECTOR_PORT", "CAUSEWAY_ADMIN_TOKEN"] as const, {
    CAUSEWAY_ADMIN_TOKEN: "",
  });
  assert.deepEqual(s, { CAUSEWAY_WEB_PORT: 3000, CAUSEWAY_COLLECTOR_PORT: 4318, CAUSEWAY_ADMIN_TOKEN: undefined });
});

test("the README documents every setting", () => {
  const readme = readFileSync("README.md", "utf8");
  for (const name of Object.keys(settings))
    assert.match(readme, new RegExp(`\\| \`${name}\` \\|`), `${name} in the README table`);
});
