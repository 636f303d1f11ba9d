"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { api } from "@/lib/api/client";
import { Button } from "@/components/ui/button";
import { ErrorText, Field, Input } from "@/components/ui/field";
import { onSubmitForm } from "@/components/ui/form";

const ok = z.object({ ok: z.literal(true) });

export function SignInForm({ tokenSignIn, next }: { tokenSignIn: boolean; next: string }) {
  const router = useRouter();
  const [mode, setMode] = useState<"password" | "token">("password");
  const signIn = useMutation({
    mutationFn: (body: Record<string, string>) => api(ok, "/api/auth/sign-in", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: () => {
      router.replace(next);
      router.refresh();
    },
  });

  function submit(form: FormData) {
    const body: Record<string, string> =
      mode === "token"
        ? { token: String(form.get("token")) }
        : { email: String(form.get("email")), password: String(form.get("password")) };
    signIn.mutate(body);
  }

  return (
    <form onSubmit={onSubmitForm(submit)} className="space-y-4">
      {mode === "password" ? (
        <>
          <Field label="Email">
            <Input name="email" type="email" autoComplete="username" required autoFocus />
          </Field>
          <Field label="Password">
            <Input name="password" type="password" autoComplete="current-password" required />
          </Field>
        </>
      ) : (
        <Field label="Admin token" hint="The value of CAUSEWAY_ADMIN_TOKEN.">
          <Input name="token" type="password" autoComplete="off" required autoFocus />
        </Field>
      )}
      <ErrorText>{signIn.error?.message}</ErrorText>
      <Button type="submit" className="w-full" disabled={signIn.isPending}>
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </Button>
      {tokenSignIn && (
        <button
          type="button"
          className="w-full text-center text-xs text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"
          onClick={() => setMode(mode === "token" ? "password" : "token")}
        >
          {mode === "token" ? "Sign in with email and password" : "Sign in with the admin token"}
        </button>
      )}
    </form>
  );
}
