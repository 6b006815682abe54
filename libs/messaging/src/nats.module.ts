import { DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { Readiness } from '@app/common';
import { connectNats, ensureEventsStream } from './jetstream';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

export interface NatsModuleOptions {
  url: string;
  name: string;
}

class NatsCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}
  async onApplicationShutdown(): Promise<void> {
    // drain() lets in-flight publishes and subscriptions finish before closing.
    await this.nc.drain().catch(() => this.nc.close());
  }
}

/** The app's own NATS connection for JetStream and real-time subjects. */
@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsModuleOptions): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        {
          provide: NATS_CONNECTION,
          inject: [Readiness],
          useFactory: async (readiness: Readiness) => {
            const nc = await connectNats(options.url, options.name);
            await ensureEventsStream(nc);
            readiness.register('nats', () => {
              if (nc.isClosed()) throw new Error('nats connection closed');
            });
            return nc;
          },
        },
        NatsCloser,
      ],
      exports: [NATS_CONNECTION],
    };
  }
}
