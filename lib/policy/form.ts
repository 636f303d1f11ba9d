import { SEVERITIES, type Severity } from "@/lib/drift/types";
import type { PolicyRule, RuntimePolicy, RuntimePolicyInput } from "@/lib/policy/schema";

/**
 * The policy page's form, as text fields, and the conversions both ways. Lists are one
 * name per line (commas work too); a forbidden sequence is one line of tool names joined
 * by `>`, optionally named (`exfiltration: read_private_* > send_email`) and with a
 * severity other than critical in brackets (`… [high]`). Values are passed on as typed:
 * the API validates them and names the field of any problem.
 */
export type PolicyForm = {
  allowTools: string;
  denyTools: string;
  allowHosts: string;
  forbiddenSequences: string;
  budgets: Record<BudgetKey, string>;
  severity: Severity;
  actions: { detector: PolicyRule["detector"]; minSeverity: Severity; action: PolicyRule["action"] }[];
};

export const BUDGET_KEYS = ["maxSteps", "maxTokens", "maxToolCalls", "maxLlmCalls"] as const;
export type BudgetKey = (typeof BUDGET_KEYS)[number];

export function toForm(policy: RuntimePolicy | null): PolicyForm {
  return {
    allowTools: (policy?.allowTools ?? []).join("\n"),
    denyTools: (policy?.denyTools ?? []).join("\n"),
    allowHosts: (policy?.allowHosts ?? []).join("\n"),
    forbiddenSequences: (policy?.forbiddenSequences ?? []).map(formatSequence).join("\n"),
    budgets: Object.fromEntries(BUDGET_KEYS.map((k) => [k, policy?.budgets?.[k]?.toString() ?? ""])) as Record<BudgetKey, string>,
    severity: policy?.severity ?? "high",
    actions: (policy?.actions ?? []).map((a) => ({ ...a })),
  };
}

export function fromForm(form: PolicyForm): RuntimePolicyInput {
  const policy: RuntimePolicyInput = { severity: form.severity, actions: form.actions };
  const allowTools = parseList(form.allowTools);
  const denyTools = parseList(form.denyTools);
  const allowHosts = parseList(form.allowHosts);
  const sequences = form.forbiddenSequences
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map(parseSequence);
  if (allowTools.length) policy.allowTools = allowTools;
  if (denyTools.length) policy.denyTools = denyTools;
  if (allowHosts.length) policy.allowHosts = allowHosts;
  if (sequences.length) policy.forbiddenSequences = sequences;
  // Numbers as typed ("100_000", "100,000" too); anything else is sent as is, so the API's error says what it got.
  const budgets = Object.fromEntries(
    BUDGET_KEYS.filter((k) => form.budgets[k].trim() !== "").map((k) => {
      const typed = form.budgets[k].trim();
      const n = Number(typed.replace(/[_,\s]/g, ""));
      return [k, Number.isFinite(n) ? n : typed];
    }),
  ) as NonNullable<RuntimePolicyInput["budgets"]>;
  if (Object.keys(budgets).length) policy.budgets = budgets;
  return policy;
}

export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

type Sequence = NonNullable<RuntimePolicy["forbiddenSequences"]>[number];

export function formatSequence(s: Sequence): string {
  return `${s.name ? `${s.name}: ` : ""}${s.steps.join(" > ")}${s.severity !== "critical" ? ` [${s.severity}]` : ""}`;
}

export function parseSequence(line: string): { steps: string[]; name?: string; severity?: Severity } {
  let rest = line.trim();
  let severity: Severity | undefined;
  const bracket = /\s*\[([a-z]+)\]$/i.exec(rest);
  if (bracket && (SEVERITIES as readonly string[]).includes(bracket[1]!.toLowerCase())) {
    severity = bracket[1]!.toLowerCase() as Severity;
    rest = rest.slice(0, bracket.index);
  }
  let name: string | undefined;
  const colon = /^([^>:]+):\s*/.exec(rest);
  if (colon) {
    name = colon[1]!.trim();
    rest = rest.slice(colon[0].length);
  }
  const steps = rest
    .split(/\s*(?:>|→)\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { steps, ...(name ? { name } : {}), ...(severity ? { severity } : {}) };
}
