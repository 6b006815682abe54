import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../pagination';
import { upper } from '../transforms';

/**
 * ── NEVER CHANGE ────────────────────────────────────────────────────────────
 * Exchange ids: `mutual_{a}_{b}_{x}_{y}` (user a gives item x, user b gives item y,
 * a < b) and `chain_{id}`. A bare number is taken as a chain id (the contract's
 * `/api/chains/{chain_id}` uses integers). Chat, reviews and history use the same ids.
 * ─────────────────────────────────────────────────────────────────────────────
 */
export const EXCHANGE_ID_PATTERN = /^(mutual_\d{1,10}_\d{1,10}_\d{1,10}_\d{1,10}|chain_\d{1,10}|\d{1,10})$/;
const EXCHANGE_ID_MESSAGE = 'exchange id must look like mutual_{a}_{b}_{x}_{y}, chain_{id} or a chain number';

export const MIN_CHAIN_PARTICIPANTS = 2;
export const MAX_CHAIN_PARTICIPANTS = 10;

export class ExchangeIdCommand {
  @IsString() @MaxLength(60) @Matches(EXCHANGE_ID_PATTERN, { message: EXCHANGE_ID_MESSAGE })
  exchange_id: string;
}

/** `POST /exchanges/{id}/confirm?confirmer_user_id=` (the query is optional; if given it must be the caller). */
export class ConfirmQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt({ message: 'confirmer_user_id must be an integer' }) @Min(1)
  confirmer_user_id?: number;
}

export class ConfirmExchangeCommand extends ConfirmQuery {
  @IsString() @MaxLength(60) @Matches(EXCHANGE_ID_PATTERN, { message: EXCHANGE_ID_MESSAGE })
  exchange_id: string;
}

export class DiscoverChainsRequest {
  @ApiPropertyOptional({ minimum: MIN_CHAIN_PARTICIPANTS, maximum: MAX_CHAIN_PARTICIPANTS, default: 3 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'min_participants must be an integer' })
  @Min(MIN_CHAIN_PARTICIPANTS, { message: `min_participants must be at least ${MIN_CHAIN_PARTICIPANTS}` })
  @Max(MAX_CHAIN_PARTICIPANTS, { message: `min_participants must be at most ${MAX_CHAIN_PARTICIPANTS}` })
  min_participants?: number;

  @ApiPropertyOptional({ minimum: MIN_CHAIN_PARTICIPANTS, maximum: MAX_CHAIN_PARTICIPANTS, default: 10 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'max_participants must be an integer' })
  @Min(MIN_CHAIN_PARTICIPANTS, { message: `max_participants must be at least ${MIN_CHAIN_PARTICIPANTS}` })
  @Max(MAX_CHAIN_PARTICIPANTS, { message: `max_participants must be at most ${MAX_CHAIN_PARTICIPANTS}` })
  max_participants?: number;
}

export const EXCHANGE_STATUSES = ['pending', 'accepted', 'completed', 'cancelled'] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

export class ChainsListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EXCHANGE_STATUSES })
  @IsOptional() @IsIn(EXCHANGE_STATUSES, { message: `status must be one of: ${EXCHANGE_STATUSES.join(', ')}` })
  status?: ExchangeStatus;
}

export class ChainsOfUserCommand extends ChainsListQuery {
  @IsInt() @Min(1)
  user_id: number;
}

export class ChainActionRequest {
  @ApiPropertyOptional({ description: 'If given, must be the caller' })
  @IsOptional() @IsInt({ message: 'user_id must be an integer' }) @Min(1)
  user_id?: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}

export class ChainActionCommand extends ChainActionRequest {
  @IsString() @MaxLength(60) @Matches(EXCHANGE_ID_PATTERN, { message: EXCHANGE_ID_MESSAGE })
  chain_id: string;
}

export const HISTORY_STATUSES = ['COMPLETED', 'ACTIVE', 'CANCELLED'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

export class HistoryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: HISTORY_STATUSES })
  @IsOptional() @Transform(upper) @IsIn(HISTORY_STATUSES, { message: `status must be one of: ${HISTORY_STATUSES.join(', ')}` })
  status?: HistoryStatus;
}

export const EXPORT_FORMATS = ['JSON', 'CSV'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class HistoryExportQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'JSON' })
  @IsOptional() @Transform(upper) @IsIn(EXPORT_FORMATS, { message: 'format must be JSON or CSV' })
  format?: ExportFormat;

  @ApiPropertyOptional({ example: '2025-11-01' })
  @IsOptional() @IsISO8601({}, { message: 'start_date must be an ISO date' })
  start_date?: string;

  @ApiPropertyOptional({ example: '2025-11-30' })
  @IsOptional() @IsISO8601({}, { message: 'end_date must be an ISO date' })
  end_date?: string;
}

export class RunPipelineRequest {
  @ApiPropertyOptional({ nullable: true, description: 'null = everyone (staff only); otherwise your own id' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt({ message: 'user_id must be an integer or null' }) @Min(1)
  user_id?: number | null;
}

export const TEST_FLOW_SCENARIOS = ['bilateral', 'chains', 'locations', 'scoring', 'full'] as const;
export type TestFlowScenario = (typeof TEST_FLOW_SCENARIOS)[number];

export class TestFlowRequest {
  @ApiProperty({ enum: TEST_FLOW_SCENARIOS })
  @IsIn(TEST_FLOW_SCENARIOS, { message: `scenario must be one of: ${TEST_FLOW_SCENARIOS.join(', ')}` })
  scenario: TestFlowScenario;
}
