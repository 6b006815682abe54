import type { ProposalChanges } from '@app/matching-engine';
import type { EngineHost } from '../engine/engine-host';
import type { ExchangesRepository } from '../exchanges/exchanges.repository';
import { ChainsService } from './chains.service';

describe('ChainsService.discover', () => {
  const caller = { id: 7, role: 'user' as const };
  const nothing: ProposalChanges = { created: [], cancelled: [] };

  function service(intervalMs: number) {
    const improve = jest.fn(async (_budget: number) => nothing);
    const exchanges = { liveChains: async () => [], participants: async () => [] } as unknown as ExchangesRepository;
    const chains = new ChainsService(exchanges, { improve } as unknown as EngineHost, { MATCHING_DISCOVER_MIN_INTERVAL_MS: intervalMs, MATCHING_DISCOVER_BUDGET_MS: 300 });
    return { chains, improve };
  }

  it('runs at most one re-planning pass per interval, whoever calls', async () => {
    const { chains, improve } = service(60_000);
    const first = await chains.discover(caller, {});
    const second = await chains.discover({ id: 8, role: 'user' }, { min_participants: 3 });
    expect(improve).toHaveBeenCalledTimes(1);
    expect(improve).toHaveBeenCalledWith(300);
    // Both still answer with the live chains.
    expect(first).toEqual({ chains_created: 0, total_participants: 0, chains: [] });
    expect(second).toEqual(first);
  });

  it('runs a pass every call when the interval is 0', async () => {
    const { chains, improve } = service(0);
    await chains.discover(caller, {});
    await chains.discover(caller, {});
    expect(improve).toHaveBeenCalledTimes(2);
  });

  it('refuses an anonymous call and min > max before any pass', async () => {
    const { chains, improve } = service(0);
    await expect(chains.discover(undefined, {})).rejects.toMatchObject({ errorType: 'unauthorized' });
    await expect(chains.discover(caller, { min_participants: 5, max_participants: 3 })).rejects.toMatchObject({ errorType: 'validation_error' });
    expect(improve).not.toHaveBeenCalled();
  });
});
