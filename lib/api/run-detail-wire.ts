import { z } from "zod";
import {
  driftPoint,
  runSummary,
  STEP_KINDS,
  STEP_STATUSES,
  CAUSAL_EDGE_KINDS,
  type RunDetail,
  type StepSummary,
} from "@/lib/api/schemas";

/**
 * The wire shape of GET /api/v1/runs/{runId}: a RunDetail in columns. A run of 100k
 * steps as an array of objects is 47 MB of JSON (keys repeated 100k times) that the
 * server gzips and the browser parses and validates object by object; in columns it
 * is a fraction of that, and validating it means checking arrays, not 100k objects.
 *
 * - Step i is entry i of every `steps` column; edges name steps by that index.
 * - Repetitive text (names, kinds, models, parent ids…) is interned: the column holds an
 *   index into `strings`, -1 for null.
 * - Times are nanoseconds after `baseNs` (the earliest start, ns since the epoch) as
 *   numbers — exact below 2^53 ns (104 days); a time further away travels as a string
 *   of absolute nanoseconds.
 *
 * The server builds it from database rows (RunDetailWireBuilder; encodeRunDetail from a
 * RunDetail) and the client decodes it (decodeRunDetail, the inverse); the response
 * schema `runDetailResponse` validates the columns and decodes in one parse.
 */

/** An array whose entries all pass `ok`, checked in one loop: zod's per-entry schemas cost ~1 µs an entry, 0.5 s a run. */
const column = <T>(ok: (v: unknown) => boolean, what: string) =>
  z.custom<T[]>((v) => Array.isArray(v) && v.every(ok), { message: `expected an array of ${what}` });
const NS = /^-?\d+$/;
const isIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= -1;
const isTime = (v: unknown) => Number.isInteger(v) || (typeof v === "string" && NS.test(v));
const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const orNull = (ok: (v: unknown) => boolean) => (v: unknown) => v === null || ok(v);
const isString = (v: unknown) => typeof v === "string";
const interned = column<number>(isIndex, "string indexes (-1 for null)");

export const runDetailWire = z.object({
  run: runSummary,
  strings: z.array(z.string()),
  baseNs: z.string().regex(NS),
  steps: z.object({
    spanId: column<string>(isString, "strings"),
    parentSpanId: interned,
    kind: interned,
    name: interned,
    family: interned,
    status: interned,
    statusMessage: interned,
    startNs: column<number | string>(isTime, "times"),
    endNs: column<number | string | null>(orNull(isTime), "times or nulls"),
    agentName: interned,
    provider: interned,
    model: interned,
    toolName: interned,
    toolCallId: column<string | null>(orNull(isString), "strings or nulls"),
    inputTokens: column<number | null>(orNull(isNumber), "numbers or nulls"),
    outputTokens: column<number | null>(orNull(isNumber), "numbers or nulls"),
    handoffTo: interned,
    contextSize: column<number>(isNumber, "numbers"),
  }),
  edges: z.object({
    from: column<number>(isIndex, "step indexes"),
    to: column<number>(isIndex, "step indexes"),
    kind: interned,
    via: column<string | null>(orNull(isString), "strings or nulls"),
  }),
  driftPoints: z.array(driftPoint),
});
export type RunDetailWire = z.infer<typeof runDetailWire>;

/** Validates the columns (types, equal lengths, indexes in range, enum values) and decodes them. */
export const runDetailResponse = runDetailWire.superRefine(checkColumns).transform(decodeRunDetail);

const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);
/** Times split into a head and their last 15 digits: both halves of an offset stay safe integers. */
const TAIL_DIGITS = 15;

export function encodeRunDetail(detail: RunDetail): RunDetailWire {
  let baseNs = detail.steps[0]?.startNs ?? "0";
  for (const s of detail.steps) if (nsLess(s.startNs, baseNs)) baseNs = s.startNs;
  const wire = new RunDetailWireBuilder(baseNs);
  for (const s of detail.steps) wire.addStep(s);
  for (const e of detail.edges) wire.addEdge(e);
  return wire.finish(detail.run, detail.driftPoints);
}

/**
 * Builds the wire columns one step at a time, so the server goes from database rows to
 * columns in one pass (lib/server/repositories/run-detail.ts). `baseNs` must not be after
 * any step's start. Edges naming a step that was not added are left out.
 */
