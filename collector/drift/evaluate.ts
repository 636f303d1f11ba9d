import { setImmediate } from "node:timers/promises";
import type { DriftConfig } from "@/lib/drift/config";
import { policyFor, type PolicySet } from "@/lib/drift/policy-schema";
import { detectDrift, type Detector } from "@/lib/drift/registry";
import type { BaselineRun, DriftFinding } from "@/lib/drift/types";
import { formatRunRef, type RunRef } from "@/lib/live/channels";
import type { BaselineCache } from "@/collector/drift/baselines";
import { knownHostsBefore } from "@/collector/drift/egress-hosts";
import { loadRuns, type LoadedRun, type Queryable } from "@/collector/drift/load";
import { saveFindings, type SaveResult } from "@/collector/drift/write";

/** Fixed policies, or a project's policies looked up per evaluation (runtime policies: collector/policy/source.ts). */
export type DriftPolicies = PolicySet | null | ((projectId: string) => Promise<PolicySet["agents"] | null>);

/**
 * Evaluating a run: load its steps (and only the context the enabled detectors read),
 * run the detectors, store the findings. Stateless: the database is
 * the truth, so any collector replica may evaluate any run, any number of times.
 */
export type EvaluatorDeps = {
  db: Queryable;
  config: DriftConfig;
  detectors: readonly Detector[];
  policies: DriftPolicies;
  baselines: BaselineCache;
};

export type Evaluation = {
  run: RunRef;
  serviceName: string | null;
  live: boolean;
  findings: DriftFinding[];
  save: SaveResult;
};

/**
 * Evaluates runs loaded together (collector/drift/load.ts), one after the other. Each result has the run's own
 * time (detectors, baseline, writes) plus its share of the load, by steps, in `ms` (the scheduler spaces a run's
 * evaluations by it); a run whose evaluation failed carries the error, the others go on. Runs that no longer
 * exist are absent.
 */
const YIELD_MS = 4;

export type RunEvaluation = (Evaluation | { run: RunRef; error: unknown }) & { ms: number };

export async function evaluateRuns(deps: EvaluatorDeps, runs: readonly RunRef[]): Promise<RunEvaluation[]> {
  const started = performance.now();
  const loaded = await loadRuns(deps.db, runs);
  const loadMs = performance.now() - started;
  const totalSteps = [...loaded.values()].reduce((n, r) => n + r.steps.length, 0) || 1;
  const out: RunEvaluation[] = [];
  let yielded = performance.now();
  for (const run of runs) {
    const one = loaded.get(formatRunRef(run));
    if (!one) continue;
    // The detectors run on the collector's main thread, beside HTTP and live control: a batch lets other work in
    // every few milliseconds (an evaluation awaiting only cached values never leaves the microtask queue).
    if (performance.now() - yielded > YIELD_MS) {
      await setImmediate();
      yielded = performance.now();
    }
    const t = performance.now();
    const result = await evaluate(deps, run, one).catch((error: unknown) => ({ run, error }));
    out.push({ ...result, ms: performance.now() - t + (loadMs * one.steps.length) / totalSteps });
  }
  return out;
}

async function evaluate(deps: EvaluatorDeps, run: RunRef, { facts, steps }: LoadedRun): Promise<Evaluation> {
  const needs = new Set(deps.detectors.map((d) => d.needs));
  const service = facts.serviceName;

  const wantsBaseline = service !== null && (needs.has("baseline") || needs.has("hosts"));
  const withTools = deps.detectors.some((d) => d.name === "trajectory");
  const baseline: BaselineRun[] = wantsBaseline ? await deps.baselines.get(run.projectId, service, withTools) : [];
  let knownHosts: Set<string> | null = null;
  if (needs.has("hosts") && service !== null) {
    // Hosts are recorded from the first run on; they count as known only once the agent has a history.
    const known = await knownHostsBefore(deps.db, run.projectId, service, run.runId, steps);
    const history = baseline.filter((r) => r.runId !== run.runId).length;
    knownHosts = history >= deps.config.egress.minBaselineRuns ? known : null;
  }

  let policies = typeof deps.policies === "function" ? null : deps.policies;
  if (typeof deps.policies === "function" && needs.has("policy")) {
    const agents = await deps.policies(run.projectId);
    policies = agents ? { agents } : null;
  }

  const findings = detectDrift(
    { runId: run.runId, live: facts.live, steps, policy: policyFor(policies, service), baseline, knownHosts },
    deps.config,
    deps.detectors,
  );
  // Most runs never drift: nothing found and nothing stored means nothing to write.
  const save =
    findings.length === 0 && facts.driftCount === 0 ? { changed: false, raised: [] } : await saveFindings(deps.db, run, findings);
  return { run, serviceName: service, live: facts.live, findings, save };
}
