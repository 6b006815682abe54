import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import type { Role } from '@app/contracts';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';

export const ACCESS_TOKEN_ALG = 'EdDSA';

/** Signs access tokens with the private key only identity holds; makes opaque refresh tokens. */
@Injectable()
export class TokenSigner {
  private key: Promise<CryptoKey> | undefined;

  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {}

  get accessTtlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  get refreshTtlMs(): number {
    return this.config.REFRESH_TOKEN_TTL_DAYS * 24 * 3600 * 1000;
  }

  async signAccess(userId: number, role: Role, sessionId: string): Promise<string> {
    this.key ??= importPKCS8(this.config.JWT_PRIVATE_KEY.replace(/\\n/g, '\n'), ACCESS_TOKEN_ALG);
    return new SignJWT({ role, sid: sessionId, typ: 'access' })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: this.config.JWT_KEY_ID, typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.config.ACCESS_TOKEN_TTL_SECONDS}s`)
      .sign(await this.key);
  }

  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: TokenSigner.hashRefresh(token) };
  }

  static hashRefresh(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
