/**
 * The causal facts of one step, read from its own (already cleaned) messages so they
 * do not depend on the order spans arrive in: which tool calls its output decided on,
 * and which tool results its context held. Stored as columns (call_ids, call_names,
 * tool_result_ids) so the run view builds causal edges without reading messages.
 * The backfill in prisma/migrations/20261121070000_step_facts applies the same rules
 * to stored messages: only assistant and tool messages count.
 */
export type StoredMessage = {
  role: string;
  toolCalls?: { id: string | null; name: string }[];
  toolCallId?: string;
};

export type StepFacts = {
  /** Ids of the decided calls, "" when the producer sent none; parallel to callNames. */
  callIds: string[];
  callNames: string[];
  toolResultIds: string[];
};

const COUNTED_ROLES = new Set(["assistant", "tool"]);

export function stepFacts(context: StoredMessage[], output: StoredMessage[]): StepFacts {
  const facts: StepFacts = { callIds: [], callNames: [], toolResultIds: [] };
  for (const m of output) {
    if (!COUNTED_ROLES.has(m.role)) continue;
    for (const c of m.toolCalls ?? []) {
      facts.callIds.push(c.id ?? "");
      facts.callNames.push(c.name);
    }
  }
  for (const m of context) if (COUNTED_ROLES.has(m.role) && m.toolCallId) facts.toolResultIds.push(m.toolCallId);
  return facts;
}
