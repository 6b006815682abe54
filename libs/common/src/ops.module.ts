import { Global, Module } from '@nestjs/common';
import { Metrics, OpsController, Readiness } from './health';

/** Liveness, readiness and /metrics for every app. */
@Global()
@Module({ providers: [Readiness, Metrics], controllers: [OpsController], exports: [Readiness, Metrics] })
export class OpsModule {}
