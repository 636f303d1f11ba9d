import { combinedSignal, type Checkpointed } from "./checkpoint";

/**
 * OpenAI Agents JS: spread into `run(agent, input, { ...openAiAgentsControl(control) })`.
 * `callModelInputFilter` runs right before each model call (it returns the model input
 * unchanged, or through your own filter); `signal` cancels the run on a kill.
 * Tools can start with a checkpoint too: `tool({ …, execute: withCheckpoint(control, fn) })`.
 * Typed structurally: no import of `@openai/agents` is needed here.
 */
export function openAiAgentsControl(
  control: Checkpointed,
  opts?: { signal?: AbortSignal },
): { signal: AbortSignal; callModelInputFilter: <D>(args: { modelData: D }) => Promise<D> };
/** With your own filter: it runs after the checkpoint. */
export function openAiAgentsControl<A extends { modelData: unknown }>(
  control: Checkpointed,
  opts: { callModelInputFilter: (args: A) => A["modelData"] | Promise<A["modelData"]>; signal?: AbortSignal },
): { signal: AbortSignal; callModelInputFilter: (args: A) => Promise<A["modelData"]> };
export function openAiAgentsControl(
  control: Checkpointed,
  opts: { callModelInputFilter?: (args: { modelData: unknown }) => unknown; signal?: AbortSignal } = {},
) {
  return {
    signal: combinedSignal(control, opts.signal),
    callModelInputFilter: async (args: { modelData: unknown }) => {
      await control.checkpoint();
      return opts.callModelInputFilter ? opts.callModelInputFilter(args) : args.modelData;
    },
  };
}
