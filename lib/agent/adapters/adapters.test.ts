import assert from "node:assert/strict";
import { test } from "node:test";
import { aiSdkControl, controlTools } from "@/lib/agent/adapters/vercel-ai";
import { openAiAgentsControl } from "@/lib/agent/adapters/openai-agents";
import { controlledNode, langGraphControl } from "@/lib/agent/adapters/langgraph";
import { withCheckpoint } from "@/lib/agent/adapters/checkpoint";

/** A stand-in for the client: counts checkpoints; `kill()` makes them throw and aborts the signal. */
function fakeControl() {
  const ac = new AbortController();
  let checkpoints = 0;
  let killed = false;
  return {
    signal: ac.signal,
    checkpoint: async () => {
      checkpoints++;
      if (killed) throw Object.assign(new Error("killed"), { name: "RunKilledError" });
    },
    kill: () => {
      killed = true;
      ac.abort(new Error("killed"));
    },
    get checkpoints() {
      return checkpoints;
    },
  };
}

test("Vercel AI SDK: prepareStep checkpoints, then runs the caller's own prepareStep; signals combine", async () => {
  const control = fakeControl();
  const plain = aiSdkControl(control);
  assert.equal(await plain.prepareStep({ stepNumber: 0 }), undefined);
  const own = new AbortController();
  const custom = aiSdkControl(control, {
    prepareStep: ({ stepNumber }: { stepNumber: number }) => ({ activeTools: stepNumber > 0 ? [] : ["search"] }),
    abortSignal: own.signal,
  });
  assert.deepEqual(await custom.prepareStep({ stepNumber: 0 }), { activeTools: ["search"] });
  assert.equal(control.checkpoints, 2);
  own.abort();
  assert.ok(custom.abortSignal.aborted && !plain.abortSignal.aborted);
  control.kill();
  assert.ok(plain.abortSignal.aborted);
  await assert.rejects(plain.prepareStep({}), /killed/);
});

test("controlTools wraps every tool that executes, and keeps the rest of each tool", async () => {
  const control = fakeControl();
  const tools = controlTools(control, {
    search: { description: "s", execute: async (input: { q: string }) => `found ${input.q}` },
    clientSide: { description: "no execute" },
  });
  assert.equal(await tools.search.execute({ q: "x" }), "found x");
  assert.equal(tools.search.description, "s");
  assert.equal(control.checkpoints, 1);
  assert.equal("execute" in tools.clientSide, false);
  control.kill();
  await assert.rejects(tools.search.execute({ q: "y" }), /killed/);
});

test("OpenAI Agents: the filter checkpoints and passes the model input through (or through the caller's filter)", async () => {
  const control = fakeControl();
  const modelData = { input: [{ role: "user", content: "hi" }], instructions: "be brief" };
  const plain = openAiAgentsControl(control);
  const args = { modelData, agent: {}, context: undefined }; // as the SDK passes them
  assert.equal(await plain.callModelInputFilter(args), modelData);
  const custom = openAiAgentsControl(control, {
    callModelInputFilter: ({ modelData: d }: { modelData: typeof modelData }) => ({ ...d, instructions: "x" }),
  });
  assert.equal((await custom.callModelInputFilter({ modelData })).instructions, "x");
  assert.equal(control.checkpoints, 2);
  assert.equal(plain.signal, control.signal);
});

test("LangGraph: the config carries the control signal; wrapped nodes checkpoint first", async () => {
  const control = fakeControl();
  const config = langGraphControl(control, { configurable: { thread_id: "t1" } });
  assert.deepEqual(config.configurable, { thread_id: "t1" });
  assert.equal(config.signal, control.signal);
  const node = controlledNode(control, async (state: { n: number }) => ({ n: state.n + 1 }));
  assert.deepEqual(await node({ n: 1 }, config), { n: 2 });
  const step = withCheckpoint(control, (a: number, b: number) => a + b);
  assert.equal(await step(2, 3), 5);
  assert.equal(control.checkpoints, 2);
  control.kill();
  await assert.rejects(node({ n: 1 }, config), /killed/);
});

test("LangGraph: a runnable node (such as ToolNode) is invoked as a method after the checkpoint", async () => {
  const control = fakeControl();
  const seen: unknown[] = [];
  const toolNode = {
    prefix: "ran",
    async invoke(state: { n: number }, config: { signal?: AbortSignal }) {
      seen.push(config.signal);
      return { out: `${this.prefix} ${state.n}` };
    },
  };
  const config = langGraphControl(control, { recursionLimit: 5 });
  const node = controlledNode(control, toolNode);
  assert.deepEqual(await node({ n: 1 }, config), { out: "ran 1" });
  assert.deepEqual(seen, [control.signal]);
  assert.equal(control.checkpoints, 1);
  control.kill();
  await assert.rejects(node({ n: 2 }, config), /killed/);
  assert.equal(seen.length, 1, "not invoked once killed");
});
