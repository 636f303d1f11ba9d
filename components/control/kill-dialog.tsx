"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { reasonProblem, MAX_REASON_LENGTH } from "@/lib/control/state";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/field";
import { onSubmitForm } from "@/components/ui/form";

type Props = {
  open: boolean;
  /** "Kill this run?" */
  title: string;
  /** What a kill does to this target, in a sentence or two. */
  description: string;
  /** The confirm button: "Kill run". */
  confirmLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm(reason: string): void;
  onClose(): void;
};

/**
 * A kill is final, so it is confirmed in a modal that asks why (the reason goes to the
 * agent, the history and the audit log). A native modal <dialog>: the page behind is
 * inert and Esc cancels; Tab is kept inside the dialog rather than escaping to the
 * browser's own controls.
 */
export function KillDialog({ open, title, description, confirmLabel, pending, error, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const form = useRef<HTMLFormElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => {
    if (pending) return;
    setProblem(null);
    onClose();
  };

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      form.current?.reset(); // a fresh, empty form each time it opens
      dialog.showModal();
      form.current?.querySelector("textarea")?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onKeyDown={trapTab}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <form
        ref={form}
        className="space-y-4 p-5"
        onSubmit={onSubmitForm((f) => {
          const reason = String(f.get("reason") ?? "").trim();
          const p = reasonProblem("kill", reason);
          setProblem(p);
          if (!p) onConfirm(reason);
        })}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
        <label className="block space-y-1">
          <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Reason</span>
          <textarea
            name="reason"
            rows={3}
            required
            maxLength={MAX_REASON_LENGTH}
            placeholder="Why must it stop? Shown in the history and to the agent."
            className="w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          />
        </label>
        <ErrorText>{problem ?? error}</ErrorText>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? "Killing…" : confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

const FOCUSABLE =
  "button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select, a[href], [tabindex]:not([tabindex='-1'])";

function trapTab(e: KeyboardEvent<HTMLDialogElement>) {
  if (e.key !== "Tab") return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
