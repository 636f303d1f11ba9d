"use client";

import { useEffect, useState } from "react";

/** A clock that ticks (each second by default) so live durations and "ago" labels move; starts at the server's render time. */
export function useNow(initial: number, everyMs = 1000): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
