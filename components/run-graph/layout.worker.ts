import { layoutGraph } from "@/lib/graph/layout";
import type { LayoutRequest, LayoutResponse } from "@/components/run-graph/layout-client";

/** Lays out decision graphs off the main thread; the result's arrays are transferred, not copied. */
addEventListener("message", (event: MessageEvent<LayoutRequest>) => {
  const { id, input } = event.data;
  try {
    const layout = layoutGraph(input);
    const response: LayoutResponse = { id, layout };
    postMessage(response, { transfer: [layout.x.buffer, layout.y.buffer, layout.rank.buffer, layout.groupBox.buffer] });
  } catch (error) {
    const response: LayoutResponse = { id, error: error instanceof Error ? error.message : String(error) };
    postMessage(response);
  }
});
