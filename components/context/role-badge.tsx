const ROLE_STYLE: Record<string, string> = {
  system: "bg-zinc-800 text-zinc-100 dark:bg-zinc-200 dark:text-zinc-900",
  developer: "bg-zinc-800 text-zinc-100 dark:bg-zinc-200 dark:text-zinc-900",
  user: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  assistant: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
  tool: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
};

export function RoleBadge({ role }: { role: string }) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 font-mono text-[10px] uppercase ${ROLE_STYLE[role] ?? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"}`}
    >
      {role}
    </span>
  );
}
