import { TEST_FLOW_SCENARIOS } from '@app/contracts';
import { runTestFlow } from './test-flow';

describe('test-flow scenarios (throw-away engine)', () => {
  it.each(TEST_FLOW_SCENARIOS)('%s passes', (scenario) => {
    const result = runTestFlow(scenario);
    expect(result).toMatchObject({ test: scenario, passed: true });
    expect(result.matches_found).toBeGreaterThan(0);
  });
});
