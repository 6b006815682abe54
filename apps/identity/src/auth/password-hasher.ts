import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';

/** argon2id behind an injectable, so rules can be tested without the real cost. */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.HashOptions & { raw?: false };
  private dummyHash: Promise<string> | undefined;

  constructor(@Inject(IDENTITY_CONFIG) config: IdentityConfig) {
    this.options = { type: argon2.argon2id, memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: 1 };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    if (!hash) {
      // Spend the same time as a real check, so response time does not reveal unknown accounts.
      this.dummyHash ??= this.hash('not-a-real-password');
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return argon2.verify(hash, password).catch(() => false);
  }
}
