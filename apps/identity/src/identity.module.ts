import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggingModule, OpsModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { InboxRecord, messagingTablesMigration, NatsModule, OutboxModule, OutboxRecord } from '@app/messaging';
import { AuthHandler } from './auth/auth.handler';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/password-hasher';
import { RefreshTokenEntity, SessionEntity } from './auth/session.entity';
import { SessionsRepository } from './auth/sessions.repository';
import { TokenSigner } from './auth/token-signer';
import { IDENTITY_CONFIG, type IdentityConfig } from './config';
import { IdentityInit1763800000100 } from './migrations/1763800000100-identity-init';
import { AdminBootstrap } from './users/admin-bootstrap';
import { UserEntity } from './users/user.entity';
import { UsersHandler } from './users/users.handler';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

export const IDENTITY_SCHEMA = 'identity';
export const identityMigrations = [messagingTablesMigration(IDENTITY_SCHEMA), IdentityInit1763800000100];
export const identityEntities = [UserEntity, SessionEntity, RefreshTokenEntity, OutboxRecord, InboxRecord];

@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig, logger: Logger): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        LoggingModule.forRoot(logger, { httpRequests: false }),
        OpsModule,
        DatabaseModule.forService({
          schema: IDENTITY_SCHEMA,
          url: config.DATABASE_URL,
          entities: identityEntities,
          migrations: identityMigrations,
          runMigrations: config.MIGRATIONS_RUN,
          applicationName: 'identity',
        }),
        NatsModule.forRoot({ url: config.NATS_URL, name: 'identity' }),
        OutboxModule.forRoot({ producer: 'identity', relayEnabled: config.OUTBOX_RELAY_ENABLED, pollIntervalMs: 1000, batchSize: 100, retentionHours: 168 }),
      ],
      controllers: [UsersHandler, AuthHandler],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        UsersRepository,
        UsersService,
        SessionsRepository,
        PasswordHasher,
        TokenSigner,
        AuthService,
        AdminBootstrap,
      ],
    };
  }
}
