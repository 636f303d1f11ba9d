import type { DriftConfig } from "@/lib/drift/config";
import { policyFor, type PolicySet } from "@/lib/drift/policy-schema";
import { detectDrift, type Detector } from "@/lib/drift/registry";
import type { BaselineRun, DriftFinding } from "@/lib/drift/types";
import type { RunRef } from "@/lib/live/channels";
import type { BaselineCache } from "@/collector/drift/baselines";
import { knownHostsBefore } from "@/collector/drift/egress-hosts";
import { loadRun, loadSteps, type Queryable } from "@/collector/drift/load";
import { saveFindings, type SaveResult } from "@/collector/drift/write";

/** Fixed policies, or a project's policies looked up per evaluation (runtime policies: collector/policy/source.ts). */
export type DriftPolicies = PolicySet | null | ((projectId: string) => Promise<PolicySet["agents"] | null>);

/**
 * One evaluation of one run: load its steps (and only the context the enabled
 * detectors read), run the detectors, store the findings. Stateless: the database is
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

export async function evaluateRun(deps: EvaluatorDeps, run: RunRef): Promise<Evaluation | null> {
  const facts = await loadRun(deps.db, run);
  if (!facts) return null;
  const steps = await loadSteps(deps.db, run);
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
