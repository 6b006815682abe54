import { DynamicModule, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { Logger } from 'pino';
import { LoggingModule, OpsModule } from '@app/common';
import { BusModule, createValidationPipe, NatsModule } from '@app/messaging';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { DenyList } from './auth/deny-list';
import { AuthRateLimitMiddleware, AuthRateLimits } from './auth/rate-limits';
import { TokenVerifier } from './auth/token-verifier';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { HealthController } from './health/health.controller';
import { HttpErrorFilter } from './http/http-error.filter';
import { UserCabinetController, UsersController } from './users/users.controller';
import { CabinetController } from './cabinet/cabinet.controller';
import { CategoriesController } from './listings/categories.controller';
import { ListingsController, ListingUpdateController } from './listings/listings.controller';
import { MATCHING_CONTROLLERS } from './matching/matching.controller';

@Module({})
export class GatewayModule implements NestModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        LoggingModule.forRoot(logger, { httpRequests: true }),
        OpsModule,
        NatsModule.forRoot({ url: config.NATS_URL, name: 'gateway' }),
        BusModule.forRoot({ natsUrl: config.NATS_URL, timeoutMs: config.RPC_TIMEOUT_MS, name: 'gateway' }),
      ],
      controllers: [HealthController, AuthController, UsersController, UserCabinetController, CategoriesController, ListingsController, ListingUpdateController, CabinetController, ...MATCHING_CONTROLLERS],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        DenyList,
        TokenVerifier,
        AuthRateLimits,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthRateLimitMiddleware).forRoutes({ path: 'auth/*path', method: RequestMethod.ALL });
  }
}
