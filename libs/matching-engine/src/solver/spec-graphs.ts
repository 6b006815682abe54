// Test helpers shared by the solver specs (not part of the public API).
import { TradeGraph, TradeGraphBuilder } from '../graph/trade-graph';
import { realCount, tradedItems } from './bounded-solver';

/** Builds a graph from "a>b" edges over named nodes; names starting with % are dummies. */
export function graphOf(spec: string) {
  const b = new TradeGraphBuilder();
  const ids = new Map<string, number>();
  const id = (name: string) => {
    if (!ids.has(name)) ids.set(name, b.addNode(name.startsWith('%')));
    return ids.get(name)!;
  };
  for (const e of spec.trim().split(/\s+/)) {
    const [x, y] = e.split('>');
    b.addEdge(id(x), id(y));
  }
  const g = b.build();
  const names = [...ids.keys()];
  return { g, id, name: (u: number) => names[u] };
}

/** Every loop has 2..cap real items, follows edges, and no node is in two loops. */
export function checkLoops(g: TradeGraph, loops: number[][], cap: number): void {
  const used = new Set<number>();
  for (const loop of loops) {
    const r = realCount(g, loop);
    expect(r).toBeGreaterThanOrEqual(2);
    expect(r).toBeLessThanOrEqual(cap);
    loop.forEach((u, i) => {
      expect(used.has(u)).toBe(false);
      used.add(u);
      expect(g.hasEdge(u, loop[(i + 1) % loop.length])).toBe(true);
    });
  }
}

/** Real items traded by a set of loops. */
export const traded = (g: TradeGraph, loops: number[][]) => tradedItems(g, loops);
