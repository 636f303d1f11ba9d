import type { RunDetail, StepSummary } from "@/lib/api/schemas";

/**
 * Readable run fixtures for graph tests and the graph benchmark: each call appends
 * a step 10 ns after the previous one (5 ns long) and returns its span id, and the
 * causal edges are declared where the step is (`chosenBy`, `consumes`, `handoff`),
 * the way lib/graph/causal.ts would have found them. Containers (agents, chains,
 * tools that run a sub-agent) are stretched over their children when the run is
 * built, as real spans are.
 */
type Edge = RunDetail["edges"][number];
type DriftPoint = RunDetail["driftPoints"][number];
type StepOptions = { id?: string; parent?: string | null; error?: boolean };

export class RunBuilder {
  private readonly steps: StepSummary[] = [];
  private readonly edges: Edge[] = [];
  private readonly drift: DriftPoint[] = [];
  private clock = 1_000n;
  private seq = 0;
  private frozen: bigint | null = null;

  agent(name: string, o: StepOptions = {}): string {
    return this.add({ kind: "agent", name: `invoke_agent ${name}`, agentName: name }, o, "a");
  }

  /** A model call; `consumes` are tool steps whose results are in its input. */
  decision(o: StepOptions & { model?: string; consumes?: string[] } = {}): string {
    const id = this.add(
      { kind: "llm", name: `chat ${o.model ?? "gpt-4o"}`, model: o.model ?? "gpt-4o", provider: "openai" },
      o,
      "d",
    );
    for (const from of o.consumes ?? []) this.edges.push({ from, to: id, kind: "tool_result", via: null });
    return id;
  }

  tool(name: string, o: StepOptions & { chosenBy?: string } = {}): string {
    const id = this.add({ kind: "tool", name: `execute_tool ${name}`, toolName: name }, o, "t");
    if (o.chosenBy) this.edges.push({ from: o.chosenBy, to: id, kind: "tool_call", via: null });
    return id;
  }

  /** A handoff step (as OpenAI Agents reports it); link it to the target agent step with `handoff()`. */
  handoffStep(to: string, o: StepOptions & { chosenBy?: string } = {}): string {
    const id = this.add({ kind: "agent", name: `handoff to ${to}`, handoffTo: to }, o, "h");
    if (o.chosenBy) this.edges.push({ from: o.chosenBy, to: id, kind: "tool_call", via: null });
    return id;
  }

  handoff(from: string, to: string): void {
    this.edges.push({ from, to, kind: "handoff", via: null });
  }

  step(kind: StepSummary["kind"], name: string, o: StepOptions & { agentName?: string } = {}): string {
    return this.add({ kind, name, agentName: o.agentName ?? null }, o, kind.slice(0, 1));
  }

  /** Steps added inside `fn` start together (parallel tool calls, concurrent agents). */
  parallel<T>(fn: () => T): T {
    const start = this.clock + 10n;
    this.frozen = start;
    try {
      return fn();
    } finally {
      this.frozen = null;
      this.clock = start;
    }
  }

  get stepCount(): number {
    return this.steps.length;
  }

  driftAt(spanId: string, severity: DriftPoint["severity"] = "medium"): void {
    const id = String(this.drift.length + 1);
    this.drift.push({ id, spanId, detector: "loop", severity, score: 1, summary: "", createdAt: "2026-01-01T00:00:00.000Z" });
  }

  detail(): RunDetail {
    const steps = this.steps.map((s) => ({ ...s }));
    stretchContainers(steps);
    const errors = steps.filter((s) => s.status === "error").length;
    return {
      run: {
        id: "0".repeat(32),
        name: "fixture",
        status: "ok",
        agent: null,
        sessionId: null,
        startedAt: "2026-01-01T00:00:00.000Z",
        endedAt: null,
        durationMs: null,
        lastActivityAt: "2026-01-01T00:00:00.000Z",
        stepCount: steps.length,
        llmCallCount: steps.filter((s) => s.kind === "llm").length,
        toolCallCount: steps.filter((s) => s.kind === "tool").length,
        inputTokens: 0,
        outputTokens: 0,
        totalTokens: 0,
        errorCount: errors,
        driftCount: this.drift.length,
      },
      steps,
      edges: [...this.edges],
      driftPoints: [...this.drift],
    };
  }

