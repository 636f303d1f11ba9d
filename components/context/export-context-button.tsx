"use client";

import type { StepDetail } from "@/lib/api/step-schemas";
import { exportContextJson } from "@/lib/context/export";
import { Button } from "@/components/ui/button";

/** "Export context (JSON)": the call's model, parameters, tools and messages as a file to re-run elsewhere. */
export function ExportContextButton({ detail }: { detail: Pick<StepDetail, "step" | "inputMessages" | "tools" | "parameters"> }) {
  const download = () => {
    const blob = new Blob([exportContextJson(detail)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `context-${detail.step.spanId}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // Revoked on the next tick: some browsers start the download after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <Button variant="secondary" className="px-2 py-1 text-xs" onClick={download}>
      Export context (JSON)
    </Button>
  );
}
