"use client";

import { SEVERITIES } from "@/lib/drift/types";
import type { PolicyForm } from "@/lib/policy/form";
import { POLICY_ACTIONS } from "@/lib/policy/schema";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { ACTION_LABEL, DETECTOR_OPTIONS } from "@/components/policy/labels";

type Rule = PolicyForm["actions"][number];

/** The "when a detector fires" rules: one row per rule, added and removed in place. */
export function ActionRules({ rules, onChange }: { rules: Rule[]; onChange: (rules: Rule[]) => void }) {
  const set = (i: number, patch: Partial<Rule>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="space-y-2">
      {rules.length === 0 && (
        <p className="text-xs text-zinc-500">No rules: drift on this agent&apos;s runs is recorded, nothing is stopped.</p>
      )}
      {rules.map((rule, i) => (
        <div
          key={i}
          className="grid grid-cols-[auto_1fr_auto_1fr_auto_1fr_auto] items-center gap-2 text-xs"
          role="group"
          aria-label={`Rule ${i + 1}`}
        >
          <span className="text-zinc-500">When</span>
          <Select
            aria-label="Detector"
            value={rule.detector}
            onChange={(e) => set(i, { detector: e.target.value as Rule["detector"] })}
          >
            {DETECTOR_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
          <span className="text-zinc-500">fires at ≥</span>
          <Select
            aria-label="Minimum severity"
            value={rule.minSeverity}
            onChange={(e) => set(i, { minSeverity: e.target.value as Rule["minSeverity"] })}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
          <span className="text-zinc-500">then</span>
          <Select aria-label="Action" value={rule.action} onChange={(e) => set(i, { action: e.target.value as Rule["action"] })}>
            {POLICY_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABEL[a]}
              </option>
            ))}
          </Select>
          <Button
            type="button"
            variant="ghost"
            aria-label={`Remove rule ${i + 1}`}
            onClick={() => onChange(rules.filter((_, j) => j !== i))}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button
        type="button"
        variant="secondary"
        onClick={() => onChange([...rules, { detector: "loop", minSeverity: "high", action: "pause" }])}
      >
        Add rule
      </Button>
    </div>
  );
}
