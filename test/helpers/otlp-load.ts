import { spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { hexBytes, kv, pb } from "@/collector/decode/pb-builder";

/**
 * Load generation for collector fault tests: OTLP trace requests in both encodings, an
 * exporter-like sender (retries on connection errors and 429/502/503/504, honouring
 * Retry-After, as the OpenTelemetry exporters do), and helpers to watch a collector.
 */

export type Encoding = "json" | "protobuf";
export const CONTENT_TYPE: Record<Encoding, string> = { json: "application/json", protobuf: "application/x-protobuf" };

export type SpanSpec = {
  traceId: string; // 32 hex
  spanId: string; // 16 hex
  parentSpanId?: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes?: Record<string, string | number>;
  error?: boolean;
};

export const hex = (n: number | bigint, len: number): string => n.toString(16).padStart(len, "0");

/** An ExportTraceServiceRequest with one resource and one scope, in the chosen encoding. */
export function encodeSpans(encoding: Encoding, spans: SpanSpec[], service = "load-agent"): Uint8Array {
  if (encoding === "json") {
    const text = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
          scopeSpans: [
            {
              scope: { name: "load", version: "1" },
              spans: spans.map((s) => ({
                traceId: s.traceId,
                spanId: s.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                kind: 1,
                startTimeUnixNano: s.startNs.toString(),
                endTimeUnixNano: s.endNs.toString(),
                attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({
                  key,
                  value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v },
                })),
                status: s.error ? { code: 2, message: "failed" } : {},
              })),
            },
          ],
        },
      ],
    });
    return new TextEncoder().encode(text);
  }
  return pb.message(
    1,
    pb.message(1, kv.string(1, "service.name", service)),
    pb.message(
      2,
      pb.message(1, pb.string(1, "load"), pb.string(2, "1")),
      ...spans.map((s) =>
        pb.message(
          2,
          pb.bytes(1, hexBytes(s.traceId)),
          pb.bytes(2, hexBytes(s.spanId)),
          s.parentSpanId ? pb.bytes(4, hexBytes(s.parentSpanId)) : new Uint8Array(0),
          pb.string(5, s.name),
          pb.varint(6, 1),
          pb.fixed64(7, s.startNs),
          pb.fixed64(8, s.endNs),
          ...Object.entries(s.attributes ?? {}).map(([key, v]) =>
            typeof v === "number" ? kv.int(9, key, v) : kv.string(9, key, v),
          ),
          s.error ? pb.message(15, pb.string(2, "failed"), pb.varint(3, 2)) : new Uint8Array(0),
        ),
      ),
    ),
  );
}

// ─── A stream of export requests with known content ─────────────────────────

export type StreamSpec = {
  /** Distinguishes this stream's runs and spans from every other stream's. */
  tag: number;
  requests: number;
  spansPerRequest: number;
  runs: number;
  /** Extra bytes of attribute text per span, to make requests large. */
  padBytes?: number;
};
export type StreamRequest = { index: number; encoding: Encoding; body: Uint8Array; spanIds: string[] };
export type RunExpectation = { steps: number; llm: number; inputTokens: number };
export type Stream = { runIds: string[]; requests: StreamRequest[]; expected: Map<string, RunExpectation> };

/**
 * Requests with distinct span ids, spread round-robin over `runs` runs (traces), alternating
 * JSON and protobuf. Every fifth span is an LLM call with tokens, so run aggregates (steps,
 * LLM calls, tokens) have known values. Deterministic: the same spec gives the same bytes.
 * `bodies: false` leaves the bodies empty (for checking what another process sent).
 */
