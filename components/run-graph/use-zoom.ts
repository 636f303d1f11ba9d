"use client";

import { useCallback, useEffect, useRef } from "react";
import { select, zoom, zoomIdentity, zoomTransform, type ZoomBehavior } from "d3";
import { MAX_SCALE, MIN_SCALE, revealTransform, type Rect, type Size, type ViewTransform } from "@/components/run-graph/viewport";

/**
 * d3-zoom on the graph's <svg> (attach `svg` and `layer`): wheel/drag/pinch pan and zoom, applied to the inner
 * layer's transform attribute directly — a pan is 60 updates a second, which must
 * not re-render 1,000 React nodes. Double-click zoom is off (double-clicking a node
 * should not jump the view). `onTransform` hears every change (it should rarely set state).
 */
export function useZoom(onTransform?: (t: ViewTransform, view: Size) => void) {
  const svg = useRef<SVGSVGElement>(null);
  const layer = useRef<SVGGElement>(null);
  const behavior = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const listener = useRef(onTransform);
  useEffect(() => {
    listener.current = onTransform;
  });

  // The canvas size, kept by a ResizeObserver: reading clientWidth during a pan or a selection's
  // reveal animation forced a synchronous layout of the whole page on every frame.
  const size = useRef<Size | null>(null);
  const measure = useCallback(() => (size.current ??= svg.current ? viewSize(svg.current) : { width: 800, height: 500 }), []);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([MIN_SCALE, MAX_SCALE])
      .on("zoom", (event: { transform: ViewTransform & { toString(): string } }) => {
        layer.current?.setAttribute("transform", event.transform.toString());
        listener.current?.(event.transform, measure());
      });
    select(el).call(z).on("dblclick.zoom", null);
    behavior.current = z;
    const resized = new ResizeObserver(([entry]) => {
      if (!entry) return;
      size.current = { width: entry.contentRect.width || 800, height: entry.contentRect.height || 500 };
      listener.current?.(zoomTransform(el), size.current);
    });
    resized.observe(el);
    return () => {
      resized.disconnect();
      select(el).on(".zoom", null);
      behavior.current = null;
    };
  }, [measure]);

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
      const next = revealTransform(rect, t, measure());
      if (next) apply(next);
    },
    [apply, measure],
  );

  return { svg, layer, apply, zoomBy, reveal, viewSize: measure };
}

export function viewSize(el: Element): { width: number; height: number } {
  return { width: el.clientWidth || 800, height: el.clientHeight || 500 };
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}
