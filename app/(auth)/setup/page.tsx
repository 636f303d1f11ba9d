import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { authPageState } from "@/lib/server/auth/page";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ code?: string }> }) {
  const state = await authPageState();
  if (!state.needsSetup) redirect(state.signedIn ? "/runs" : "/sign-in");
  const { code } = await searchParams;
  return (
    <AuthCard title="Welcome to Causeway" subtitle="Create the first admin account for this instance.">
      <SetupForm code={code ?? ""} codeRequired={state.setupCodeRequired} />
    </AuthCard>
  );
}