export class RunDetailWireBuilder {
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly position = new Map<string, number>();
  private readonly edges: RunDetailWire["edges"] = { from: [], to: [], kind: [], via: [] };
  private readonly offset: (ns: string) => number | string;
  private readonly intern = (s: string | null): number => {
    if (s === null) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.index.set(s, i);
    }
    return i;
  };
  private readonly parentSpanId = new InternedColumn(this.intern);
  private readonly kind = new InternedColumn(this.intern);
  private readonly name = new InternedColumn(this.intern);
  private readonly family = new InternedColumn(this.intern);
  private readonly status = new InternedColumn(this.intern);
  private readonly statusMessage = new InternedColumn(this.intern);
  private readonly agentName = new InternedColumn(this.intern);
  private readonly provider = new InternedColumn(this.intern);
  private readonly model = new InternedColumn(this.intern);
  private readonly toolName = new InternedColumn(this.intern);
  private readonly handoffTo = new InternedColumn(this.intern);
  private readonly plain: Pick<
    RunDetailWire["steps"],
    "spanId" | "startNs" | "endNs" | "toolCallId" | "inputTokens" | "outputTokens" | "contextSize"
  > = { spanId: [], startNs: [], endNs: [], toolCallId: [], inputTokens: [], outputTokens: [], contextSize: [] };

  constructor(private readonly baseNs: string) {
    this.offset = relativeTime(baseNs);
  }

  addStep(s: StepSummary): void {
    const c = this.plain;
    this.position.set(s.spanId, c.spanId.length);
    c.spanId.push(s.spanId);
    this.parentSpanId.push(s.parentSpanId);
    this.kind.push(s.kind);
    this.name.push(s.name);
    this.family.push(s.family);
    this.status.push(s.status);
    this.statusMessage.push(s.statusMessage);
    c.startNs.push(this.offset(s.startNs));
    c.endNs.push(s.endNs === null ? null : this.offset(s.endNs));
    this.agentName.push(s.agentName);
    this.provider.push(s.provider);
    this.model.push(s.model);
    this.toolName.push(s.toolName);
    c.toolCallId.push(s.toolCallId);
    c.inputTokens.push(s.inputTokens);
    c.outputTokens.push(s.outputTokens);
    this.handoffTo.push(s.handoffTo);
    c.contextSize.push(s.contextSize);
  }

  addEdge(e: RunDetail["edges"][number]): void {
    const from = this.position.get(e.from);
    const to = this.position.get(e.to);
    if (from === undefined || to === undefined) return;
    this.edges.from.push(from);
    this.edges.to.push(to);
    this.edges.kind.push(this.intern(e.kind));
    this.edges.via.push(e.via);
  }

  finish(run: RunDetail["run"], driftPoints: RunDetail["driftPoints"]): RunDetailWire {
    const steps = {
      ...this.plain,
      parentSpanId: this.parentSpanId.values,
      kind: this.kind.values,
      name: this.name.values,
      family: this.family.values,
      status: this.status.values,
      statusMessage: this.statusMessage.values,
      agentName: this.agentName.values,
      provider: this.provider.values,
      model: this.model.values,
      toolName: this.toolName.values,
      handoffTo: this.handoffTo.values,
    };
    return { run, strings: this.strings, baseNs: this.baseNs, steps, edges: this.edges, driftPoints };
  }
}

/** Neighbouring steps often repeat a value (same parent, model, family): the last one skips the map lookup. */
class InternedColumn {
  readonly values: number[] = [];
  private last: string | null = null;
  private lastIndex = -1;

  constructor(private readonly intern: (s: string | null) => number) {}

  push(value: string | null): void {
    if (value !== this.last) {
      this.last = value;
      this.lastIndex = this.intern(value);
    }
    this.values.push(this.lastIndex);
  }
}

/** The RunDetail a wire value stands for; expects a value that passed `checkColumns`. */
export function decodeRunDetail(wire: RunDetailWire): RunDetail {
  const { strings: str, steps: c, edges: e } = wire;
  const text = (i: number) => (i < 0 ? null : str[i]!);
  const time = absoluteTime(wire.baseNs);
  const steps: StepSummary[] = new Array(c.spanId.length);
  for (let i = 0; i < steps.length; i++) {
    const end = c.endNs[i]!;
    steps[i] = {
      spanId: c.spanId[i]!,
      parentSpanId: text(c.parentSpanId[i]!),
      kind: str[c.kind[i]!] as StepSummary["kind"],
      name: str[c.name[i]!]!,
      family: str[c.family[i]!]!,
      status: str[c.status[i]!] as StepSummary["status"],
      statusMessage: text(c.statusMessage[i]!),
      startNs: time(c.startNs[i]!),
      endNs: end === null ? null : time(end),
      agentName: text(c.agentName[i]!),
      provider: text(c.provider[i]!),
      model: text(c.model[i]!),
      toolName: text(c.toolName[i]!),
      toolCallId: c.toolCallId[i]!,
      inputTokens: c.inputTokens[i]!,
      outputTokens: c.outputTokens[i]!,
      handoffTo: text(c.handoffTo[i]!),
      contextSize: c.contextSize[i]!,
    };
  }
  const edges: RunDetail["edges"] = new Array(e.from.length);
  for (let i = 0; i < edges.length; i++)
    edges[i] = {
      from: c.spanId[e.from[i]!]!,
      to: c.spanId[e.to[i]!]!,
      kind: str[e.kind[i]!] as RunDetail["edges"][number]["kind"],
      via: e.via[i]!,
    };
  return { run: wire.run, steps, edges, driftPoints: wire.driftPoints };
}

