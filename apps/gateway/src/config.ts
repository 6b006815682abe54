import { Transform } from 'class-transformer';
import { envBoolean } from '@app/common';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';


export class GatewayConfig {
  @IsInt() @Min(0) @Max(65535) PORT: number = 8000;
  @IsString() HOST: string = '0.0.0.0';
  @IsString() NATS_URL: string = 'nats://127.0.0.1:4222';
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL: string = 'info';
  /** Request/reply timeout towards services; past it the client gets 504. */
  @IsInt() @Min(100) RPC_TIMEOUT_MS: number = 5000;

  /** Ed25519 public key (SPKI PEM) matching identity's private key. */
  @IsString() @MinLength(40) JWT_PUBLIC_KEY: string;
  @IsString() JWT_ISSUER: string = 'freemarket-identity';
  @IsString() JWT_AUDIENCE: string = 'freemarket';
  @IsInt() @Min(60) ACCESS_TOKEN_TTL_SECONDS: number = 900;

  /** Comma-separated allowed origins for browsers (credentials allowed), or `*` for none-credentialed any. */
  @IsString() CORS_ORIGINS: string = 'http://localhost:3000,http://localhost:5173,http://localhost:8000';
  @Transform(envBoolean) @IsBoolean() COOKIE_SECURE: boolean = true;
  @IsString() BODY_LIMIT: string = '1mb';
  /** Express `trust proxy`: how many proxy hops set X-Forwarded-For (0 = none). */
  @IsInt() @Min(0) TRUST_PROXY_HOPS: number = 0;

  /** Requests per minute per address on /auth/*. */
  @IsInt() @Min(1) AUTH_RATE_LIMIT_PER_MINUTE: number = 60;
  /** Failed logins per address in LOGIN_FAILURE_WINDOW_SECONDS before 429. */
  @IsInt() @Min(1) LOGIN_FAILURE_LIMIT: number = 10;
  @IsInt() @Min(1) LOGIN_FAILURE_WINDOW_SECONDS: number = 900;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
