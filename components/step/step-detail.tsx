"use client";

import type { StepDetail } from "@/lib/api/step-schemas";
import { ContextView } from "@/components/context/context-view";
import { ExportContextButton } from "@/components/context/export-context-button";
import { MessageCard } from "@/components/context/message-card";
import { AttributesView } from "@/components/step/attributes-view";
import { EventsList } from "@/components/step/events-list";
import { PayloadView } from "@/components/step/payload-view";
import { StepErrors } from "@/components/step/step-errors";
import { StepHeader } from "@/components/step/step-header";
import { Tabs, type Tab } from "@/components/step/tabs";

export type StepDetailViewProps = {
  detail: StepDetail;
  /** Opens another step (the previous model call named in the context diff). */
  onSelectStep?: (spanId: string) => void;
};

/**
 * One step, as loaded by GET /api/v1/runs/{runId}/steps/{spanId}: header, errors first, then tabs —
 * Context (model calls: the messages with the diff against the previous call, tools, parameters),
 * Input and Output (messages or stored payloads), Attributes, Events.
 */
export function StepDetailView({ detail, onSelectStep }: StepDetailViewProps) {
  const s = detail.step;
  const llm = s.kind === "llm";
  const exceptions = detail.events.filter((e) => e.exception).length;
  const tabs: Tab[] = [];
  if (llm)
    tabs.push({
      id: "context",
      label: `Context (${detail.inputMessages.length})`,
      content: (
        <ContextView
          messages={detail.inputMessages}
          diff={detail.contextDiff}
          tools={detail.tools}
          parameters={detail.parameters}
          previous={detail.previous}
          onSelectStep={onSelectStep}
          anchorPrefix={`step-${s.spanId}`}
          actions={<ExportContextButton detail={detail} />}
        />
      ),
    });
  if (!llm || detail.input)
    tabs.push({ id: "input", label: "Input", content: <PayloadView label="Input" payload={detail.input} /> });
  tabs.push({
    id: "output",
    label: "Output",
    content:
      llm && detail.outputMessages.length > 0 ? (
        <section aria-label="Output messages" className="space-y-2">
          {detail.outputMessages.map((m, i) => (
            <MessageCard key={i} message={m} label={`output message ${i + 1} ${m.role}`} foldAt={8000} />
          ))}
          {detail.output && <PayloadView label="Output" payload={detail.output} />}
        </section>
      ) : (
        <PayloadView label="Output" payload={detail.output} />
      ),
  });
  tabs.push({
    id: "attributes",
    label: `Attributes (${Object.keys(detail.attributes).length})`,
    content: (
      <AttributesView
        attributes={detail.attributes}
        truncated={detail.truncated}
        omitted={detail.omitted}
        links={detail.links}
        scopeName={s.scopeName}
        family={s.family}
      />
    ),
  });
  tabs.push({
    id: "events",
    label: exceptions ? `Events/Errors (${exceptions} error${exceptions === 1 ? "" : "s"})` : `Events (${detail.events.length})`,
    content: <EventsList events={detail.events} startNs={s.startNs} />,
  });

  return (
    <div aria-label={`Step ${s.name}`} role="region" className="space-y-3">
      <StepHeader detail={detail} />
      <StepErrors failed={s.status === "error"} statusMessage={s.statusMessage} events={detail.events} />
      {/* Keyed by step: opening another step starts on its default tab. */}
      <Tabs key={s.spanId} tabs={tabs} label="Step detail" />
    </div>
  );
}
