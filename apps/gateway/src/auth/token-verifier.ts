import { Inject, Injectable } from '@nestjs/common';
import { importSPKI, jwtVerify, type CryptoKey } from 'jose';
import { Role, type Caller } from '@app/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { DenyList } from './deny-list';

/** The only algorithm accepted: a token claiming `none`, HS256 or anything else is refused. */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA'];

export type VerifyOutcome = { caller: Caller } | { error: string };

@Injectable()
export class TokenVerifier {
  private key: Promise<CryptoKey> | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly denyList: DenyList,
  ) {}

  async verify(token: string): Promise<VerifyOutcome> {
    this.key ??= importSPKI(this.config.JWT_PUBLIC_KEY.replace(/\\n/g, '\n'), 'EdDSA');
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
      });
      const id = Number(payload.sub);
      const role = payload.role as Role;
      if (payload.typ !== 'access' || !Number.isInteger(id) || id <= 0 || !Object.values(Role).includes(role)) {
        return { error: 'Invalid access token' };
      }
      if (this.denyList.isDenied(id, payload.iat ?? 0)) return { error: 'Account is no longer active' };
      return { caller: { id, role, sid: typeof payload.sid === 'string' ? payload.sid : undefined } };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { error: code === 'ERR_JWT_EXPIRED' ? 'Access token expired' : 'Invalid access token' };
    }
  }
}
