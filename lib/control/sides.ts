import type { ControlDesired, ControlSide } from "@/lib/control/state";

/** A run's own control row and its agent's, as the queries over run_controls and agent_controls select them. */
export type ControlSidesRow = {
  run_desired: ControlDesired | null;
  run_version: number | null;
  run_reason: string | null;
  run_actor: string | null;
  agent_id: string | null;
  agent_desired: ControlDesired | null;
  agent_version: number | null;
  agent_reason: string | null;
  agent_actor: string | null;
};

/** The two sides of those rows (null where a row does not exist), for effectiveControl. */
export function controlSides(r: ControlSidesRow): { run: ControlSide | null; agent: ControlSide | null } {
  return {
    run: side(r.run_desired, r.run_version, r.run_reason, r.run_actor),
    agent: side(r.agent_desired, r.agent_version, r.agent_reason, r.agent_actor),
  };
}

const side = (desired: ControlDesired | null, version: number | null, reason: string | null, actor: string | null) =>
  desired === null ? null : { desired, version: version ?? 0, reason: reason ?? "", actorLabel: actor ?? "" };