  private add(p: Partial<StepSummary> & Pick<StepSummary, "kind" | "name">, o: StepOptions, prefix: string): string {
    const spanId = o.id ?? `${prefix}${++this.seq}`;
    const start = this.frozen ?? (this.clock += 10n);
    this.steps.push({
      spanId,
      parentSpanId: o.parent ?? null,
      family: "genai",
      status: o.error ? "error" : "ok",
      statusMessage: o.error ? "failed" : null,
      startNs: start.toString(),
      endNs: (start + 5n).toString(),
      agentName: null,
      provider: null,
      model: null,
      toolName: null,
      toolCallId: null,
      inputTokens: null,
      outputTokens: null,
      handoffTo: null,
      contextSize: 0,
      ...p,
    });
    return spanId;
  }
}

/** Ends every parent at or after its last descendant (children come after parents, so one reverse pass does it). */
function stretchContainers(steps: StepSummary[]): void {
  const index = new Map(steps.map((s, i) => [s.spanId, i]));
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    const p = s.parentSpanId === null ? undefined : index.get(s.parentSpanId);
    if (p === undefined || p >= i) continue;
    const parent = steps[p]!;
    if (BigInt(parent.endNs!) < BigInt(s.endNs!) + 1n) parent.endNs = (BigInt(s.endNs!) + 1n).toString();
  }
}

/**
 * A realistic agent run of about `size` steps for benchmarks: an orchestrator loop
 * (one to three tool calls per decision, varied names), a research sub-agent invoked
 * through a tool every few turns, stretches of the same search repeated (loops), a
 * handoff to a billing agent near the end, and a few errors and drift points.
 * Deterministic (seeded), so figures are comparable between runs.
 */
export function agentShapedRun(size: number, seed = 1): RunDetail {
  let state = seed >>> 0 || 1;
  const rand = () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
  const tools = ["search_web", "read_page", "query_db", "get_weather", "send_email", "calc", "list_files", "write_file"];
  const run = new RunBuilder();
  const root = run.agent("orchestrator");
  let results: string[] = [];
  let turn = 0;
  const budget = () => run.stepCount < size - 8;
  while (budget()) {
    turn++;
    const d = run.decision({ parent: root, consumes: results });
    if (turn % 37 === 0) run.driftAt(d, "high");
    results = [];
    if (turn % 9 === 0) {
      const t = run.tool("delegate_research", { parent: root, chosenBy: d });
      const sub = run.agent("researcher", { parent: t });
      let inner: string[] = [];
      const turns = 2 + Math.floor(rand() * 5);
      for (let k = 0; k < turns && budget(); k++) {
        const sd = run.decision({ parent: sub, model: "gpt-4o-mini", consumes: inner });
        inner = [run.tool(k % 2 ? "read_page" : "search_web", { parent: sub, chosenBy: sd })];
      }
      run.decision({ parent: sub, model: "gpt-4o-mini", consumes: inner });
      results = [t];
      continue;
    }
    const repeating = turn % 23 < 4; // every 23 turns, four identical search iterations
    const calls = repeating ? 1 : 1 + Math.floor(rand() * 3);
    run.parallel(() => {
      for (let c = 0; c < calls; c++) {
        const name = repeating ? "search_web" : tools[Math.floor(rand() * tools.length)]!;
        results.push(run.tool(name, { parent: root, chosenBy: d, error: rand() < 0.02 }));
      }
    });
  }
  const last = run.decision({ parent: root, consumes: results });
  const h = run.handoffStep("billing", { parent: root, chosenBy: last });
  const billing = run.agent("billing", { parent: root });
  run.handoff(h, billing);
  const bd = run.decision({ parent: billing });
  const bt = run.tool("create_invoice", { parent: billing, chosenBy: bd });
  run.decision({ parent: billing, consumes: [bt] });
  return run.detail();
}
