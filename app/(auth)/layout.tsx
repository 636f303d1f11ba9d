import type { ReactNode } from "react";

// Sign-in and setup depend on the database state (first run or not) at request time.
export const dynamic = "force-dynamic";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return children;
}
