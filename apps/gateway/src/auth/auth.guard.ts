import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@app/contracts';
import { PUBLIC_ROUTE, type GatewayRequest } from './caller';
import { TokenVerifier } from './token-verifier';

/**
 * Every route needs a valid access token unless marked @Public(). On public routes a
 * valid token still identifies the caller (owners see more), a bad one is ignored.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<GatewayRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    const token = bearerToken(req);
    if (token) {
      const outcome = await this.verifier.verify(token);
      if ('caller' in outcome) req.caller = outcome.caller;
      else if (!isPublic) throw DomainError.unauthorized(outcome.error);
    }
    if (!isPublic && !req.caller) throw DomainError.unauthorized('Not authenticated: send Authorization: Bearer <access_token>');
    return true;
  }
}

export function bearerToken(req: GatewayRequest): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return undefined;
}
