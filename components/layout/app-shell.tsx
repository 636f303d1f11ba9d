import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { NavLink } from "@/components/layout/nav-link";

export type ShellUser = { name: string; email: string; role: string; isAdmin: boolean };

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-56 shrink-0 flex-col border-r border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40">
        <Link href="/runs" className="flex items-center gap-2 px-4 py-4">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span className="font-semibold tracking-tight">Causeway</span>
        </Link>
        <nav aria-label="Main" className="flex-1 space-y-0.5 px-2">
          <NavLink href="/runs">Runs</NavLink>
          <NavLink href="/sessions">Sessions</NavLink>
          <NavLink href="/search">Search</NavLink>
          <NavLink href="/settings/policies">Policies</NavLink>
          {user.isAdmin && (
            <>
              <p className="px-3 pt-5 pb-1 text-[11px] font-medium uppercase tracking-wide text-zinc-400">Settings</p>
              <NavLink href="/settings/users">Users</NavLink>
              <NavLink href="/settings/api-keys">API keys</NavLink>
            </>
          )}
        </nav>
        <div className="border-t border-zinc-200 p-3 dark:border-zinc-800">
          <p className="truncate text-sm font-medium" title={user.email}>
            {user.name}
          </p>
          <p className="truncate text-xs text-zinc-500">
            {user.email} · {user.role}
          </p>
          <SignOutButton />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-6 py-6">{children}</main>
    </div>
  );
}
