import type { AgentPolicy } from "@/lib/drift/policy-schema";
import type { BaselineRun, DriftStep } from "@/lib/drift/types";

/** Everything the detectors may read about one run: its steps and the agent's context. */
export type DriftInput = {
  runId: string;
  /** Live runs are prefixes: baseline comparisons use the matching part of each baseline run. */
  live: boolean;
  steps: DriftStep[];
  policy?: AgentPolicy | null;
  /** The agent's recent successful runs, newest first (the detectors skip this run itself). */
  baseline?: BaselineRun[];
  /**
   * Hosts this agent contacted in other runs before this one. Null while the agent
   * has too little history for a host to count as new.
   */
  knownHosts?: ReadonlySet<string> | null;
};
