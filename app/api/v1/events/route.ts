import { withAuth } from "@/lib/server/api/handler";
import { RUNS_CHANNEL, parseRunsChanged } from "@/lib/live/channels";
import { CONTROL_CHANNEL, parseControlNotice } from "@/lib/control/channel";
import { notifications } from "@/lib/server/live/notifications";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

/**
 * GET /api/v1/events: Server-Sent Events for live views of one project.
 *   event: runs    data: {"runIds": [...]}   runs whose spans were just committed
 *   event: control data: {"runIds": [...], "agentIds": [...]}   control state, delivery or client presence changed
 *   event: status  data: {"live": bool}      whether notifications flow (false: poll)
 * Browsers reconnect by themselves; a reconnect refetches, so no event ids are needed.
 */
export const GET = withAuth("read", async ({ req, project }) => {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup(); // the stream was closed under us
        }
      };
      const event = (name: string, data: unknown) => send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      const hub = notifications();
      const unsubscribe = hub.subscribe(
        RUNS_CHANNEL,
        (payload) => {
          const runIds = parseRunsChanged(payload)
            .filter((r) => r.projectId === project.id)
            .map((r) => r.runId);
          if (runIds.length) event("runs", { runIds });
        },
        (live) => event("status", { live }),
      );
      const unsubscribeControl = hub.subscribe(CONTROL_CHANNEL, (payload) => {
        const notice = parseControlNotice(payload);
        if (!notice || notice.projectId !== project.id) return;
        event(
          "control",
          notice.runId !== undefined ? { runIds: [notice.runId], agentIds: [] } : { runIds: [], agentIds: [notice.agentId] },
        );
      });
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        unsubscribeControl();
        req.signal.removeEventListener("abort", cleanup);
      };
      req.signal.addEventListener("abort", cleanup);
      send("retry: 2000\n\n");
      event("status", { live: hub.connected });
    },
    cancel: () => cleanup(),
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});
