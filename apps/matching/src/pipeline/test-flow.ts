import type { TestFlowResult, TestFlowScenario } from '@app/contracts';
import { MatchingEngine, type MatchItem } from '@app/matching-engine';

/**
 * Sample markets run on a throw-away engine: nothing here reads or writes the
 * service's data. Each scenario states what it expects and reports whether it held.
 */
let nextId = 1;
const want = (userId: number, name: string, valueTenge = 20000): MatchItem => ({ id: nextId++, userId, kind: 'WANT', exchangeType: 'PERMANENT', name, valueTenge, durationDays: null, category: null });
const offer = (userId: number, name: string, valueTenge = 20000): MatchItem => ({ id: nextId++, userId, kind: 'OFFER', exchangeType: 'PERMANENT', name, valueTenge, durationDays: null, category: null });

function run(items: MatchItem[], cities: Record<number, string[]>) {
  const engine = new MatchingEngine();
  engine.load(items, cities);
  return engine.proposals();
}

const SCENARIOS: Record<Exclude<TestFlowScenario, 'full'>, () => TestFlowResult> = {
  bilateral() {
    const found = run([want(1, 'дрель'), offer(1, 'велосипед'), want(2, 'велосипед'), offer(2, 'дрель')], { 1: ['Алматы'], 2: ['Алматы'] });
    const passed = found.length === 1 && found[0].kind === 'BILATERAL';
    return { test: 'bilateral', passed, matches_found: found.length, details: passed ? 'Alice + Bob match successful' : 'expected one bilateral match of Alice and Bob' };
  },
  chains() {
    const found = run(
      [want(1, 'инструменты'), offer(1, 'запчасти велосипеда'), want(2, 'запчасти велосипеда'), offer(2, 'велосипед детский'), want(3, 'велосипед детский'), offer(3, 'инструменты')],
      { 1: ['Алматы'], 2: ['Алматы'], 3: ['Алматы'] },
    );
    const passed = found.length === 1 && found[0].kind === 'CHAIN' && found[0].participants.length === 3;
    return { test: 'chains', passed, matches_found: found.length, details: passed ? 'Alice → Bob → Charlie chain of 3 found' : 'expected one chain of 3 participants' };
  },
  locations() {
    const items = [want(1, 'дрель'), offer(1, 'велосипед'), want(2, 'велосипед'), offer(2, 'дрель')];
    const apart = run(items, { 1: ['Алматы'], 2: ['Астана'] });
    const together = run(items, { 1: ['Алматы', 'Астана'], 2: ['Астана', 'Шымкент'] });
    const passed = apart.length === 0 && together.length === 1;
    return {
      test: 'locations',
      passed,
      matches_found: together.length,
      details: passed ? 'No match without a shared city; a match through the shared city Астана' : `expected 0 then 1 matches, got ${apart.length} and ${together.length}`,
    };
  },
  scoring() {
    const exact = run([want(1, 'iPhone 13 Pro', 500000), offer(1, 'велосипед', 500000), want(2, 'велосипед', 500000), offer(2, 'iPhone 13 Pro', 500000)], { 1: ['Алматы'], 2: ['Алматы'] });
    const fuzzy = run([want(1, 'iPhone 13 Pro', 500000), offer(1, 'велосипед', 480000), want(2, 'велосипед', 480000), offer(2, 'айфон 13 про', 520000)], { 1: ['Алматы'], 2: ['Алматы'] });
    const passed = exact.length === 1 && fuzzy.length === 1 && exact[0].score >= fuzzy[0].score && fuzzy[0].score > 0 && exact[0].score <= 1;
    return {
      test: 'scoring',
      passed,
      matches_found: exact.length + fuzzy.length,
      details: passed ? `exact names score ${exact[0].score.toFixed(3)} ≥ transliterated names with a price gap ${fuzzy[0].score.toFixed(3)}` : 'expected both pairs to match, the exact one scoring at least as high',
    };
  },
};

export function runTestFlow(scenario: TestFlowScenario): TestFlowResult {
  if (scenario !== 'full') return SCENARIOS[scenario]();
  const results = Object.values(SCENARIOS).map((s) => s());
  return {
    test: 'full',
    passed: results.every((r) => r.passed),
    matches_found: results.reduce((n, r) => n + r.matches_found, 0),
    details: results.map((r) => `${r.test}: ${r.passed ? 'passed' : 'FAILED'}`).join('; '),
    results,
  };
}
