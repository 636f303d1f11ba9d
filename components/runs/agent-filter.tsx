import type { AgentOption } from "@/lib/runs/agent-options";

/**
 * The run list's agent filter: a native select (keyboard and screen readers for free),
 * "All agents" first. An agent named by the URL but not listed (left out past the list's cap,
 * or gone) stays selectable under `selectedLabel`.
 */
export function AgentFilter({
  options,
  selected,
  selectedLabel,
  onChange,
}: {
  options: AgentOption[];
  selected: string;
  selectedLabel: string;
  onChange: (agentId: string) => void;
}) {
  const listed = !selected || options.some((o) => o.id === selected);
  return (
    <label className="inline-flex items-center gap-2 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      Agent
      <select
        value={selected}
        onChange={(e) => onChange(e.target.value)}
        className={`max-w-56 rounded-md border bg-white py-1 pr-7 pl-2 text-xs text-zinc-900 focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 focus:outline-none dark:bg-zinc-900 dark:text-zinc-100 ${
          selected ? "border-sky-500" : "border-zinc-300 dark:border-zinc-700"
        }`}
      >
        <option value="">All agents</option>
        {!listed && <option value={selected}>{selectedLabel}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
