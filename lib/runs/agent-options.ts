import type { AgentSummary } from "@/lib/api/schemas";

export type AgentOption = { id: string; label: string };

/**
 * The agent filter's choices: an agent's service name, and its instance when several
 * running processes share that name (so two "support-bot"s can be told apart). The list
 * keeps the API's order (by name, most recently seen instance first).
 */
export function agentOptions(agents: readonly AgentSummary[]): AgentOption[] {
  const perName = new Map<string, number>();
  for (const a of agents) perName.set(a.serviceName, (perName.get(a.serviceName) ?? 0) + 1);
  return agents.map((a) => ({
    id: a.id,
    label: (perName.get(a.serviceName) ?? 0) > 1 ? `${a.serviceName} · ${a.instanceId || "no instance id"}` : a.serviceName,
  }));
}
