import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "@/lib/log";
import { METRICS_CONTENT_TYPE, type Metrics } from "@/collector/receiver/metrics";

export type Probe = () => Promise<boolean>;

/**
 * The collector's HTTP front door. Health and metrics live here; the OTLP
 * pipeline (/v1/traces, /v1/logs: receive -> decode -> normalize -> store) plugs
 * into `routes` (issue 3).
 */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createCollectorServer(opts: {
  log: Logger;
  metrics: Metrics;
  databaseReady: Probe;
  routes?: Record<string, Route>;
  /** Routes with parameters in the path (the control channel's /v1/control/runs/{runId}/…). */
  match?: (method: string, path: string) => Route | undefined;
}): Server {
  const routes: Record<string, Route> = {
    "GET /healthz": async (_req, res) => send(res, 200, { status: "ok" }),
    "GET /readyz": async (_req, res) => {
      const ok = await opts.databaseReady().catch(() => false);
      send(res, ok ? 200 : 503, { status: ok ? "ok" : "unavailable", database: ok ? "ok" : "unreachable" });
    },
    "GET /metrics": async (_req, res) => {
      const text = await opts.metrics.render();
      res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE });
      res.end(text);
    },
    ...opts.routes,
  };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const route = routes[`${req.method} ${path}`] ?? opts.match?.(req.method ?? "GET", path ?? "/");
    try {
      if (route) return await route(req, res);
      const known = Object.keys(routes).some((k) => k.endsWith(` ${path}`));
      send(res, known ? 405 : 404, { error: known ? `Method ${req.method} not allowed on ${path}` : `No route ${path}` });
    } catch (error) {
      opts.log.error("request failed", { path, error });
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      else res.destroy();
    }
  });
  // Exporters keep connections open between batches. The server must not be the side that closes an idle
  // one first: a request written as it closes fails with "other side closed" (fetch failed), and POSTs are not
  // retried by HTTP clients. 65 s outlasts the usual client and load-balancer idle timeouts (Node's 4–5 s,
  // AWS ALB's 60 s); clients that read the Keep-Alive hint stop one second before.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
