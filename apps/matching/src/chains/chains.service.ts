import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_LIMIT,
  DomainError,
  requireCaller,
  isStaff,
  type Caller,
  type ChainsListQuery,
  type ChainsOfUserCommand,
  type ChainsPage,
  type ChainView,
  type DiscoverChainsRequest,
  type DiscoverChainsResult,
} from '@app/contracts';
import type { ProposalChanges } from '@app/matching-engine';
import { MATCHING_CONFIG, type MatchingConfig } from '../config';
import { EngineHost } from '../engine/engine-host';
import { groupByExchange } from '../exchanges/exchange.mapper';
import { ExchangesRepository, type ExchangeRow } from '../exchanges/exchanges.repository';

@Injectable()
export class ChainsService {
  /** When the last re-planning pass a discover call ran started (ms since the epoch). */
  private lastPassAt = -Infinity;

  constructor(
    private readonly exchanges: ExchangesRepository,
    private readonly host: EngineHost,
    @Inject(MATCHING_CONFIG) private readonly config: Pick<MatchingConfig, 'MATCHING_DISCOVER_MIN_INTERVAL_MS' | 'MATCHING_DISCOVER_BUDGET_MS'>,
  ) {}

  /**
   * Chains are found continuously (every item change); a manual discovery runs one
   * re-planning pass (at most one per MATCHING_DISCOVER_MIN_INTERVAL_MS, whoever asks)
   * and reports the live chains within the size range.
   */
  async discover(maybeCaller: Caller | undefined, request: DiscoverChainsRequest): Promise<DiscoverChainsResult> {
    requireCaller(maybeCaller);
    const min = request.min_participants ?? 3;
    const max = request.max_participants ?? 10;
    if (min > max) throw DomainError.validation('min_participants must not exceed max_participants', [{ field: 'min_participants', message: 'must not exceed max_participants' }]);
    const changes = await this.replanPass();
    const rows = await this.exchanges.liveChains();
    const parts = groupByExchange(await this.exchanges.participants(rows.map((r) => r.id)));
    const chains = rows
      .map((r) => ({ row: r, parts: parts.get(r.id) ?? [] }))
      .filter(({ parts: p }) => p.length >= min && p.length <= max)
      .map(({ row, parts: p }) => ({ id: row.seq, exchange_id: row.id, participants: p.length, items: p.map((x) => x.gives_item_id), score: round(row.score) }));
    return {
      chains_created: changes.created.filter((p) => p.kind === 'CHAIN' && p.participants.length >= min && p.participants.length <= max).length,
      total_participants: chains.reduce((n, c) => n + c.participants, 0),
      chains,
    };
  }

  private replanPass(): Promise<ProposalChanges> {
    const now = Date.now();
    if (now - this.lastPassAt < this.config.MATCHING_DISCOVER_MIN_INTERVAL_MS) return Promise.resolve({ created: [], cancelled: [] });
    this.lastPassAt = now;
    return this.host.improve(this.config.MATCHING_DISCOVER_BUDGET_MS);
  }

  list(query: ChainsListQuery): Promise<ChainsPage> {
    return this.page({ status: query.status }, query.skip ?? 0, query.limit ?? DEFAULT_LIMIT);
  }

  ofUser(maybeCaller: Caller | undefined, cmd: ChainsOfUserCommand): Promise<ChainsPage> {
    const caller = requireCaller(maybeCaller);
    if (cmd.user_id !== caller.id && !isStaff(caller.role)) throw DomainError.forbidden('You can only list your own chains');
    return this.page({ status: cmd.status, userId: cmd.user_id }, cmd.skip ?? 0, cmd.limit ?? DEFAULT_LIMIT);
  }

  private async page(filter: { status?: ExchangeRow['status']; userId?: number }, skip: number, limit: number): Promise<ChainsPage> {
    const { rows, total } = await this.exchanges.chains(filter, skip, limit);
    const parts = groupByExchange(await this.exchanges.participants(rows.map((r) => r.id)));
    const items: ChainView[] = rows.map((row) => {
      const p = parts.get(row.id) ?? [];
      return {
        id: row.seq,
        exchange_id: row.id,
        kind: row.kind,
        participants: p.map((x) => x.username),
        participant_ids: p.map((x) => x.user_id),
        items: p.map((x) => x.gives_item_id),
        status: row.status,
        score: round(row.score),
        created_at: row.created_at.toISOString(),
      };
    });
    return { items, total, skip, limit };
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
