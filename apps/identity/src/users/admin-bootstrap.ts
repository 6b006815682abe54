import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Role } from '@app/contracts';
import { TransactionRunner } from '@app/messaging';
import { PasswordHasher } from '../auth/password-hasher';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Creates the bootstrap admin from ADMIN_EMAIL / ADMIN_PASSWORD when it does not exist yet. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly transactions: TransactionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (email && password) await this.ensureAdmin(email.toLowerCase(), password);
  }

  async ensureAdmin(email: string, password: string): Promise<void> {
    if (await this.users.findAdmin(email)) return;
    const hash = await this.hasher.hash(password);
    try {
      await this.transactions.run((tx) =>
        this.usersService.insertUser(tx, {
          username: this.config.ADMIN_USERNAME,
          email,
          password_hash: hash,
          role: Role.admin,
          full_name: 'Administrator',
          is_verified: true,
          email_verified: true,
        }),
      );
      this.logger.log({ email }, 'bootstrap admin created');
    } catch (error) {
      // A replica starting at the same moment created it first.
      if (!(await this.users.findAdmin(email))) throw error;
    }
  }
}
