import { Transform } from 'class-transformer';
import { envBoolean } from '@app/common';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min } from 'class-validator';


export class ListingsConfig {
  @IsString() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsString() DATABASE_URL: string;
  /** Probes and metrics. */
  @IsInt() @Min(0) @Max(65535) LISTINGS_HTTP_PORT: number = 8002;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL: string = 'info';
  @Transform(envBoolean) @IsBoolean() MIGRATIONS_RUN: boolean = true;
  @Transform(envBoolean) @IsBoolean() OUTBOX_RELAY_ENABLED: boolean = true;
  /** Database connections of this replica (lists and search are read-heavy). */
  @IsInt() @Min(1) @Max(200) LISTINGS_DB_POOL_SIZE: number = 20;
}
