import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DomainError,
  requireCaller,
  isStaff,
  type Caller,
  type MatchingStatusView,
  type RunPipelineRequest,
  type RunPipelineResult,
  type TestFlowRequest,
  type TestFlowResult,
} from '@app/contracts';
import { EngineHost } from '../engine/engine-host';
import { ExchangesRepository } from '../exchanges/exchanges.repository';
import { runTestFlow } from './test-flow';

/** The engine matches continuously; a pipeline run is one extra re-planning pass plus the counts. */
@Injectable()
export class PipelineService {
  constructor(
    private readonly host: EngineHost,
    private readonly exchanges: ExchangesRepository,
    private readonly dataSource: DataSource,
  ) {}

  async run(maybeCaller: Caller | undefined, request: RunPipelineRequest): Promise<RunPipelineResult> {
    const caller = requireCaller(maybeCaller);
    const userId = request.user_id ?? null;
    if (userId === null && !isStaff(caller.role)) throw DomainError.forbidden('Running the pipeline for everyone needs the admin role; pass your own user_id');
    if (userId !== null && userId !== caller.id && !isStaff(caller.role)) throw DomainError.forbidden('user_id must be your own user id');
    const started = new Date();
    const errors: string[] = [];
    try {
      await this.host.improve(userId === null ? 1000 : 200);
    } catch (error) {
      errors.push(`re-planning failed: ${(error as Error).message}`);
    }
    const counts = await this.exchanges.liveCounts(userId ?? undefined);
    const result = { bilateral_matches: counts.bilateral, exchange_chains: counts.chains, total_participants: counts.participants, errors };
    await this.dataSource.query(
      `INSERT INTO pipeline_runs (scope_user_id, started_at, bilateral_matches, exchange_chains, total_participants, status, errors) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [userId, started, result.bilateral_matches, result.exchange_chains, result.total_participants, errors.length ? 'error' : 'success', JSON.stringify(errors)],
    );
    return result;
  }

  async status(): Promise<MatchingStatusView> {
    const [last] = await this.dataSource.query(`SELECT finished_at, status FROM pipeline_runs ORDER BY id DESC LIMIT 1`);
    const [notified] = await this.dataSource.query(`SELECT value FROM counters WHERE name = 'participants_notified'`);
    const counts = await this.exchanges.liveCounts();
    return {
      last_run: last ? (last.finished_at as Date).toISOString() : null,
      bilateral_matches: counts.bilateral,
      chains_discovered: counts.chains,
      participants_notified: Number(notified?.value ?? 0),
      status: last ? last.status : 'never_run',
    };
  }

  testFlow(request: TestFlowRequest): TestFlowResult {
    return runTestFlow(request.scenario);
  }
}
