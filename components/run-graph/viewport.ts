/**
 * Pan/zoom arithmetic for the graph view, kept pure so it is tested without a
 * browser. A transform maps graph coordinates to screen: screen = graph * k + (x, y).
 */
export type ViewTransform = { k: number; x: number; y: number };
export type Size = { width: number; height: number };
export type Rect = { x: number; y: number; width: number; height: number };

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 2.5;
const PAD = 16;
/** Below this scale labels are unreadable, so the first view of a long run starts at its beginning instead. */
const READABLE_SCALE = 0.6;

/** The whole graph centred in the view, never enlarged past 1.25×. */
export function fitTransform(content: Size, view: Size): ViewTransform {
  const k = clamp(
    Math.min((view.width - 2 * PAD) / Math.max(content.width, 1), (view.height - 2 * PAD) / Math.max(content.height, 1), 1.25),
    MIN_SCALE,
    MAX_SCALE,
  );
  return { k, x: (view.width - content.width * k) / 2, y: (view.height - content.height * k) / 2 };
}

/** Fit when that stays readable; otherwise a long run opens at its start, at a readable scale. */
export function initialTransform(content: Size, view: Size): ViewTransform {
  const fit = fitTransform(content, view);
  if (fit.k >= READABLE_SCALE) return fit;
  const k = clamp((view.height - 2 * PAD) / Math.max(content.height, 1), READABLE_SCALE, 1);
  return { k, x: PAD, y: Math.max(PAD, (view.height - content.height * k) / 2) };
}

/** A transform that brings `rect` into view (centred), or null when it is already fully visible. */
export function revealTransform(rect: Rect, t: ViewTransform, view: Size, margin = 24): ViewTransform | null {
  const left = rect.x * t.k + t.x;
  const top = rect.y * t.k + t.y;
  const inside =
    left >= margin &&
    top >= margin &&
    left + rect.width * t.k <= view.width - margin &&
    top + rect.height * t.k <= view.height - margin;
  if (inside) return null;
  return { k: t.k, x: view.width / 2 - (rect.x + rect.width / 2) * t.k, y: view.height / 2 - (rect.y + rect.height / 2) * t.k };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
