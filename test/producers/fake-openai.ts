import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A scripted OpenAI-compatible model server on a free loopback port, for producers that drive the real `openai`
 * client (directly, through the OpenAI Agents SDK or under Traceloop's instrumentation). Each request gets the next
 * scripted turn, answered in the shape of the endpoint it came to:
 * - `POST /v1/chat/completions` (non-streaming): a `chat.completion` with `tool_calls` or text content;
 * - `POST /v1/responses` (non-streaming): a `response` whose `output` holds `function_call` items or a `message`.
 */
export type FakeToolCall = { id: string; name: string; arguments: string };
export type FakeTurn = { toolCalls: FakeToolCall[]; usage: FakeUsage } | { text: string; usage: FakeUsage };
export type FakeUsage = { input: number; output: number };

export type FakeOpenAi = {
  /** Base URL for the `openai` client (ends in /v1). */
  baseURL: string;
  /** Requests received, in order (path and parsed JSON body). */
  requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
};

export async function startFakeOpenAi(script: FakeTurn[], model = "gpt-4o-mini-2024-07-18"): Promise<FakeOpenAi> {
  const requests: FakeOpenAi["requests"] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const path = req.url ?? "";
      requests.push({ path, body });
      const turn = script[requests.length - 1];
      res.setHeader("content-type", "application/json");
      if (!turn) {
        res.statusCode = 400;
        res.end(
          JSON.stringify({
            error: { message: `fake server: no turn ${requests.length} scripted`, type: "invalid_request_error" },
          }),
        );
        return;
      }
      const n = requests.length;
      if (path.endsWith("/chat/completions")) res.end(JSON.stringify(chatCompletion(turn, n, model)));
      else if (path.endsWith("/responses")) res.end(JSON.stringify(response(turn, n, model, body)));
      else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { message: `fake server: ${path} not implemented` } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function chatCompletion(turn: FakeTurn, n: number, model: string) {
  const calls = "toolCalls" in turn;
  const message = calls
    ? {
        role: "assistant",
        content: null,
        tool_calls: turn.toolCalls.map((c) => ({
          id: c.id,
          type: "function",
          function: { name: c.name, arguments: c.arguments },
        })),
      }
    : { role: "assistant", content: turn.text };
  return {
    id: `chatcmpl-fake-${n}`,
    object: "chat.completion",
    created: 1_763_700_000 + n,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: calls ? "tool_calls" : "stop" }],
    usage: {
      prompt_tokens: turn.usage.input,
      completion_tokens: turn.usage.output,
      total_tokens: turn.usage.input + turn.usage.output,
    },
  };
}

function response(turn: FakeTurn, n: number, model: string, request: Record<string, unknown>) {
  const output =
    "toolCalls" in turn
      ? turn.toolCalls.map((c, i) => ({
          type: "function_call",
          id: `fc_fake_${n}_${i}`,
          call_id: c.id,
          name: c.name,
          arguments: c.arguments,
          status: "completed",
        }))
      : [
          {
            type: "message",
            id: `msg_fake_${n}`,
            role: "assistant",
            status: "completed",
            content: [{ type: "output_text", text: turn.text, annotations: [] }],
          },
        ];
  return {
    id: `resp_fake_${n}`,
    object: "response",
    created_at: 1_763_700_000 + n,
    model,
    status: "completed",
    instructions: request.instructions ?? null,
    output,
    tools: [],
    parallel_tool_calls: true,
    tool_choice: "auto",
    usage: {
      input_tokens: turn.usage.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: turn.usage.output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: turn.usage.input + turn.usage.output,
    },
  };
}
