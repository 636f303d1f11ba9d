/** The part of a DOM element markPath touches (a fake in tests). */
type Marked = { getAttribute(name: string): string | null; toggleAttribute(name: string, on: boolean): unknown };
type Root = Marked & { querySelectorAll(selector: string): Iterable<Marked> };

/**
 * Marks the highlighted path (a selection's causal ancestors) with `data-on-path`
 * on its nodes and edges, and `data-path-active` on the graph layer; CSS fades the
 * rest. Done on the DOM rather than through React props: a new selection changes
 * the state of most of a long run's nodes and edges, and re-rendering 1,000 of them
 * cost ~100 ms on a 2-core machine, toggling attributes a few.
 */
export function markPath(root: Root | null, path: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } | null): void {
  if (!root) return;
  root.toggleAttribute("data-path-active", path !== null);
  for (const el of root.querySelectorAll("[data-node-id]"))
    el.toggleAttribute("data-on-path", path?.nodes.has(el.getAttribute("data-node-id") ?? "") ?? false);
  for (const el of root.querySelectorAll("[data-edge-id]"))
    el.toggleAttribute("data-on-path", path?.edges.has(el.getAttribute("data-edge-id") ?? "") ?? false);
}
