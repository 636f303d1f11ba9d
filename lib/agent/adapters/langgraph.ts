import { combinedSignal, type Checkpointed } from "./checkpoint";

/**
 * LangGraph JS: `graph.invoke(input, langGraphControl(control, config))` passes the
 * control signal (a kill cancels the run, including in-flight model calls that receive
 * it); wrapping nodes with `controlledNode` adds a checkpoint before each node runs.
 */
export function langGraphControl<C extends object = object>(control: Checkpointed, config?: C): C & { signal: AbortSignal } {
  const own = (config as { signal?: AbortSignal } | undefined)?.signal;
  return { ...(config ?? ({} as C)), signal: combinedSignal(control, own) };
}

export function controlledNode<S, C, R>(control: Checkpointed, node: (state: S, config: C) => R | Promise<R>) {
  return async (state: S, config: C): Promise<R> => {
    await control.checkpoint();
    return node(state, config);
  };
}