export function makeStream(spec: StreamSpec, opts: { bodies?: boolean } = {}): Stream {
  const { tag, runs } = spec;
  const runIds = Array.from({ length: runs }, (_, r) => `${hex(tag, 8)}${hex(r + 1, 24)}`);
  const pad = "p".repeat(spec.padBytes ?? 0);
  const requests: StreamRequest[] = [];
  for (let i = 0; i < spec.requests; i++) {
    const runId = runIds[i % runs]!;
    const spans: SpanSpec[] = [];
    for (let j = 0; j < spec.spansPerRequest; j++) {
      const llm = j % 5 === 0;
      const start = 1_763_700_000_000_000_000n + BigInt(i * 1000 + j) * 1_000_000n;
      spans.push({
        traceId: runId,
        spanId: `${hex(tag, 4)}${hex(i + 1, 8)}${hex(j, 4)}`,
        parentSpanId: `${hex(tag, 4)}ffffffff0000`, // a root that never arrives: the run stays live
        name: llm ? "chat m" : "work",
        startNs: start,
        endNs: start + 500_000n,
        attributes: llm
          ? {
              "gen_ai.operation.name": "chat",
              "gen_ai.request.model": "m",
              "gen_ai.usage.input_tokens": j + 1,
              "gen_ai.usage.output_tokens": 2,
            }
          : { "step.index": j, "step.note": `request ${i} span ${j}${pad}` },
      });
    }
    const encoding: Encoding = i % 2 === 0 ? "json" : "protobuf";
    const body = opts.bodies === false ? new Uint8Array(0) : encodeSpans(encoding, spans);
    requests.push({ index: i, encoding, body, spanIds: spans.map((s) => s.spanId) });
  }
  return { runIds, requests, expected: expectedRuns({ runIds, requests }) };
}

/** Run aggregates expected once these requests (of a stream) are stored. */
export function expectedRuns(s: { runIds: string[]; requests: StreamRequest[] }): Map<string, RunExpectation> {
  const out = new Map(s.runIds.map((id) => [id, { steps: 0, llm: 0, inputTokens: 0 }]));
  for (const r of s.requests) {
    const exp = out.get(s.runIds[r.index % s.runIds.length]!)!;
    exp.steps += r.spanIds.length;
    for (let j = 0; j < r.spanIds.length; j += 5) {
      exp.llm++;
      exp.inputTokens += j + 1;
    }
  }
  return out;
}

// ─── HTTP ───────────────────────────────────────────────────────────────────

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** Keep-alive connections, as the exporters use. */
export function createAgent(maxSockets = 64): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/** One POST; rejects on a connection error or after `timeoutMs` (the exporters' default is 10 s). */
export function post(
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  opts: { agent?: http.Agent; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent: opts.agent ?? false,
        headers: { ...headers, "content-length": String(body.length) },
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT_CLIENT" })));
    req.on("error", reject);
    req.end(body);
  });
}

export function get(url: string, timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
  });
}

// ─── Exporter-like sending ──────────────────────────────────────────────────

export type Attempt = {
  /** performance.now() when the attempt started and how long it took. */
  at: number;
  ms: number;
  status: number | null;
  retryAfter: string | null;
  error?: string;
};
export type ExportResult = { ok: boolean; status: number | null; attempts: Attempt[]; body?: Buffer };

export type RetryPolicy = {
  /** Give up after this time (the exporters give up after a few attempts; tests want every span eventually). */
  deadlineMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Retry-After is honoured, but not beyond this. */
  maxRetryAfterMs: number;
  timeoutMs: number;
};
export const DEFAULT_RETRY: RetryPolicy = {
  deadlineMs: 60_000,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  maxRetryAfterMs: 5000,
  timeoutMs: 10_000,
};

/** OTLP/HTTP: these statuses (and connection errors) are retryable; any other status is final. */
export const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Sends one export request like an OpenTelemetry exporter: retries connection errors and
 * retryable statuses with exponential backoff and jitter, or after Retry-After when given.
 * `onAttempt` sees every attempt as it ends.
 */
export async function exportWithRetry(
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  opts: {
    agent?: http.Agent;
    policy?: Partial<RetryPolicy>;
    random?: () => number;
    onAttempt?: (a: Attempt) => void;
    /** Stops retrying (the test is over). */
    signal?: AbortSignal;
  } = {},
): Promise<ExportResult> {
  const policy = { ...DEFAULT_RETRY, ...opts.policy };
  const random = opts.random ?? Math.random;
  const attempts: Attempt[] = [];
  const deadline = performance.now() + policy.deadlineMs;
  let backoff = policy.initialBackoffMs;
  for (;;) {
    if (opts.signal?.aborted) return { ok: false, status: null, attempts };
    const at = performance.now();
    let attempt: Attempt;
    let reply: Reply | null = null;
    try {
      reply = await post(url, body, headers, { agent: opts.agent, timeoutMs: policy.timeoutMs });
      attempt = { at, ms: performance.now() - at, status: reply.status, retryAfter: header(reply.headers["retry-after"]) };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      attempt = { at, ms: performance.now() - at, status: null, retryAfter: null, error: e.code ?? e.message ?? String(error) };
    }
    attempts.push(attempt);
    opts.onAttempt?.(attempt);
    if (reply && !RETRYABLE_STATUS.has(reply.status))
      return { ok: reply.status === 200, status: reply.status, attempts, body: reply.body };
    const retryAfterS = attempt.retryAfter === null ? NaN : Number(attempt.retryAfter);
    const wait = Number.isFinite(retryAfterS)
      ? Math.min(retryAfterS * 1000, policy.maxRetryAfterMs)
      : backoff * (0.8 + 0.4 * random());
    backoff = Math.min(backoff * 1.5, policy.maxBackoffMs);
    if (performance.now() + wait > deadline) return { ok: false, status: attempt.status, attempts };
    await sleep(wait, opts.signal);
  }
}

