import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions, type NestMicroservice } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { Readiness } from '@app/common';
import { createValidationPipe, RpcCorrelationInterceptor, RpcErrorFilter } from './rpc-server';

export interface ServiceBootstrapOptions {
  /** Also the NATS queue group: replicas of one service share its requests. */
  name: string;
  natsUrl: string;
  httpPort: number;
  httpHost?: string;
}

/**
 * Starts a service: NATS request/reply handlers in the service's queue group, plus a
 * small HTTP server for liveness, readiness and metrics (Kubernetes probes, Prometheus).
 */
export async function bootstrapService(module: unknown, options: ServiceBootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.NATS,
      options: { servers: options.natsUrl.split(','), queue: options.name, name: `${options.name}-rpc`, maxReconnectAttempts: -1 },
    },
    // Deferred so the pipes, filters and interceptors below are in place before handlers bind.
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalPipes(createValidationPipe());
  microservice.useGlobalFilters(new RpcErrorFilter());
  microservice.useGlobalInterceptors(new RpcCorrelationInterceptor());
  // Lifecycle hooks run once, here, for the whole hybrid app: without this the
  // microservice runs them on start and app.listen() runs them again.
  (microservice as NestMicroservice).setIsInitHookCalled(true);
  await app.init();
  await app.startAllMicroservices();
  await app.listen(options.httpPort, options.httpHost ?? '0.0.0.0');
  return app;
}

/** Graceful stop: report not-ready, stop taking work, finish in-flight work, exit. */
export function installSignalHandlers(app: INestApplication, logger: { info: (msg: string) => void }): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: shutting down`);
    app.get(Readiness).markShuttingDown();
    app
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
