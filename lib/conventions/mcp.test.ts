import assert from "node:assert/strict";
import { test } from "node:test";
import { mcp } from "@/lib/conventions/mcp";
import { remainingAttributes } from "@/lib/conventions/types";
import { buildSpan, scope } from "@/lib/conventions/test-builders";

// OTel MCP semantic conventions (semantic-conventions-genai docs/gen-ai/mcp.md) and the Traceloop MCP
// instrumentation (@traceloop/instrumentation-mcp 0.27: span names, entity input/output shapes).

const CLIENT_TOOL_CALL = {
  "mcp.method.name": "tools/call",
  "gen_ai.operation.name": "execute_tool",
  "gen_ai.tool.name": "get-weather",
  "jsonrpc.request.id": "1",
  "mcp.session.id": "191c4850af6c49e08843a3f6c80e5046",
  "mcp.protocol.version": "2025-06-18",
  "network.transport": "pipe",
  "gen_ai.tool.call.arguments": { location: "San Francisco", date: "2025-10-01" },
  "gen_ai.tool.call.result": '{"content":[{"type":"text","text":"Sunny, 21°C"}],"isError":false}',
};

test("OTel MCP tools/call client span: a tool step; MCP session and JSON-RPC id are kept, not misread", () => {
  const span = buildSpan({ name: "tools/call get-weather", kind: 3, attributes: CLIENT_TOOL_CALL });
  assert.equal(mcp.detect(span), true);
  const step = mcp.normalize(span);
  assert.equal(step.family, "mcp");
  assert.equal(step.kind, "tool");
  assert.equal(step.name, "get-weather");
  assert.equal(step.toolName, "get-weather");
  assert.equal(step.toolCallId, undefined);
  assert.equal(step.sessionId, undefined);
  assert.equal(step.toolArguments, '{"location":"San Francisco","date":"2025-10-01"}');
  assert.equal(step.toolResult, '{"content":[{"type":"text","text":"Sunny, 21°C"}],"isError":false}');
  assert.deepEqual(Object.keys(remainingAttributes(span.attributes, step.consumed)).sort(), [
    "gen_ai.operation.name",
    "jsonrpc.request.id",
    "mcp.method.name",
    "mcp.protocol.version",
    "mcp.session.id",
    "network.transport",
  ]);
});

test("OTel MCP server span without gen_ai.tool.name: tool name from the span name", () => {
  const step = mcp.normalize(
    buildSpan({
      name: "tools/call search_docs",
      kind: 2,
      attributes: { "mcp.method.name": "tools/call", "jsonrpc.request.id": 7 },
    }),
  );
  assert.equal(step.kind, "tool");
  assert.equal(step.toolName, "search_docs");
  assert.equal(step.toolArguments, undefined);
});

test("execute_tool span enriched with MCP attributes keeps the model's tool call id", () => {
  const step = mcp.normalize(
    buildSpan({
      name: "execute_tool get-weather",
      attributes: {
        ...CLIENT_TOOL_CALL,
        "gen_ai.tool.call.id": "call_Q1",
        "gen_ai.conversation.id": "conv-7",
        "error.type": "tool_error",
      },
    }),
  );
  assert.equal(step.kind, "tool");
  assert.equal(step.toolCallId, "call_Q1");
  assert.equal(step.sessionId, "conv-7");
  assert.equal(step.name, "get-weather");
  assert.ok(!step.consumed.has("error.type"));
});

test("resources/read is a retrieval of the resource URI; other methods are other", () => {
  const read = mcp.normalize(
    buildSpan({
      name: "resources/read",
      attributes: { "mcp.method.name": "resources/read", "mcp.resource.uri": "file:///home/user/report.pdf" },
    }),
  );
  assert.equal(read.kind, "retrieval");
  assert.equal(read.input, "file:///home/user/report.pdf");
  assert.ok(read.consumed.has("mcp.resource.uri"));

  for (const method of ["tools/list", "initialize", "prompts/get", "notifications/initialized"]) {
    const step = mcp.normalize(
      buildSpan({ name: method, attributes: { "mcp.method.name": method, "gen_ai.prompt.name": "analyze-code" } }),
    );
    assert.equal(step.kind, "other", method);
    assert.equal(step.name, method);
    assert.ok(!step.consumed.has("gen_ai.prompt.name"));
  }
});

const TL_MCP = scope("@traceloop/instrumentation-mcp", "0.27.0");

test("Traceloop MCP tool span: unwrapped arguments and result", () => {
  const span = buildSpan({
    name: "get_weather.tool",
    kind: 3,
    scope: TL_MCP,
    attributes: {
      "traceloop.span.kind": "tool",
      "traceloop.entity.name": "get_weather",
      "traceloop.entity.input": '{"tool_name":"get_weather","arguments":{"city":"Paris"}}',
      "traceloop.entity.output": '{"result":"Sunny","is_error":false}',
    },
  });
  assert.equal(mcp.detect(span), true);
  const step = mcp.normalize(span);
  assert.equal(step.family, "mcp");
  assert.equal(step.kind, "tool");
  assert.equal(step.name, "get_weather");
  assert.equal(step.toolArguments, '{"city":"Paris"}');
  assert.equal(step.toolResult, "Sunny");
  assert.equal(Object.keys(remainingAttributes(span.attributes, step.consumed)).length, 0);
});

test("Traceloop MCP method and session spans", () => {
  const read = mcp.normalize(
    buildSpan({
      name: "resources/read.mcp",
      scope: TL_MCP,
      attributes: { "traceloop.entity.input": '{"uri":"db://customers/schema"}' },
    }),
  );
  assert.equal(read.kind, "retrieval");
  assert.equal(read.name, "resources/read");
  assert.equal(read.input, "db://customers/schema");

  const list = mcp.normalize(
    buildSpan({
      name: "tools/list.mcp",
      scope: TL_MCP,
      attributes: { "traceloop.entity.output": '{"tools":[{"name":"get_weather"}]}' },
    }),
  );
  assert.equal(list.kind, "other");
  assert.equal(list.name, "tools/list");
  assert.equal(list.output, '{"tools":[{"name":"get_weather"}]}');

  const session = mcp.normalize(
    buildSpan({
      name: "mcp.client.session",
      scope: TL_MCP,
      attributes: { "traceloop.span.kind": "session", "traceloop.entity.name": "mcp.client.session" },
    }),
  );
  assert.equal(session.kind, "other");
});

test("malformed MCP values do not throw", () => {
  const step = mcp.normalize(
    buildSpan({
      name: "x.tool",
      scope: TL_MCP,
      attributes: {
        "traceloop.span.kind": "tool",
        "traceloop.entity.input": "{oops",
        "traceloop.entity.output": '{"result":{"type":"image"},"is_error":true}',
      },
    }),
  );
  assert.equal(step.toolName, "x");
  assert.equal(step.toolArguments, "{oops");
  assert.equal(step.toolResult, '{"type":"image"}');
  const odd = mcp.normalize(buildSpan({ name: "", attributes: { "mcp.method.name": 5 } }));
  assert.equal(odd.kind, "other");
});

test("detect: mcp.method.name or the Traceloop MCP scope only", () => {
  assert.equal(mcp.detect(buildSpan({ attributes: { "mcp.method.name": "ping" } })), true);
  assert.equal(mcp.detect(buildSpan({ scope: TL_MCP })), true);
  assert.equal(mcp.detect(buildSpan({ attributes: { "gen_ai.tool.name": "t", "mcp.session.id": "s" } })), false);
  assert.equal(mcp.detect(buildSpan({ scope: scope("@traceloop/instrumentation-openai") })), false);
});
