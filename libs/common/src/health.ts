import { Controller, Get, Header, HttpCode, HttpException, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Public } from './public';

export type ReadinessCheck = () => Promise<void> | void;

/** Components register what must work for the app to take traffic. */
@Injectable()
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async report(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    let ready = !this.shuttingDown;
    if (this.shuttingDown) checks.shutdown = 'in progress';
    for (const [name, check] of this.checks) {
      try {
        await check();
        checks[name] = 'ok';
      } catch (error) {
        ready = false;
        checks[name] = error instanceof Error ? error.message : 'failed';
      }
    }
    return { ready, checks };
  }
}

@Injectable()
export class Metrics {
  readonly registry = new Registry();
  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

@ApiExcludeController()
@Public()
@Controller()
export class OpsController {
  constructor(
    private readonly readiness: Readiness,
    private readonly metrics: Metrics,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @HttpCode(200)
  async ready(): Promise<{ status: string; checks: Record<string, string> }> {
    const report = await this.readiness.report();
    if (!report.ready) {
      throw new HttpException({ detail: 'Not ready', status_code: 503, error_type: 'service_unavailable', checks: report.checks }, 503);
    }
    return { status: 'ready', checks: report.checks };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
