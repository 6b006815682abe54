import { DomainError } from './errors';
import type { Role } from './roles';

/** Who is calling, as the gateway established from the access token. */
export interface Caller {
  id: number;
  role: Role;
  sid?: string;
}

/** Carried on every request/reply hop so logs across services join up. */
export interface RpcContext {
  correlation_id: string;
  caller?: Caller;
  ip?: string;
  user_agent?: string;
}

/** The one shape every request over NATS has. */
export interface RpcRequest<T> {
  ctx: RpcContext;
  data: T;
}

/** The authenticated caller of an RPC, or 401 when the gateway sent none. */
export function requireCaller(caller: Caller | undefined): Caller {
  if (!caller) throw DomainError.unauthorized();
  return caller;
}
