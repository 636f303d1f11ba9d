import { layoutGraph, type GraphLayout, type LayoutInput } from "@/lib/graph/layout";

/**
 * Talks to the layout worker. Only the newest request matters: asking again
 * answers the previous request with null at once and, if the worker is still busy
 * with it, terminates the worker (a layout cannot be interrupted otherwise) and
 * starts a fresh one — so a stale layout never lands and never delays the current
 * one (Jaeger plexus's LayoutManager does the same). Answers carry the request id,
 * so a late message from a replaced request is ignored.
 *
 * When no worker can be created (blocked by policy, unsupported) or it fails, the
 * layout runs on the main thread instead: slower to stay responsive, but drawn.
 */
export type LayoutRequest = { id: number; input: LayoutInput };
export type LayoutResponse = { id: number; layout: GraphLayout } | { id: number; error: string };

/** The part of a Worker the client uses (a fake in tests). */
export type LayoutWorker = {
  postMessage(message: LayoutRequest): void;
  onmessage: ((event: { data: LayoutResponse }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  terminate(): void;
};

export type LayoutClient = {
  /** The layout of `input`, or null when a newer request (or dispose) replaced this one. */
  request(input: LayoutInput): Promise<GraphLayout | null>;
  dispose(): void;
};

export function createLayoutClient(
  createWorker: () => LayoutWorker,
  onMainThread: (input: LayoutInput) => GraphLayout = (input) => layoutGraph(input),
): LayoutClient {
  let worker: LayoutWorker | null | undefined; // undefined: not started; null: unavailable for good
  let nextId = 0;
  let current: { id: number; input: LayoutInput; resolve: (layout: GraphLayout | null) => void } | null = null;

  const settle = (layout: GraphLayout | null) => {
    const c = current;
    current = null;
    c?.resolve(layout);
  };
  const start = () => {
    try {
      const w = createWorker();
      w.onmessage = ({ data }) => {
        if (!current || data.id !== current.id) return;
        settle("layout" in data ? data.layout : onMainThread(current.input));
      };
      w.onerror = () => {
        w.terminate();
        worker = null;
        if (current) settle(onMainThread(current.input));
      };
      worker = w;
    } catch {
      worker = null;
    }
  };

  return {
    request(input) {
      if (current) {
        settle(null);
        worker?.terminate();
        if (worker) worker = undefined;
      }
      if (worker === undefined) start();
      const id = ++nextId;
      return new Promise((resolve) => {
        if (!worker) return resolve(onMainThread(input));
        current = { id, input, resolve };
        worker.postMessage({ id, input });
      });
    },
    dispose() {
      settle(null);
      worker?.terminate();
      worker = null;
    },
  };
}