/** Nanosecond strings in numeric order without BigInts: canonical non-negative decimals compare by length, then text. */
function nsLess(a: string, b: string): boolean {
  if (a.startsWith("-") || b.startsWith("-")) return BigInt(a) < BigInt(b);
  return a.length !== b.length ? a.length < b.length : a < b;
}

/** Absolute nanosecond strings to offsets from the base (see absoluteTime for the split). */
function relativeTime(baseNs: string): (ns: string) => number | string {
  const slow = (ns: string) => {
    const d = BigInt(ns) - BigInt(baseNs);
    return d <= MAX_OFFSET && d >= -MAX_OFFSET ? Number(d) : ns;
  };
  if (baseNs.startsWith("-") || baseNs.length <= TAIL_DIGITS) return slow;
  const head = baseNs.slice(0, -TAIL_DIGITS);
  const tail = Number(baseNs.slice(-TAIL_DIGITS));
  return (ns) => (ns.length === baseNs.length && ns.startsWith(head) ? Number(ns.slice(-TAIL_DIGITS)) - tail : slow(ns));
}

/**
 * Offsets back to absolute nanosecond strings. The base is split into a head and the
 * last 15 digits so the common case adds two safe numbers instead of building BigInts
 * (200k of them for a 100k-step run).
 */
function absoluteTime(baseNs: string): (t: number | string) => string {
  const base = BigInt(baseNs);
  const TAIL = 10 ** TAIL_DIGITS;
  if (base < 0n) return (t) => (typeof t === "string" ? t : (base + BigInt(t)).toString());
  const head = base / BigInt(TAIL);
  const tail = Number(base % BigInt(TAIL));
  const prefix = head === 0n ? "" : head.toString();
  return (t) => {
    if (typeof t === "string") return t;
    const low = tail + t;
    if (low < 0 || low >= TAIL || !Number.isSafeInteger(low)) return (base + BigInt(t)).toString();
    return prefix === "" ? String(low) : prefix + String(low).padStart(TAIL_DIGITS, "0");
  };
}

function checkColumns(w: RunDetailWire, ctx: z.RefinementCtx): void {
  const problem = (message: string) => ctx.addIssue({ code: "custom", message });
  const n = w.steps.spanId.length;
  for (const [name, col] of Object.entries(w.steps))
    if (col.length !== n) problem(`steps.${name} has ${col.length} entries, steps.spanId ${n}`);
  const m = w.edges.from.length;
  for (const [name, col] of Object.entries(w.edges))
    if (col.length !== m) problem(`edges.${name} has ${col.length} entries, edges.from ${m}`);
  const strings = w.strings.length;
  const inRange = (col: number[], name: string, nullable: boolean) => {
    for (const i of col) if (i >= strings || (i < 0 && !nullable)) return problem(`${name} holds an index outside strings`);
  };
  const oneOf = (col: number[], name: string, allowed: readonly string[]) => {
    inRange(col, name, false);
    const ok = new Set(allowed);
    for (const i of new Set(col))
      if (i >= 0 && i < strings && !ok.has(w.strings[i]!))
        return problem(`${name}: "${w.strings[i]}" is not one of ${allowed.join(", ")}`);
  };
  const s = w.steps;
  oneOf(s.kind, "steps.kind", STEP_KINDS);
  oneOf(s.status, "steps.status", STEP_STATUSES);
  oneOf(w.edges.kind, "edges.kind", CAUSAL_EDGE_KINDS);
  for (const name of ["name", "family"] as const) inRange(s[name], `steps.${name}`, false);
  for (const name of ["parentSpanId", "statusMessage", "agentName", "provider", "model", "toolName", "handoffTo"] as const)
    inRange(s[name], `steps.${name}`, true);
  for (const col of [w.edges.from, w.edges.to])
    for (const i of col) if (i < 0 || i >= n) return problem("an edge names a step index outside steps");
}
