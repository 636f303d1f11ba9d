import { exportTool } from "@/lib/context/export";
import { JsonView } from "@/components/step/json-view";

/** The tools offered to the model: name and description, the full definition folded. */
export function ToolDefinitions({ tools }: { tools: unknown[] }) {
  if (tools.length === 0) return null;
  return (
    <section aria-label="Tool definitions" className="space-y-1">
      <h3 className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Tools offered ({tools.length})</h3>
      <ul className="space-y-1">
        {tools.map((tool, i) => {
          const fn = functionOf(exportTool(tool));
          return (
            <li key={i} className="rounded-md border border-zinc-200 px-2 py-1 text-xs dark:border-zinc-800">
              <details>
                <summary className="cursor-pointer">
                  <span className="font-mono font-semibold">{fn?.name ?? "(unnamed tool)"}</span>
                  {fn?.description && <span className="ml-2 text-zinc-500">{fn.description}</span>}
                </summary>
                <div className="mt-1">
                  <JsonView value={tool} />
                </div>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function functionOf(tool: unknown): { name?: string; description?: string } | null {
  if (typeof tool !== "object" || tool === null) return null;
  const fn = (tool as { function?: unknown }).function;
  if (typeof fn !== "object" || fn === null) return null;
  const f = fn as Record<string, unknown>;
  return {
    name: typeof f.name === "string" ? f.name : undefined,
    description: typeof f.description === "string" ? f.description : undefined,
  };
}
