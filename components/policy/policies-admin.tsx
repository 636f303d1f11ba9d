"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/lib/api/client";
import { policyResult, putPolicyResult, type PolicyList } from "@/lib/api/policy-schemas";
import { queries } from "@/lib/api/queries";
import { FALLBACK_AGENT, type RuntimePolicyInput } from "@/lib/policy/schema";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorText } from "@/components/ui/field";
import { PolicyEditor } from "@/components/policy/policy-editor";
import { PolicySummary } from "@/components/policy/policy-card";

type Props = { project: string; initial: PolicyList; canEdit: boolean };

/**
 * The policy page: every policy of the project, editable by operators and admins
 * (viewers read). Policies from CAUSEWAY_POLICY_FILE are shown but not editable here.
 */
export function PoliciesAdmin({ project, initial, canEdit }: Props) {
  const client = useQueryClient();
  const { data } = useQuery({ ...queries.policies(project), initialData: initial });
  const [editing, setEditing] = useState<string | null>(null); // an agent, "" for a new policy
  const qs = `?project=${encodeURIComponent(project)}`;
  const path = (agent: string) => `/api/v1/policies/${encodeURIComponent(agent)}${qs}`;
  const refresh = () => client.invalidateQueries({ queryKey: queries.policies(project).queryKey });

  const save = useMutation({
    mutationFn: ({ agent, policy }: { agent: string; policy: RuntimePolicyInput }) => {
      if (!agent) throw new Error("agent: name the agent (its service.name), or * for every agent without a policy.");
      return api(putPolicyResult, path(agent), { method: "PUT", body: JSON.stringify(policy) });
    },
    onSuccess: () => {
      setEditing(null);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (agent: string) => api(policyResult, path(agent), { method: "DELETE" }),
    onSuccess: refresh,
  });
  const edit = (agent: string | null) => {
    save.reset();
    setEditing(agent);
  };
  const uncovered = data.agents.filter((a) => !data.policies.some((p) => p.agent === a));

  return (
    <div className="space-y-4">
      {!canEdit && (
        <p className="rounded-md border border-zinc-200 px-3 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          You can read policies; operators and admins can change them.
        </p>
      )}
      <ErrorText>{remove.error?.message}</ErrorText>
      {canEdit && editing !== "" && (
        <div>
          <Button onClick={() => edit("")}>New policy</Button>
        </div>
      )}
      {editing === "" && (
        <Card title="New policy">
          <PolicyEditor
            agent={null}
            initial={null}
            knownAgents={uncovered}
            pending={save.isPending}
            error={save.error?.message}
            onSave={(agent, policy) => save.mutate({ agent, policy })}
            onCancel={() => edit(null)}
          />
        </Card>
      )}
      {data.policies.length === 0 && editing !== "" && (
        <Card>
          <p className="px-4 py-8 text-center text-sm text-zinc-500">
            No policies yet: drift is recorded on every run, and nothing is paused or killed.
          </p>
        </Card>
      )}
      {data.policies.map((view) => (
        <Card
          key={view.agent}
          title={
            <span className="flex items-center gap-2">
              <span className="font-mono">{view.agent}</span>
              {view.agent === FALLBACK_AGENT && (
                <span className="text-xs font-normal text-zinc-500">agents without their own policy</span>
              )}
              {view.source === "file" && <Badge tone="live">from file</Badge>}
            </span>
          }
          actions={
            canEdit &&
            editing !== view.agent &&
            (view.source === "file" ? (
              <span className="text-xs text-zinc-500">Edit CAUSEWAY_POLICY_FILE and restart the collector to change it</span>
            ) : (
              <div className="flex gap-1">
                <Button variant="secondary" onClick={() => edit(view.agent)}>
                  Edit
                </Button>
                <Button
                  variant="ghost"
                  className="text-red-600 dark:text-red-400"
                  disabled={remove.isPending}
                  onClick={() => confirm(`Delete the policy of "${view.agent}"?`) && remove.mutate(view.agent)}
                >
                  Delete
                </Button>
              </div>
            ))
          }
        >
          {editing === view.agent ? (
            <PolicyEditor
              agent={view.agent}
              initial={view.policy}
              knownAgents={uncovered}
              pending={save.isPending}
              error={save.error?.message}
              onSave={(agent, policy) => save.mutate({ agent, policy })}
              onCancel={() => edit(null)}
            />
          ) : (
            <PolicySummary view={view} />
          )}
        </Card>
      ))}
    </div>
  );
}
