// Test helpers shared by the solver specs (not part of the public API).
import type { Highs } from 'highs';
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

/**
 * The real LP solver with hooks: `onModel` when a model is made (every LP
 * planning makes at least one), `onRun` before each solve of such a model
 * (say, to move a test's clock as if solves were slow).
 */
export function hookedSolver(real: Highs, hooks: { onModel?: () => void; onRun?: () => void }): Highs {
  return new Proxy(real, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop !== 'createModel') return value;
      return (...args: unknown[]) => {
        hooks.onModel?.();
        const model = (value as (...a: unknown[]) => object).apply(target, args);
        return new Proxy(model, {
          get(m, p) {
            const member: unknown = Reflect.get(m, p);
            if (typeof member !== 'function') return member;
            if (p !== 'run') return member.bind(m);
            return (...a: unknown[]) => {
              hooks.onRun?.();
              return member.apply(m, a);
            };
          },
        });
      };
    },
  });
}