const header = (v: string | string[] | undefined): string | null => (v === undefined ? null : Array.isArray(v) ? v[0]! : v);

// ─── Watching the collector ────────────────────────────────────────────────

/** A gauge or counter from the collector's /metrics (Prometheus text), or null. */
export function metricValue(text: string, name: string): number | null {
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : null;
}

export type Watch = {
  /** Highest resident memory seen, in bytes. */
  maxRss: number;
  samples: { at: number; rss: number | null; healthy: boolean; healthMs: number }[];
  stop(): Promise<void>;
};

/** Polls /healthz and /metrics every `everyMs` until stopped. */
export function watchCollector(baseUrl: string, everyMs = 250): Watch {
  let running = true;
  const w: Watch = {
    maxRss: 0,
    samples: [],
    async stop() {
      running = false;
      await loop;
    },
  };
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      const healthy = await get(`${baseUrl}/healthz`, 5000).then(
        (r) => r.status === 200,
        () => false,
      );
      const healthMs = performance.now() - at;
      const rss = await get(`${baseUrl}/metrics`, 5000).then(
        (r) => metricValue(r.body.toString(), "causeway_collector_resident_memory_bytes"),
        () => null,
      );
      if (rss !== null) w.maxRss = Math.max(w.maxRss, rss);
      w.samples.push({ at, rss, healthy, healthMs });
      await sleep(everyMs);
    }
  })();
  return w;
}

/** The q-quantile (0..1) of a list of numbers (nearest rank), NaN when empty. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A small seeded PRNG (mulberry32): reproducible jitter and choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ─── Hammering, from a separate process ─────────────────────────────────────

export type HammerOptions = {
  url: string;
  headers: Record<string, string>;
  stream: StreamSpec;
  workers: number;
  durationMs: number;
};
export type HammerResult = { index: number; status: number | null; ms: number; retryAfter: string | null; error?: string };

/**
 * `workers` concurrent senders post the stream's requests back to back (one attempt each,
 * no backoff) until `durationMs` has passed or the stream is used up.
 */
export async function hammer(o: HammerOptions): Promise<HammerResult[]> {
  const stream = makeStream(o.stream);
  const agent = createAgent(o.workers);
  const results: HammerResult[] = [];
  const until = performance.now() + o.durationMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: o.workers }, async () => {
      while (performance.now() < until && next < stream.requests.length) {
        const request = stream.requests[next++]!;
        const at = performance.now();
        const r = await post(
          o.url,
          request.body,
          { "content-type": CONTENT_TYPE[request.encoding], ...o.headers },
          { agent },
        ).then(
          (reply) => ({ status: reply.status as number | null, retryAfter: header(reply.headers["retry-after"]) }),
          (e: Error & { code?: string }) => ({ status: null, retryAfter: null, error: e.code ?? e.message }),
        );
        results.push({ index: request.index, ms: performance.now() - at, ...r });
      }
    }),
  );
  agent.destroy();
  return results;
}

/**
 * `hammer` in a child process, so that latencies are measured on an event loop nothing else
 * blocks (in the tests' embedded mode, the database runs in the test process).
 */
export function hammerInChildProcess(o: HammerOptions): Promise<HammerResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "hammer", JSON.stringify(o)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`hammer exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as HammerResult[]);
      } catch (e) {
        reject(new Error(`hammer printed no results (${(e as Error).message}): ${out.slice(0, 200)} ${err}`));
      }
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === "hammer") {
  const results = await hammer(JSON.parse(process.argv[3]!) as HammerOptions);
  process.stdout.write(JSON.stringify(results));
}
