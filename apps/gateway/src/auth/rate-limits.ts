import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError, ErrorType } from '@app/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import type { GatewayRequest } from './caller';

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number, detail: string) {
    super(ErrorType.rateLimited, detail);
  }
}

/**
 * Two limits on /auth/*, per client address (rate-limiter-flexible, in memory per
 * replica): a generous request rate that normal use never reaches, and a budget of
 * failed logins; a burst of bad passwords from one address is refused with 429.
 */
@Injectable()
export class AuthRateLimits {
  private readonly requests: RateLimiterMemory;
  private readonly failedLogins: RateLimiterMemory;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.requests = new RateLimiterMemory({ keyPrefix: 'auth', points: config.AUTH_RATE_LIMIT_PER_MINUTE, duration: 60 });
    this.failedLogins = new RateLimiterMemory({ keyPrefix: 'login-fail', points: config.LOGIN_FAILURE_LIMIT, duration: config.LOGIN_FAILURE_WINDOW_SECONDS });
  }

  async countRequest(address: string): Promise<void> {
    try {
      await this.requests.consume(address);
    } catch (result) {
      throw limited(result, 'Too many requests to /auth; slow down');
    }
  }

  /** Refuses a login attempt while the address has used up its failure budget. */
  async assertLoginAllowed(address: string): Promise<void> {
    const state = await this.failedLogins.get(address);
    if (state && state.consumedPoints >= this.failedLogins.points) throw limited(state, 'Too many failed logins; try again later');
  }

  async recordFailedLogin(address: string): Promise<void> {
    await this.failedLogins.penalty(address, 1);
  }
}

function limited(result: unknown, detail: string): RateLimitedError {
  const ms = result instanceof RateLimiterRes ? result.msBeforeNext : 60_000;
  return new RateLimitedError(Math.max(1, Math.ceil(ms / 1000)), detail);
}

@Injectable()
export class AuthRateLimitMiddleware implements NestMiddleware {
  constructor(private readonly limits: AuthRateLimits) {}

  use(req: GatewayRequest, _res: Response, next: NextFunction): void {
    this.limits
      .countRequest(req.ip ?? 'unknown')
      .then(() => next())
      .catch(next);
  }
}
