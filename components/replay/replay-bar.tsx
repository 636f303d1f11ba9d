"use client";

import { Button } from "@/components/ui/button";

export const SPEEDS = [0.5, 1, 2, 4] as const;

type Props = {
  position: number; // index in the decision path, -1 when the selected step is not on it
  length: number;
  playing: boolean;
  speed: number;
  hasPrevDrift: boolean;
  hasNextDrift: boolean;
  onMove(delta: -1 | 1): void;
  onJump(index: number): void;
  onPlay(playing: boolean): void;
  onSpeed(speed: number): void;
  onDrift(dir: -1 | 1): void;
};

/** Replay controls for the decision path: step, play/pause at a speed, jump between drift points. */
export function ReplayBar(p: Props) {
  return (
    <div role="toolbar" aria-label="Replay" className="flex flex-wrap items-center gap-2 text-sm">
      <Button variant="secondary" onClick={() => p.onJump(0)} disabled={p.length === 0} aria-label="First step">
        «
      </Button>
      <Button variant="secondary" onClick={() => p.onMove(-1)} disabled={p.position <= 0} aria-label="Previous step (←)">
        ←
      </Button>
      <Button
        onClick={() => p.onPlay(!p.playing)}
        disabled={p.length === 0}
        aria-label={p.playing ? "Pause replay" : "Play replay"}
      >
        {p.playing ? "Pause" : "Play"}
      </Button>
      <Button variant="secondary" onClick={() => p.onMove(1)} disabled={p.position >= p.length - 1} aria-label="Next step (→)">
        →
      </Button>
      <label className="flex items-center gap-1 text-xs text-zinc-500">
        Speed
        <select
          value={p.speed}
          onChange={(e) => p.onSpeed(Number(e.target.value))}
          className="rounded border border-zinc-300 bg-white px-1 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <span className="tabular-nums text-xs text-zinc-500" aria-live="polite">
        {p.position >= 0 ? `Step ${p.position + 1} of ${p.length}` : `${p.length} steps on the decision path`}
      </span>
      <span className="ml-auto flex gap-1">
        <Button variant="secondary" onClick={() => p.onDrift(-1)} disabled={!p.hasPrevDrift} aria-label="Previous drift point">
          ‹ drift
        </Button>
        <Button variant="secondary" onClick={() => p.onDrift(1)} disabled={!p.hasNextDrift} aria-label="Next drift point">
          drift ›
        </Button>
      </span>
    </div>
  );
}
