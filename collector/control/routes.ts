import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import { z } from "zod";
import type { Logger } from "@/lib/log";
import { normalizeRunId, normalizeSpanId } from "@/lib/control/state";
import {
  ackBody,
  channelPolled,
  parseChannelPath,
  pollQuery,
  registerBody,
  type ChannelState,
  type ChannelVerb,
} from "@/lib/control/wire";
import type { ControlAuth, ControlCaller } from "@/collector/control/auth";
import type { ControlHub } from "@/collector/control/hub";
import { formatSseEvent, SSE_HEARTBEAT, startSse } from "@/collector/control/sse";
import { acknowledge, claimRun, markDelivered, type RunControlView } from "@/collector/control/store";
import { BodyError, readBody } from "@/collector/receiver/body";
import { send, type Route } from "@/collector/receiver/server";
import { isTransientDbError } from "@/collector/store/errors";

/**
 * The agent channel (lib/control/wire.ts has the shapes): register, stream (SSE),
 * poll (long-poll fallback) and ack, all under /v1/control/runs/{runId}/. Agents
 * can only read their own runs' state and report delivery; nothing here changes a
 * desired state.
 */
export type ControlRouteDeps = { pool: pg.Pool; hub: ControlHub; auth: ControlAuth; log: Logger };

const METHOD: Record<ChannelVerb, string> = { register: "POST", stream: "GET", poll: "GET", ack: "POST" };
const MAX_BODY_BYTES = 16 * 1024;

class ChannelError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function controlRoutes(deps: ControlRouteDeps): (method: string, path: string) => Route | undefined {
  return (method, path) => {
    const match = parseChannelPath(path);
    if (!match) return undefined;
    return async (req, res) => {
      try {
        if (method !== METHOD[match.verb])
          throw new ChannelError(405, `Method ${method} not allowed on ${path} (use ${METHOD[match.verb]})`);
        const runId = normalizeRunId(match.runId);
        if (!runId) throw new ChannelError(400, "The run id must be the run's 32-hex trace id.");
        if (deps.hub.isClosed) throw new ChannelError(503, "The collector is stopping; reconnect to another one.");
        const caller = await deps.auth(req.headers);
        if (!caller)
          throw new ChannelError(401, "Send `Authorization: Bearer <key>` with a project API key (ingest or operate scope).");
        await HANDLERS[match.verb](deps, caller, runId, req, res);
      } catch (error) {
        req.resume();
        if (res.headersSent) return void res.end();
        if (deps.hub.isClosed) res.setHeader("connection", "close");
        if (error instanceof ChannelError || error instanceof BodyError) return send(res, error.status, { error: error.message });
        if (error instanceof z.ZodError)
          return send(res, 400, { error: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") });
        if (isTransientDbError(error)) {
          res.setHeader("retry-after", "1");
          return send(res, 503, { error: "database unavailable, retry" });
        }
        throw error;
      }
    };
  };
}

type Handler = (
  deps: ControlRouteDeps,
  caller: ControlCaller,
  runId: string,
  req: IncomingMessage,
  res: ServerResponse,
) => Promise<void>;

const HANDLERS: Record<ChannelVerb, Handler> = {
  async register(deps, caller, runId, req, res) {
    const body = registerBody.parse(await readJson(req));
    const agent = body.serviceName ? { serviceName: body.serviceName, instanceId: body.instanceId ?? "" } : undefined;
    const view = await claim(deps, caller, runId, agent);
    send(res, 200, { state: view.state, heartbeatMs: deps.hub.heartbeatMs });
    delivered(deps, caller, view.state);
  },

  async stream(deps, caller, runId, req, res) {
    const view = await claim(deps, caller, runId);
    const lastEventId = Number(req.headers["last-event-id"]);
    let sent = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : -1;
    const push = (state: ChannelState) => {
      if (state.version <= sent || res.destroyed) return;
      sent = state.version;
      res.write(formatSseEvent({ id: String(state.version), event: "state", data: JSON.stringify(state) }));
      delivered(deps, caller, state);
    };
    startSse(res);
    push(view.state);
    const stop = deps.hub.watch(caller.projectId, view, {
      kind: "stream",
      onState: push,
      onHeartbeat: () => void (!res.destroyed && res.write(SSE_HEARTBEAT)),
      // Stopping: close the connection too, or the client's next request would reuse it (keep-alive)
      // and hold the closing server open.
      onClose: () => {
        res.once("finish", () => res.socket?.destroy());
        res.end();
      },
    });
    res.on("close", stop);
  },

  async poll(deps, caller, runId, req, res) {
    const q = pollQuery.parse(Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams));
    const view = await claim(deps, caller, runId);
    const state = view.state.version > q.after ? view.state : await waitForChange(deps, caller, view, q, res);
    if (res.destroyed) return;
    if (deps.hub.isClosed) res.setHeader("connection", "close");
    const changed = state.version > q.after;
    send(res, 200, channelPolled.parse({ state, changed }));
    if (changed) delivered(deps, caller, state);
  },

  async ack(deps, caller, runId, req, res) {
    const body = ackBody.parse(await readJson(req));
    const result = await acknowledge(deps.pool, caller, runId, {
      version: body.version,
      applied: body.applied,
      spanId: normalizeSpanId(body.spanId),
    });
    if (result === "not_found") throw new ChannelError(404, "This run was never registered: register it first.");
    if (result === "forbidden") throw new ChannelError(403, "This run is controlled through another key.");
    if (result === "future_version") throw new ChannelError(409, "No such version yet: acknowledge a state you received.");
    send(res, 200, { ok: true });
  },
};

async function claim(
  deps: ControlRouteDeps,
  caller: ControlCaller,
  runId: string,
  agent?: { serviceName: string; instanceId: string },
): Promise<RunControlView> {
  const result = await claimRun(deps.pool, caller, runId, agent);
  if (result.kind === "forbidden")
    throw new ChannelError(403, "This run is controlled through another key: an agent may only listen to its own runs.");
  return result.view;
}

function waitForChange(
  deps: ControlRouteDeps,
  caller: ControlCaller,
  view: RunControlView,
  q: { after: number; timeout: number },
  res: ServerResponse,
): Promise<ChannelState> {
  return new Promise((resolve) => {
    let latest = view.state;
    let done = false;
    let stop = () => {};
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop();
      resolve(latest);
    };
    const timer = setTimeout(finish, q.timeout * 1000);
    stop = deps.hub.watch(caller.projectId, view, {
      kind: "poll",
      onState: (state) => {
        latest = state;
        if (state.version > q.after) finish();
      },
      onClose: finish,
    });
    if (done) stop(); // the watch answered at once
    res.on("close", finish);
  });
}

/** Recorded after the response is written: delivery bookkeeping never delays a command. */
function delivered(deps: ControlRouteDeps, caller: ControlCaller, state: ChannelState): void {
  void markDelivered(deps.pool, { projectId: caller.projectId, runId: state.runId }, state.version).catch((error: Error) =>
    deps.log.warn("control delivery bookkeeping failed", { error: error.message }),
  );
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ChannelError(400, "The request body must be JSON.");
  }
}
