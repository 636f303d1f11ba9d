import assert from "node:assert/strict";
import { test } from "node:test";
import { exportContext, exportContextJson, exportTool } from "@/lib/context/export";
import { decision, msg, system, toolResult, user } from "@/lib/context/test-messages";
import type { StepDetail } from "@/lib/api/step-schemas";

const step = { model: "gpt-4o", provider: "openai" } as StepDetail["step"];

test("a model call exports as an OpenAI chat-completions request body", () => {
  const out = exportContext({
    step,
    parameters: { temperature: 0.2, max_tokens: 512 },
    tools: [
      { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
      { type: "function", name: "search", description: "Web search", inputSchema: { jsonSchema: { type: "object" } } },
      { name: "lookup", input_schema: { type: "object", properties: {} } },
    ],
    inputMessages: [
      system("You are a weather assistant."),
      user("Weather in Paris?"),
      decision("call_1", "get_weather", { city: "Paris" }),
      toolResult("call_1", { temperature_c: 18 }),
      msg("model", "It is 18°C."),
      msg("assistant", null, { toolCalls: [{ id: null, name: "search", arguments: "{}" }] }),
    ],
  });
  assert.deepEqual(out, {
    model: "gpt-4o",
    provider: "openai",
    parameters: { temperature: 0.2, max_tokens: 512 },
    tools: [
      { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
      { type: "function", function: { name: "search", description: "Web search", parameters: { type: "object" } } },
      { type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } },
    ],
    messages: [
      { role: "system", content: "You are a weather assistant." },
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", content: '{"temperature_c":18}', tool_call_id: "call_1" },
      { role: "assistant", content: "It is 18°C." },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_0", type: "function", function: { name: "search", arguments: "{}" } }],
      },
    ],
  });
});

test("unknown tool shapes pass through; the JSON file is pretty-printed", () => {
  assert.equal(exportTool("raw"), "raw");
  assert.deepEqual(exportTool({ type: "web_search" }), { type: "web_search" });
  const json = exportContextJson({ step, parameters: {}, tools: [], inputMessages: [user("hi")] });
  assert.ok(json.startsWith('{\n  "model": "gpt-4o"'));
  assert.deepEqual(JSON.parse(json).messages, [{ role: "user", content: "hi" }]);
});
