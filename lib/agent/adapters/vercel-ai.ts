import { combinedSignal, type Checkpointed } from "./checkpoint";

/**
 * Vercel AI SDK (v5–v7): spread into generateText / streamText / an Agent's settings.
 * `prepareStep` runs before every step (each model call), so a pause holds the agent
 * there and a kill throws RunKilledError out of the call; `abortSignal` aborts the
 * model request and is passed on to tools' `execute(…, { abortSignal })`.
 *
 *   await generateText({ model, tools: controlTools(control, tools), ...aiSdkControl(control) });
 *
 * Typed structurally: no import of `ai` is needed here.
 */
export function aiSdkControl(
  control: Checkpointed,
  opts?: { abortSignal?: AbortSignal },
): { abortSignal: AbortSignal; prepareStep: (options: unknown) => Promise<undefined> };
/** With your own prepareStep: it runs after the checkpoint, and its result is passed on. */
export function aiSdkControl<O, R>(
  control: Checkpointed,
  opts: { prepareStep: (options: O) => R | PromiseLike<R>; abortSignal?: AbortSignal },
): { abortSignal: AbortSignal; prepareStep: (options: O) => Promise<R> };
export function aiSdkControl(
  control: Checkpointed,
  opts: { prepareStep?: (options: unknown) => unknown; abortSignal?: AbortSignal } = {},
) {
  return {
    abortSignal: combinedSignal(control, opts.abortSignal),
    prepareStep: async (options: unknown) => {
      await control.checkpoint();
      return opts.prepareStep ? await opts.prepareStep(options) : undefined;
    },
  };
}

/** Wraps each tool's `execute` with a checkpoint, so a pause or kill also lands right before a tool call. */
export function controlTools<T extends Record<string, object>>(control: Checkpointed, tools: T): T {
  const out: Record<string, object> = {};
  for (const [name, tool] of Object.entries(tools)) {
    const execute = (tool as { execute?: unknown }).execute;
    out[name] =
      typeof execute === "function"
        ? {
            ...tool,
            execute: async (...args: unknown[]) => {
              await control.checkpoint();
              return (execute as (...a: unknown[]) => unknown).apply(tool, args);
            },
          }
        : tool;
  }
  return out as T;
}
