import type { INestApplication } from '@nestjs/common';
import { createRootLogger, loadConfig, type Env } from '@app/common';
import { bootstrapService } from '@app/messaging';
import { ListingsConfig } from './config';
import { ListingsModule } from './listings.module';

/** Builds and starts the listings service from an environment (process.env in production, a test's in tests). */
export async function startListings(env: Env = process.env): Promise<INestApplication> {
  const config = loadConfig(ListingsConfig, env);
  const logger = createRootLogger('listings', config.LOG_LEVEL);
  return bootstrapService(ListingsModule.forRoot(config, logger), { name: 'listings', natsUrl: config.NATS_URL, httpPort: config.LISTINGS_HTTP_PORT });
}
