import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { requireCaller, type Caller, type RpcContext } from '@app/contracts';

export interface GatewayRequest extends Request {
  id: string;
  caller?: Caller;
}

export { Public, PUBLIC_ROUTE } from '@app/common';

/** The request context every service call carries: correlation id, caller, client address. */
export function rpcContextOf(req: GatewayRequest): RpcContext {
  return {
    correlation_id: req.id,
    caller: req.caller,
    ip: req.ip,
    user_agent: req.headers['user-agent'],
  };
}

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RpcContext => rpcContextOf(context.switchToHttp().getRequest<GatewayRequest>()));

/** The authenticated caller; the guard has already refused anonymous requests on non-public routes. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  return requireCaller(context.switchToHttp().getRequest<GatewayRequest>().caller);
});
