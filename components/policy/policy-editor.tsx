"use client";

import { useState, type ReactNode } from "react";
import { SEVERITIES, type Severity } from "@/lib/drift/types";
import { BUDGET_KEYS, fromForm, toForm, type BudgetKey, type PolicyForm } from "@/lib/policy/form";
import { FALLBACK_AGENT, runtimePolicy, describeIssues, type RuntimePolicy, type RuntimePolicyInput } from "@/lib/policy/schema";
import { Button } from "@/components/ui/button";
import { ErrorText, Field, Input, Select } from "@/components/ui/field";
import { ActionRules } from "@/components/policy/action-rules";

const textarea =
  "w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs text-zinc-900 placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

const BUDGET_LABEL: Record<BudgetKey, string> = {
  maxSteps: "Max steps",
  maxTokens: "Max tokens",
  maxToolCalls: "Max tool calls",
  maxLlmCalls: "Max model calls",
};

export type PolicyEditorProps = {
  /** null: a new policy, whose agent is typed in. */
  agent: string | null;
  initial: RuntimePolicy | null;
  /** service.names to suggest for a new policy. */
  knownAgents: readonly string[];
  pending: boolean;
  error: string | undefined;
  onSave: (agent: string, policy: RuntimePolicyInput) => void;
  onCancel: () => void;
};

/**
 * Edits one policy as a form, or as JSON (the policy file's format, for anything the
 * form does not show). The API validates what is saved; its message names the field.
 */
export function PolicyEditor({ agent, initial, knownAgents, pending, error, onSave, onCancel }: PolicyEditorProps) {
  const [name, setName] = useState(agent ?? "");
  const [form, setForm] = useState<PolicyForm>(() => toForm(initial));
  const [json, setJson] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string>();
  const set = (patch: Partial<PolicyForm>) => setForm((f) => ({ ...f, ...patch }));

  const toJson = () => {
    setJson(JSON.stringify(fromForm(form), null, 2));
    setJsonError(undefined);
  };
  const readJson = (): RuntimePolicyInput | null => {
    try {
      return JSON.parse(json ?? "{}") as RuntimePolicyInput;
    } catch (e) {
      setJsonError(`JSON: ${(e as Error).message}`);
      return null;
    }
  };
  const toFormMode = () => {
    const value = readJson();
    if (value === null) return;
    const parsed = runtimePolicy.safeParse(value);
    if (!parsed.success) return setJsonError(describeIssues(parsed.error));
    setForm(toForm(parsed.data));
    setJson(null);
  };
  const save = () => {
    const policy = json === null ? fromForm(form) : readJson();
    if (policy !== null) onSave(name.trim(), policy);
  };

  return (
    <form
      className="space-y-5 p-4"
      aria-label={agent === null ? "New policy" : `Policy of ${agent}`}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="flex flex-wrap items-end gap-4">
        {agent === null && (
          <div className="w-72">
            <Field label="Agent (service.name)" hint={`${FALLBACK_AGENT} applies to agents without a policy of their own.`}>
              <Input
                name="agent"
                list="policy-agents"
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="support-bot"
                required
              />
            </Field>
            <datalist id="policy-agents">
              {[FALLBACK_AGENT, ...knownAgents].map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </div>
        )}
        <div
          className="ml-auto flex gap-1 rounded-md bg-zinc-100 p-0.5 text-xs dark:bg-zinc-800"
          role="group"
          aria-label="Edit as"
        >
          <ModeButton active={json === null} onClick={() => json !== null && toFormMode()}>
            Form
          </ModeButton>
          <ModeButton active={json !== null} onClick={() => json === null && toJson()}>
            JSON
          </ModeButton>
        </div>
      </div>

      {json !== null ? (
        <Field label="Policy (JSON, as in CAUSEWAY_POLICY_FILE)">
          <textarea
            aria-label="Policy JSON"
            className={`${textarea} h-80`}
            value={json}
            onChange={(e) => setJson(e.target.value)}
            spellCheck={false}
          />
        </Field>
      ) : (
        <>
          <Section title="When a detector fires on a live run">
            <ActionRules rules={form.actions} onChange={(actions) => set({ actions })} />
          </Section>
          <Section
            title="What the agent may do"
            hint="Checked by the policy detector. One name per line; * matches any characters."
          >
            <div className="grid gap-4 md:grid-cols-3">
              <ListField
                label="Allowed tools"
                hint="Empty: any tool."
                value={form.allowTools}
                onChange={(allowTools) => set({ allowTools })}
              />
              <ListField label="Denied tools" value={form.denyTools} onChange={(denyTools) => set({ denyTools })} />
              <ListField
                label="Allowed hosts"
                hint="Empty: any host."
                value={form.allowHosts}
                onChange={(allowHosts) => set({ allowHosts })}
              />
            </div>
            <ListField
              label="Forbidden sequences"
              hint="One per line, in order (not necessarily adjacent): exfiltration: read_private_* > send_email [critical]"
              value={form.forbiddenSequences}
              onChange={(forbiddenSequences) => set({ forbiddenSequences })}
            />
            <div className="grid gap-4 sm:grid-cols-2 md:grid-cols-5">
              {BUDGET_KEYS.map((k) => (
                <Field key={k} label={BUDGET_LABEL[k]}>
                  <Input
                    inputMode="numeric"
                    value={form.budgets[k]}
                    placeholder="no limit"
                    onChange={(e) => set({ budgets: { ...form.budgets, [k]: e.target.value } })}
                  />
                </Field>
              ))}
              <Field label="Severity of violations">
                <Select value={form.severity} onChange={(e) => set({ severity: e.target.value as Severity })}>
                  {SEVERITIES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
          </Section>
        </>
      )}

      <ErrorText>{jsonError ?? error}</ErrorText>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save policy"}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3">
      <legend className="text-xs font-semibold tracking-wide text-zinc-700 uppercase dark:text-zinc-300">{title}</legend>
      {hint && <p className="-mt-1 text-xs text-zinc-500">{hint}</p>}
      {children}
    </fieldset>
  );
}

function ListField({
  label,
  hint,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <Field label={label} hint={hint}>
      <textarea className={`${textarea} h-24`} value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
    </Field>
  );
}

function ModeButton({ active, onClick, children }: { active: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={active}
      onClick={onClick}
      className={`rounded px-2.5 py-1 font-medium ${active ? "bg-white shadow-sm dark:bg-zinc-950" : "text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"}`}
    >
      {children}
    </button>
  );
}
