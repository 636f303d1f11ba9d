import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { LiveEventsProvider } from "@/components/live/live-events";
import { hasRole, requirePageUser } from "@/lib/server/auth/page";

// Every page behind sign-in depends on the request (cookie) and live data.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <LiveEventsProvider>
      <AppShell user={{ name: user.name, email: user.email, role: user.role, isAdmin: hasRole(user, "admin") }}>
        {children}
      </AppShell>
    </LiveEventsProvider>
  );
}
