import { combinedSignal, type Checkpointed } from "./checkpoint";

/**
 * LangGraph JS: `graph.invoke(input, langGraphControl(control, config))` passes the
 * control signal. LangGraph hands it on to every node as `config.signal` (combined with its
 * own step timeouts), so a kill aborts the model and tool calls that receive the node's
 * config, and `invoke` / `stream` reject with the signal's reason, the RunKilledError itself
 * (checked with @langchain/langgraph 1.7). Wrapping nodes with `controlledNode` adds a
 * checkpoint before each node runs: a pause holds the graph there.
 * Typed structurally: no import of `@langchain/langgraph` is needed here.
 */
export function langGraphControl<C extends object = object>(control: Checkpointed, config?: C): C & { signal: AbortSignal } {
  const own = (config as { signal?: AbortSignal } | undefined)?.signal;
  return { ...(config ?? ({} as C)), signal: combinedSignal(control, own) };
}

/** A node function, or a runnable node such as the prebuilt `ToolNode`. */
export type NodeLike<S, C, R> = ((state: S, config: C) => R | Promise<R>) | { invoke(state: S, config: C): Promise<R> };

/** The node, starting with a checkpoint: `addNode("tools", controlledNode(control, new ToolNode(tools)))`. */
export function controlledNode<S, C, R>(control: Checkpointed, node: NodeLike<S, C, R>) {
  const run = typeof node === "function" ? node : (state: S, config: C) => node.invoke(state, config);
  return async (state: S, config: C): Promise<R> => {
    await control.checkpoint();
    return run(state, config);
  };
}
