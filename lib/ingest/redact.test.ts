import assert from "node:assert/strict";
import { test } from "node:test";
import { createRedactor } from "@/lib/ingest/redact";

const redact = createRedactor(["secrets", "emails", "cards"]);

test("secrets are replaced, surrounding text kept", () => {
  const cases: [string, string][] = [
    ["key sk-proj-abcdefghijklmnopqrstuvwxyz0123 ok", "key [REDACTED:api_key] ok"],
    ["anthropic sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "anthropic [REDACTED:api_key]"],
    ["aws AKIAIOSFODNN7EXAMPLE here", "aws [REDACTED:api_key] here"],
    ["Authorization: Bearer abcdefghijklmnop1234567890", "Authorization: [REDACTED:bearer]"],
    [
      "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end",
      "t=[REDACTED:jwt] end",
    ],
    ['{"password": "hunter2hunter2"}', '{"password": "[REDACTED:secret]"}'],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- after", "[REDACTED:private_key] after"],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
});

test("emails and valid card numbers are redacted; other numbers are not", () => {
  assert.equal(redact("mail ada@example.com now"), "mail [REDACTED:email] now");
  assert.equal(redact("to: first.last+tag@mail.example.co.uk"), "to: [REDACTED:email]");
  assert.equal(redact("header authorization: bearer abcdefghijklmnop1234567890"), "header authorization: [REDACTED:bearer]");
  assert.equal(redact('client_secret = "s3cr3tv4lu3"'), 'client_secret = "[REDACTED:secret]"');
  assert.equal(redact("card 4111 1111 1111 1111."), "card [REDACTED:card].");
  assert.equal(redact("order 1234567890123456"), "order 1234567890123456", "fails the Luhn check: not a card");
  assert.equal(redact("trace 0af7651916cd43dd8448eb211c80319c"), "trace 0af7651916cd43dd8448eb211c80319c");
});

test("rule groups and custom patterns are configurable", () => {
  assert.equal(
    createRedactor(["emails"])("sk-proj-abcdefghijklmnopqrstuvwxyz0123 a@b.co"),
    "sk-proj-abcdefghijklmnopqrstuvwxyz0123 [REDACTED:email]",
  );
  assert.equal(createRedactor([], ["EMP-\\d{6}"])("employee EMP-123456"), "employee [REDACTED:custom_1]");
  assert.throws(() => createRedactor(["nope"]), /unknown redaction rule group "nope"/);
});
