import { Transform } from 'class-transformer';
import { envBoolean } from '@app/common';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';


export class IdentityConfig {
  @IsString() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsString() DATABASE_URL: string;
  /** Probes and metrics. */
  @IsInt() @Min(0) @Max(65535) IDENTITY_HTTP_PORT: number = 8001;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL: string = 'info';
  @Transform(envBoolean) @IsBoolean() MIGRATIONS_RUN: boolean = true;
  @Transform(envBoolean) @IsBoolean() OUTBOX_RELAY_ENABLED: boolean = true;

  /** Ed25519 private key (PKCS#8 PEM). Only identity holds it. */
  @IsString() @MinLength(40) JWT_PRIVATE_KEY: string;
  @IsString() JWT_KEY_ID: string = 'freemarket-1';
  @IsString() JWT_ISSUER: string = 'freemarket-identity';
  @IsString() JWT_AUDIENCE: string = 'freemarket';
  @IsInt() @Min(60) ACCESS_TOKEN_TTL_SECONDS: number = 900;
  @IsInt() @Min(1) REFRESH_TOKEN_TTL_DAYS: number = 7;

  /** argon2id cost (OWASP minimum: 19 MiB, 2 passes, 1 lane). */
  @IsInt() @Min(19456) ARGON2_MEMORY_KIB: number = 19456;
  @IsInt() @Min(2) ARGON2_TIME_COST: number = 2;

  /** Bootstrap admin, created at start when absent. */
  @IsOptional() @IsEmail() ADMIN_EMAIL?: string;
  @IsOptional() @IsString() @MinLength(8) ADMIN_PASSWORD?: string;
  @IsString() ADMIN_USERNAME: string = 'admin';
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
