"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { api } from "@/lib/api/client";
import { Button } from "@/components/ui/button";
import { ErrorText, Field, Input } from "@/components/ui/field";
import { onSubmitForm } from "@/components/ui/form";

export function SetupForm({ code, codeRequired }: { code: string; codeRequired: boolean }) {
  const router = useRouter();
  const setup = useMutation({
    mutationFn: (body: Record<string, string>) =>
      api(z.object({ user: z.object({ id: z.string() }) }), "/api/auth/setup", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: () => {
      router.replace("/runs");
      router.refresh();
    },
  });

  return (
    <form
      onSubmit={onSubmitForm((form) =>
        setup.mutate({
          name: String(form.get("name")),
          email: String(form.get("email")),
          password: String(form.get("password")),
          code: String(form.get("code") ?? ""),
        }),
      )}
      className="space-y-4"
    >
      <Field label="Name">
        <Input name="name" autoComplete="name" required autoFocus />
      </Field>
      <Field label="Email">
        <Input name="email" type="email" autoComplete="username" required />
      </Field>
      <Field label="Password" hint="At least 10 characters.">
        <Input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </Field>
      {codeRequired && (
        <Field label="Setup code" hint="Printed by `npm start` in the terminal.">
          <Input name="code" defaultValue={code} autoComplete="off" required />
        </Field>
      )}
      <ErrorText>{setup.error?.message}</ErrorText>
      <Button type="submit" className="w-full" disabled={setup.isPending}>
        {setup.isPending ? "Creating…" : "Create admin account"}
      </Button>
    </form>
  );
}
