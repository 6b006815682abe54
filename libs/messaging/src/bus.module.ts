import { DynamicModule, Module } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { BUS_CLIENT_PROXY, BUS_OPTIONS, BusClient } from './bus.client';

export interface BusModuleOptions {
  natsUrl: string;
  timeoutMs: number;
  name: string;
}

/** Request/reply client for the gateway (and any app that asks another service one thing). */
@Module({})
export class BusModule {
  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS_OPTIONS, useValue: { timeoutMs: options.timeoutMs } },
        {
          provide: BUS_CLIENT_PROXY,
          useFactory: async () => {
            const proxy = ClientProxyFactory.create({
              transport: Transport.NATS,
              options: { servers: options.natsUrl.split(','), name: `${options.name}-rpc`, maxReconnectAttempts: -1 },
            });
            await proxy.connect();
            return proxy;
          },
        },
        BusClient,
      ],
      exports: [BusClient],
    };
  }
}
