"use client";

import { useCallback, useEffect, useRef } from "react";
import { select, zoom, zoomIdentity, zoomTransform, type ZoomBehavior } from "d3";
import { MAX_SCALE, MIN_SCALE, revealTransform, type Rect, type ViewTransform } from "@/components/run-graph/viewport";

/**
 * d3-zoom on the graph's <svg> (attach `svg` and `layer`): wheel/drag/pinch pan and zoom, applied to the inner
 * layer's transform attribute directly — a pan is 60 updates a second, which must
 * not re-render 1,000 React nodes. Double-click zoom is off (double-clicking a node
 * should not jump the view).
 */
export function useZoom() {
  const svg = useRef<SVGSVGElement>(null);
  const layer = useRef<SVGGElement>(null);
  const behavior = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([MIN_SCALE, MAX_SCALE])
      .on("zoom", (event: { transform: { toString(): string } }) =>
        layer.current?.setAttribute("transform", event.transform.toString()),
      );
    select(el).call(z).on("dblclick.zoom", null);
    behavior.current = z;
    return () => {
      select(el).on(".zoom", null);
      behavior.current = null;
    };
  }, []);

  const apply = useCallback((t: ViewTransform, animate = true) => {
    const el = svg.current;
    const z = behavior.current;
    if (!el || !z) return;
    const next = zoomIdentity.translate(t.x, t.y).scale(t.k);
    if (animate && !prefersReducedMotion()) select(el).transition().duration(250).call(z.transform, next);
    else select(el).call(z.transform, next);
  }, []);

  const zoomBy = useCallback((factor: number) => {
    const el = svg.current;
    const z = behavior.current;
    if (el && z)
      select(el)
        .transition()
        .duration(prefersReducedMotion() ? 0 : 200)
        .call(z.scaleBy, factor);
  }, []);

  /** Centres `rect` (graph coordinates) when it is not fully on screen. */
  const reveal = useCallback(
    (rect: Rect) => {
      const el = svg.current;
      if (!el) return;
      const t = zoomTransform(el);
      const next = revealTransform(rect, t, viewSize(el));
      if (next) apply(next);
    },
    [apply],
  );

  return { svg, layer, apply, zoomBy, reveal };
}

export function viewSize(el: Element): { width: number; height: number } {
  return { width: el.clientWidth || 800, height: el.clientHeight || 500 };
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}
