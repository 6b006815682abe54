import { Transform } from 'class-transformer';
import { envBoolean } from '@app/common';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min } from 'class-validator';

export class MatchingConfig {
  @IsString() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsString() DATABASE_URL: string;
  /** Probes and metrics. */
  @IsInt() @Min(0) @Max(65535) MATCHING_HTTP_PORT: number = 8003;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL: string = 'info';
  @Transform(envBoolean) @IsBoolean() MIGRATIONS_RUN: boolean = true;
  @Transform(envBoolean) @IsBoolean() OUTBOX_RELAY_ENABLED: boolean = true;
  @IsInt() @Min(1) @Max(200) MATCHING_DB_POOL_SIZE: number = 20;
  /** How often the engine re-plans neighbourhoods of unmatched items (`improve()`); 0 turns it off. */
  @IsInt() @Min(0) MATCHING_IMPROVE_INTERVAL_MS: number = 60_000;
  /**
   * Time budget of one periodic `improve()` pass (the engine is held meanwhile, changes wait; the process
   * goes on answering: the pass yields every few ms). From 1 s up, half of it
   * goes to the LP planner when MATCHING_LP_IMPROVE is on (bench: 10k items 437-487 traded instead of 403-407).
   */
  @IsInt() @Min(1) @Max(60_000) MATCHING_IMPROVE_BUDGET_MS: number = 2_000;
  /** Load the LP solver (HiGHS, WebAssembly) at boot for the engine's improve() passes. */
  @Transform(envBoolean) @IsBoolean() MATCHING_LP_IMPROVE: boolean = true;
  /**
   * POST/GET /api/chains/discover runs a re-planning pass (MATCHING_DISCOVER_BUDGET_MS, holding the
   * engine) at most once per this interval; calls in between report the live chains without one.
   * Any signed-in user may call discover, so this keeps it from stalling event processing.
   */
  @IsInt() @Min(0) MATCHING_DISCOVER_MIN_INTERVAL_MS: number = 10_000;
  /** Time budget of the pass a discover call runs. */
  @IsInt() @Min(1) @Max(60_000) MATCHING_DISCOVER_BUDGET_MS: number = 500;
  /** Most people in one chain (DESIGN §5.4). */
  @IsInt() @Min(2) @Max(10) MATCHING_MAX_PARTICIPANTS: number = 10;
}

export const MATCHING_CONFIG = Symbol('MATCHING_CONFIG');
