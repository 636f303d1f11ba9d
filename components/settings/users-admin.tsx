"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "@/lib/api/client";
import { queries } from "@/lib/api/queries";
import { ROLES } from "@/lib/auth/access";
import { userView } from "@/lib/api/schemas";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorText, Field, Input, Select } from "@/components/ui/field";
import { onSubmitForm } from "@/components/ui/form";
import { Table, Td, Th } from "@/components/ui/table";

type User = z.infer<typeof userView>;
const one = z.object({ user: userView });

export function UsersAdmin({ initialUsers, currentUserId }: { initialUsers: User[]; currentUserId: string }) {
  const client = useQueryClient();
  const { data } = useQuery({ ...queries.users(), initialData: { users: initialUsers } });
  const refresh = () => client.invalidateQueries({ queryKey: queries.users().queryKey });

  const create = useMutation({
    mutationFn: (body: Record<string, string>) => api(one, "/api/v1/users", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, ...patch }: { id: string; role?: string; disabled?: boolean }) =>
      api(one, `/api/v1/users/${id}`, { method: "PATCH", body: JSON.stringify(patch) }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(z.object({ ok: z.boolean() }), `/api/v1/users/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
  });

  return (
    <div className="space-y-6">
      <Card title="Members">
        <ErrorText>{update.error?.message ?? remove.error?.message}</ErrorText>
        <Table label="Users">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Last sign-in</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {data.users.map((u) => (
              <tr key={u.id}>
                <Td className="font-medium">
                  {u.name} {u.id === currentUserId && <Badge>you</Badge>} {u.disabled && <Badge tone="error">disabled</Badge>}
                </Td>
                <Td>{u.email}</Td>
                <Td>
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    onChange={(e) => update.mutate({ id: u.id, role: e.target.value })}
                    className="rounded border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700"
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </Td>
                <Td className="text-zinc-500">{u.lastSignInAt ? new Date(u.lastSignInAt).toLocaleString() : "never"}</Td>
                <Td className="text-right">
                  {u.id !== currentUserId && (
                    <>
                      <Button variant="ghost" onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}>
                        {u.disabled ? "Enable" : "Disable"}
                      </Button>
                      <Button
                        variant="ghost"
                        className="text-red-600 dark:text-red-400"
                        onClick={() => confirm(`Delete ${u.email}?`) && remove.mutate(u.id)}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>

      <Card title="Add a user">
        <form
          className="grid gap-4 p-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
          onSubmit={onSubmitForm((f, form) =>
            create.mutate(
              {
                name: String(f.get("name")),
                email: String(f.get("email")),
                password: String(f.get("password")),
                role: String(f.get("role")),
              },
              { onSuccess: () => form.reset() },
            ),
          )}
        >
          <Field label="Name">
            <Input name="name" required />
          </Field>
          <Field label="Email">
            <Input name="email" type="email" required />
          </Field>
          <Field label="Initial password">
            <Input name="password" type="password" minLength={10} autoComplete="new-password" required />
          </Field>
          <Field label="Role">
            <Select name="role" aria-label="Role" defaultValue="viewer">
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </Select>
          </Field>
          <Button type="submit" disabled={create.isPending}>
            Add user
          </Button>
          <div className="sm:col-span-2 lg:col-span-5">
            <ErrorText>{create.error?.message}</ErrorText>
            {create.isSuccess && <p className="text-sm text-emerald-600">Added {create.data.user.email}.</p>}
          </div>
        </form>
      </Card>
    </div>
  );
}
