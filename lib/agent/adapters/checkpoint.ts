/** What an adapter needs from the control client. */
export type Checkpointed = { checkpoint(): Promise<void>; readonly signal: AbortSignal };

/** Wraps any async function (a tool, a graph node, a step of a hand-written loop) so it starts with a checkpoint. */
export function withCheckpoint<A extends unknown[], R>(control: Checkpointed, fn: (...args: A) => R | Promise<R>) {
  return async (...args: A): Promise<R> => {
    await control.checkpoint();
    return fn(...args);
  };
}

/** The control signal, combined with the caller's own signal when there is one. */
export function combinedSignal(control: Checkpointed, other?: AbortSignal): AbortSignal {
  return other ? AbortSignal.any([control.signal, other]) : control.signal;
}
