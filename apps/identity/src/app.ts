import type { INestApplication } from '@nestjs/common';
import { createRootLogger, loadConfig, type Env } from '@app/common';
import { bootstrapService } from '@app/messaging';
import { IdentityConfig } from './config';
import { IdentityModule } from './identity.module';

/** Builds and starts the identity service from an environment (process.env in production, a test's in tests). */
export async function startIdentity(env: Env = process.env): Promise<INestApplication> {
  const config = loadConfig(IdentityConfig, env);
  const logger = createRootLogger('identity', config.LOG_LEVEL);
  return bootstrapService(IdentityModule.forRoot(config, logger), { name: 'identity', natsUrl: config.NATS_URL, httpPort: config.IDENTITY_HTTP_PORT });
}
