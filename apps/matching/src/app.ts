import type { INestApplication } from '@nestjs/common';
import { createRootLogger, loadConfig, type Env } from '@app/common';
import { bootstrapService } from '@app/messaging';
import { MatchingConfig } from './config';
import { MatchingModule } from './matching.module';

/** Builds and starts the matching service from an environment (process.env in production, a test's in tests). */
export async function startMatching(env: Env = process.env): Promise<INestApplication> {
  const config = loadConfig(MatchingConfig, env);
  const logger = createRootLogger('matching', config.LOG_LEVEL);
  return bootstrapService(MatchingModule.forRoot(config, logger), { name: 'matching', natsUrl: config.NATS_URL, httpPort: config.MATCHING_HTTP_PORT });
}
