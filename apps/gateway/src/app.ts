import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, urlencoded, type NextFunction, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { createRootLogger, CORRELATION_HEADER, loadConfig, type Env } from '@app/common';
import { GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import type { GatewayRequest } from './auth/caller';
import { sendError } from './http/http-error.filter';

/** Builds and starts the gateway from an environment (process.env in production, a test's in tests). */
export async function startGateway(env: Env = process.env): Promise<INestApplication> {
  const config = loadConfig(GatewayConfig, env);
  const logger = createRootLogger('gateway', config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config, logger), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cookieParser());
  app.use(json({ limit: config.BODY_LIMIT }));
  app.use(urlencoded({ extended: false, limit: config.BODY_LIMIT }));
  // Body-parser failures never reach Nest's filters: answer them here, in the same envelope.
  app.use((error: unknown, req: GatewayRequest, res: Response, next: NextFunction) => (error ? sendError(error, req, res) : next()));
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  app.enableCors(
    origins.includes('*')
      ? { origin: true, credentials: false }
      : { origin: origins, credentials: true, exposedHeaders: [CORRELATION_HEADER, 'Retry-After'] },
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('FreeMarket API')
      .setDescription('Barter and mutual-aid exchange platform. Contract: freemarket-api v2.2')
      .setVersion('2.2')
      .addBearerAuth()
      .addCookieAuth('refresh_token')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.listen(config.PORT, config.HOST);
  return app;
}
