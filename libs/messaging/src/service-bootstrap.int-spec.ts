import { Injectable, Module, type INestApplication, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { LoggingModule, OpsModule, createRootLogger } from '@app/common';
import { bootstrapService } from './service-bootstrap';

/** Counts the lifecycle hooks Nest runs on it. */
@Injectable()
class HookCounter implements OnModuleInit, OnApplicationBootstrap {
  static moduleInit = 0;
  static bootstrap = 0;
  onModuleInit(): void {
    HookCounter.moduleInit += 1;
  }
  onApplicationBootstrap(): void {
    HookCounter.bootstrap += 1;
  }
}

@Module({ imports: [LoggingModule.forRoot(createRootLogger('probe-boot', 'silent'), { httpRequests: false }), OpsModule], providers: [HookCounter] })
class ProbeModule {}

describe('bootstrapService (HTTP + NATS hybrid app)', () => {
  let app: INestApplication | undefined;
  afterAll(async () => {
    await app?.close();
  });

  it('runs each lifecycle hook once (a service loads its state and starts its consumers once)', async () => {
    app = await bootstrapService(ProbeModule, { name: 'probe-boot', natsUrl: process.env.TEST_NATS_URL!, httpPort: 0, httpHost: '127.0.0.1' });
    expect(HookCounter.moduleInit).toBe(1);
    expect(HookCounter.bootstrap).toBe(1);
  });
});
