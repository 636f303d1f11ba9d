"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { api } from "@/lib/api/client";
import { queries } from "@/lib/api/queries";
import { apiKeyView } from "@/lib/api/schemas";
import { SCOPES, type Scope } from "@/lib/auth/access";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorText, Field, Input } from "@/components/ui/field";
import { onSubmitForm } from "@/components/ui/form";
import { Table, Td, Th } from "@/components/ui/table";

type ApiKey = z.infer<typeof apiKeyView>;

export function ApiKeysAdmin({
  project,
  initialKeys,
  collectorUrl,
}: {
  project: string;
  initialKeys: ApiKey[];
  collectorUrl: string;
}) {
  const client = useQueryClient();
  const { data } = useQuery({ ...queries.apiKeys(project), initialData: { apiKeys: initialKeys } });
  const refresh = () => client.invalidateQueries({ queryKey: queries.apiKeys(project).queryKey });
  const [created, setCreated] = useState<{ key: string; scopes: Scope[] } | null>(null);
  const qs = `?project=${encodeURIComponent(project)}`;

  const create = useMutation({
    mutationFn: (body: { name: string; scopes: Scope[] }) =>
      api(z.object({ key: z.string(), apiKey: apiKeyView }), `/api/v1/api-keys${qs}`, {
        method: "POST",
        body: JSON.stringify(body),
      }),
    onSuccess: (res) => {
      setCreated({ key: res.key, scopes: res.apiKey.scopes });
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(z.object({ apiKey: apiKeyView }), `/api/v1/api-keys/${id}${qs}`, { method: "DELETE" }),
    onSuccess: refresh,
  });

  return (
    <div className="space-y-6">
      {created && (
        <section
          role="status"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/40"
        >
          <h2 className="font-semibold">Copy your new key now: it will not be shown again.</h2>
          <code
            data-testid="new-api-key"
            className="mt-2 block rounded bg-white px-3 py-2 font-mono text-xs break-all dark:bg-zinc-900"
          >
            {created.key}
          </code>
          {created.scopes.includes("ingest") && (
            <pre className="mt-3 overflow-x-auto rounded bg-zinc-900 px-3 py-2 font-mono text-xs text-zinc-100">
              {`OTEL_EXPORTER_OTLP_ENDPOINT=${collectorUrl}\nOTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer ${created.key}`}
            </pre>
          )}
          <Button variant="secondary" className="mt-3" onClick={() => setCreated(null)}>
            Done
          </Button>
        </section>
      )}

      <Card title="Keys">
        <ErrorText>{revoke.error?.message}</ErrorText>
        {data.apiKeys.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-zinc-500">No keys yet.</p>
        ) : (
          <Table label="API keys">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Scopes</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th />
              </tr>
            </thead>
            <tbody>
              {data.apiKeys.map((k) => (
                <tr key={k.id} className={k.revokedAt ? "opacity-50" : ""}>
                  <Td className="font-medium">{k.name}</Td>
                  <Td className="font-mono text-xs">{k.prefix}…</Td>
                  <Td className="space-x-1">
                    {k.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </Td>
                  <Td className="text-zinc-500">
                    {new Date(k.createdAt).toLocaleDateString()} {k.createdBy && `by ${k.createdBy}`}
                  </Td>
                  <Td className="text-zinc-500">{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</Td>
                  <Td className="text-right">
                    {k.revokedAt ? (
                      <Badge tone="error">revoked</Badge>
                    ) : (
                      <Button
                        variant="ghost"
                        className="text-red-600 dark:text-red-400"
                        onClick={() => confirm(`Revoke "${k.name}"? Clients using it will be refused.`) && revoke.mutate(k.id)}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      <Card title="Create a key">
        <form
          className="flex flex-wrap items-end gap-4 p-4"
          onSubmit={onSubmitForm((f) =>
            create.mutate({ name: String(f.get("name")), scopes: SCOPES.filter((s) => f.get(`scope-${s}`)) }),
          )}
        >
          <div className="w-64">
            <Field label="Name">
              <Input name="name" placeholder="support-bot production" required />
            </Field>
          </div>
          <fieldset className="flex gap-4 pb-2">
            <legend className="sr-only">Scopes</legend>
            {SCOPES.map((s) => (
              <label key={s} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" name={`scope-${s}`} defaultChecked={s === "ingest"} /> {s}
              </label>
            ))}
          </fieldset>
          <Button type="submit" disabled={create.isPending}>
            Create key
          </Button>
          <div className="w-full">
            <ErrorText>{create.error?.message}</ErrorText>
          </div>
        </form>
      </Card>
    </div>
  );
}
