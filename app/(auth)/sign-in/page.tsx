import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { authPageState } from "@/lib/server/auth/page";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const state = await authPageState();
  const { next } = await searchParams;
  // Only same-site paths: an open redirect would let a link send people elsewhere after sign-in.
  const target = next?.startsWith("/") && !next.startsWith("//") ? next : "/runs";
  if (state.signedIn) redirect(target);
  if (state.needsSetup && !state.tokenSignIn) redirect("/setup");
  return (
    <AuthCard title="Sign in" subtitle="Watch and control what your agents execute.">
      <SignInForm tokenSignIn={state.tokenSignIn} next={target} />
    </AuthCard>
  );
}
