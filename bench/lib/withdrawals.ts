/**
 * The stability experiment of the matching benchmarks: single traded items
 * withdrawn from a plan (a fixed seed picks them), each followed by the
 * engine's local repair, and the share of the other loops kept.
 */
import { LoopState, type TradeGraph, canonicalRotation, repairAround, withInEdges } from '@app/matching-engine';
import { rng } from './synthetic-market';

/** Withdrawals per file (each from the same plan). */
export const WITHDRAWALS = 10;
/** Seed of the withdrawal sequence (the same items in every benchmark). */
const WITHDRAWAL_SEED = 20260601;
/** The repair's neighbourhood (nodes): the engine's default (`exactNeighbourhoodLimit`). */
const REPAIR_NEIGHBOURHOOD = 400;

export interface Withdrawal {
  /** Real items of the loop the victim was in (all of them lose that loop). */
  loopItems: number;
  /** Every node but the victim. */
  usable: Uint8Array;
  /** The plan after the repair. */
  repaired: number[][];
  /** Share of the loops without the victim that the repair kept. */
  kept: number;
}

/** A loop's identity whatever node it is written from. */
const loopKey = (loop: readonly number[]): string => canonicalRotation([...loop]).join(',');

/** WITHDRAWALS withdrawals from `loops`, each from the same plan, repaired with `repairAround`. */
export function* withdrawals(g: TradeGraph, loops: readonly number[][], cap: number): Iterable<Withdrawal> {
  const two = withInEdges(g);
  const rand = rng(WITHDRAWAL_SEED);
  const tradedNodes = loops.flatMap((l) => l.filter((u) => !g.dummy[u]));
  for (let w = 0; w < WITHDRAWALS && tradedNodes.length > 0; w++) {
    const victim = tradedNodes[Math.floor(rand() * tradedNodes.length)];
    const usable = new Uint8Array(g.n).fill(1);
    const state = new LoopState(two, cap, usable);
    for (const l of loops) state.addLoop(l);
    const freed = state.removeLoopOf(victim);
    usable[victim] = 0;
    repairAround(two, state, freed.filter((u) => u !== victim), cap, REPAIR_NEIGHBOURHOOD);
    const repaired = state.loops();
    const after = new Set(repaired.map(loopKey));
    const others = loops.filter((l) => !l.includes(victim));
    yield {
      loopItems: freed.filter((u) => !g.dummy[u]).length,
      usable,
      repaired,
      kept: others.length === 0 ? 1 : others.filter((l) => after.has(loopKey(l))).length / others.length,
    };
  }
}
