"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { findDrift } from "@/lib/runs/replay";

/** Milliseconds per replay step at 1×. */
const STEP_MS = 1200;

/**
 * Replay state over a decision path: the selected step lives in the URL (`?step=`)
 * so a link reopens the same moment; ←/→ move, Space plays/pauses. The URL is
 * updated with history.replaceState, which Next's router observes without a
 * server round trip (the run is already loaded).
 */
export function useReplay(order: string[], drifted: ReadonlySet<string>, initialStep: string | null) {
  const [selected, setSelected] = useState<string | null>(initialStep);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const position = useMemo(() => (selected ? order.indexOf(selected) : -1), [order, selected]);

  const select = useCallback((spanId: string | null) => {
    setSelected(spanId);
    const url = new URL(window.location.href);
    if (spanId) url.searchParams.set("step", spanId);
    else url.searchParams.delete("step");
    window.history.replaceState(window.history.state, "", url);
  }, []);

  const jump = useCallback((i: number) => order[i] !== undefined && select(order[i]!), [order, select]);
  const move = useCallback(
    (delta: -1 | 1) => {
      if (order.length === 0) return;
      jump(position < 0 ? (delta > 0 ? 0 : order.length - 1) : Math.min(Math.max(position + delta, 0), order.length - 1));
    },
    [jump, order.length, position],
  );
  const drift = useCallback(
    (dir: -1 | 1) => {
      const i = findDrift(order, drifted, position, dir);
      if (i >= 0) jump(i);
    },
    [drifted, jump, order, position],
  );

  // Playing stops by itself at the last step; pressing play there starts over.
  const atEnd = position >= order.length - 1;
  const isPlaying = playing && !atEnd;
  const play = useCallback(
    (on: boolean) => {
      if (on && atEnd) jump(0);
      setPlaying(on);
    },
    [atEnd, jump],
  );
  useEffect(() => {
    if (!isPlaying) return;
    const t = setTimeout(() => move(1), STEP_MS / speed);
    return () => clearTimeout(t);
  }, [isPlaying, position, speed, move]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable=true]") || e.altKey || e.metaKey || e.ctrlKey) return;
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        setPlaying(false);
        move(e.key === "ArrowRight" ? 1 : -1);
      } else if (e.key === " " && !target?.closest("button, a")) {
        e.preventDefault();
        play(!isPlaying);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [move, play, isPlaying]);

  return {
    selected,
    select,
    position,
    playing: isPlaying,
    setPlaying: play,
    speed,
    setSpeed,
    move,
    jump,
    drift,
    hasPrevDrift: findDrift(order, drifted, position, -1) >= 0,
    hasNextDrift: findDrift(order, drifted, position, 1) >= 0,
  };
}
