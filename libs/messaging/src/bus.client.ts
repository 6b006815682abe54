import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import {
  DomainError,
  ErrorType,
  isRpcErrorEnvelope,
  type RpcContext,
  type RpcMap,
  type RpcRequest,
  type RpcRequestOf,
  type RpcResponseOf,
} from '@app/contracts';

export const BUS_CLIENT_PROXY = Symbol('BUS_CLIENT_PROXY');
export const BUS_OPTIONS = Symbol('BUS_OPTIONS');

export interface BusOptions {
  timeoutMs: number;
}

/**
 * Typed request/reply over NATS. `send(subject, data, ctx)` checks the payload and the
 * reply against `RpcMap`; every call has a timeout; remote failures come back as DomainError.
 */
@Injectable()
export class BusClient implements OnApplicationShutdown {
  private readonly logger = new Logger(BusClient.name);

  constructor(
    @Inject(BUS_CLIENT_PROXY) private readonly proxy: ClientProxy,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
  ) {}

  async send<S extends keyof RpcMap>(subject: S, data: RpcRequestOf<S>, ctx: RpcContext, timeoutMs = this.options.timeoutMs): Promise<RpcResponseOf<S>> {
    const request: RpcRequest<RpcRequestOf<S>> = { ctx, data };
    try {
      return await firstValueFrom(this.proxy.send<RpcResponseOf<S>>(subject, request).pipe(timeout(timeoutMs)));
    } catch (error) {
      throw this.toDomainError(subject, error, ctx);
    }
  }

  private toDomainError(subject: string, error: unknown, ctx: RpcContext): DomainError {
    if (error instanceof DomainError) return error;
    if (isRpcErrorEnvelope(error)) return DomainError.fromEnvelope(error);
    // NATS says at once when nobody listens on the subject (every replica down): to the
    // client that is the same as a service that does not answer.
    if (isNoResponders(error)) {
      this.logger.warn({ subject, correlation_id: ctx.correlation_id }, 'no replica of the service is listening');
      return new DomainError(ErrorType.timeout, 'The service did not answer');
    }
    if (error instanceof TimeoutError) {
      this.logger.warn({ subject, correlation_id: ctx.correlation_id }, 'service did not answer in time');
      return new DomainError(ErrorType.timeout, 'The service did not answer in time');
    }
    this.logger.error({ subject, correlation_id: ctx.correlation_id, err: error }, 'request failed');
    return new DomainError(ErrorType.serviceUnavailable, 'The service is unavailable');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
  }
}

function isNoResponders(error: unknown): boolean {
  const e = error as { code?: string | number; message?: string; name?: string; constructor?: { name?: string } } | undefined;
  return (
    !!e &&
    (e.constructor?.name === 'EmptyResponseException' || /no subscribers listening|no responders/i.test(String(e.message ?? '')) || e.code === '503' || e.code === 503)
  );
}
