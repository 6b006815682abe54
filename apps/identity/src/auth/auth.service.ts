import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  DomainError,
  type AuthResult,
  type ChangePasswordRequest,
  type IssuedTokens,
  type LoginRequest,
  type MeResult,
  type MessageResult,
  type RefreshResult,
  type RegisterRequest,
  type RevokeSessionsResult,
  type RpcContext,
  requireCaller,
} from '@app/contracts';
import { TransactionRunner } from '@app/messaging';
import type { EntityManager } from 'typeorm';
import { toPrivateView } from '../users/user.mapper';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { PasswordHasher } from './password-hasher';
import { SessionsRepository } from './sessions.repository';
import { TokenSigner } from './token-signer';

const INVALID_CREDENTIALS = 'Invalid credentials';
const INVALID_REFRESH = 'Invalid or expired refresh token';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly signer: TokenSigner,
    private readonly transactions: TransactionRunner,
  ) {}

  async register(ctx: RpcContext, input: RegisterRequest): Promise<AuthResult> {
    const passwordHash = await this.hasher.hash(input.password);
    const username = input.username ?? (await this.usernameFromEmail(input.email));
    const { user, tokens } = await this.transactions.run(async (tx) => {
      const created = await this.usersService.insertUser(tx, {
        username,
        email: input.email,
        phone: input.phone ?? null,
        password_hash: passwordHash,
        full_name: input.full_name ?? null,
        telegram_contact: input.telegram_contact ?? null,
        city: input.city ?? null,
        bio: input.bio ?? null,
        last_login_at: new Date(),
        last_active_at: new Date(),
      });
      return { user: created, tokens: await this.openSession(tx.em, created, ctx) };
    });
    this.logger.log({ user_id: user.id }, 'user registered');
    return { user: toPrivateView(user), tokens };
  }

  async login(ctx: RpcContext, input: LoginRequest): Promise<AuthResult> {
    const identifier = input.username ?? input.email ?? input.identifier;
    if (!identifier) throw DomainError.validation('username, email or identifier is required', [{ field: 'username', message: 'required' }]);
    const user = await this.users.findByLogin(identifier);
    const ok = await this.hasher.verify(user?.password_hash ?? null, input.password);
    if (!user || !ok) {
      this.logger.warn({ ip: ctx.ip }, 'failed login');
      throw DomainError.unauthorized(INVALID_CREDENTIALS);
    }
    if (!user.is_active) throw DomainError.forbidden('Account is deactivated');
    const tokens = await this.transactions.run((tx) => this.openSession(tx.em, user, ctx));
    await this.users.touchLogin(user.id);
    return { user: toPrivateView(user), tokens };
  }

  /**
   * Rotation with reuse detection: every refresh token works once. Presenting one that
   * was already rotated means it leaked, so the whole family (session) is revoked.
   */
  async refresh(refreshToken: string): Promise<RefreshResult> {
    const hash = TokenSigner.hashRefresh(refreshToken);
    const outcome = await this.transactions.run(async (tx) => {
      const found = await this.sessions.lockToken(tx.em, hash);
      if (!found) return { error: INVALID_REFRESH } as const;
      const { token, session } = found;
      if (session.revoked_at) return { error: INVALID_REFRESH } as const;
      if (token.used_at) {
        await this.sessions.revokeSession(tx.em, session.id, 'refresh_token_reuse');
        this.logger.warn({ user_id: session.user_id, session_id: session.id }, 'refresh token reuse: session family revoked');
        return { error: 'Refresh token was already used; all tokens of this session are revoked' } as const;
      }
      if (token.expires_at.getTime() <= Date.now()) return { error: INVALID_REFRESH } as const;
      const user = await this.users.findById(session.user_id, tx.em);
      if (!user || !user.is_active) return { error: INVALID_REFRESH } as const;
      await this.sessions.markUsed(tx.em, token.id);
      return { tokens: await this.issue(tx.em, user, session.id) } as const;
    });
    // The reuse revocation above must commit, so the refusal is raised after the transaction.
    if ('error' in outcome) throw DomainError.unauthorized(outcome.error);
    return { tokens: outcome.tokens };
  }

  async logout(ctx: RpcContext, refreshToken: string | undefined): Promise<MessageResult> {
    await this.transactions.run(async (tx) => {
      if (refreshToken) {
        const found = await this.sessions.lockToken(tx.em, TokenSigner.hashRefresh(refreshToken));
        if (found) await this.sessions.revokeSession(tx.em, found.session.id, 'logout');
      }
      if (ctx.caller?.sid) await this.sessions.revokeOwnSession(tx.em, ctx.caller.id, ctx.caller.sid, 'logout');
    });
    return { message: 'Successfully logged out' };
  }

  async changePassword(ctx: RpcContext, input: ChangePasswordRequest): Promise<MessageResult> {
    const { id } = requireCaller(ctx.caller);
    const user = await this.users.findById(id);
    if (!user || !user.is_active) throw DomainError.unauthorized('Account is not active');
    if (!(await this.hasher.verify(user.password_hash, input.old_password))) {
      throw DomainError.validation('Old password is incorrect', [{ field: 'old_password', message: 'Old password is incorrect' }]);
    }
    if (input.old_password === input.new_password) {
      throw DomainError.validation('New password must differ from the old one', [{ field: 'new_password', message: 'must differ from old_password' }]);
    }
    const hash = await this.hasher.hash(input.new_password);
    const revoked = await this.transactions.run(async (tx) => {
      await tx.em.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [id, hash]);
      return this.sessions.revokeAll(tx.em, id, 'password_changed');
    });
    this.logger.log({ user_id: id, sessions_revoked: revoked }, 'password changed');
    return { message: 'Password updated successfully' };
  }

  async revokeSessions(ctx: RpcContext): Promise<RevokeSessionsResult> {
    const { id } = requireCaller(ctx.caller);
    const revoked = await this.transactions.run((tx) => this.sessions.revokeAll(tx.em, id, 'revoke_all'));
    return { message: 'All sessions revoked', revoked_count: revoked };
  }

  async me(ctx: RpcContext): Promise<MeResult> {
    if (!ctx.caller) return { user: null, authenticated: false };
    const user = await this.usersService.getSelf(ctx.caller.id);
    if (!user) return { user: null, authenticated: false };
    await this.users.touchActive(user.id);
    return { user: toPrivateView(user), authenticated: true };
  }

  private async openSession(em: EntityManager, user: UserEntity, ctx: RpcContext): Promise<IssuedTokens> {
    const sessionId = randomUUID();
    await this.sessions.createSession(em, { id: sessionId, user_id: user.id, user_agent: ctx.user_agent?.slice(0, 300) ?? null, ip: ctx.ip ?? null });
    return this.issue(em, user, sessionId);
  }

  private async issue(em: EntityManager, user: UserEntity, sessionId: string): Promise<IssuedTokens> {
    const refresh = this.signer.newRefreshToken();
    const expiresAt = new Date(Date.now() + this.signer.refreshTtlMs);
    await this.sessions.addToken(em, sessionId, refresh.hash, expiresAt);
    return {
      access_token: await this.signer.signAccess(user.id, user.role, sessionId),
      token_type: 'bearer',
      expires_in: this.signer.accessTtlSeconds,
      refresh_token: refresh.token,
      refresh_expires_at: expiresAt.toISOString(),
    };
  }

  private async usernameFromEmail(email: string): Promise<string> {
    const base = email.split('@')[0].replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 24).padEnd(3, '_');
    if (!(await this.users.usernameTaken(base))) return base;
    for (let i = 0; i < 20; i++) {
      const candidate = `${base}_${Math.floor(Math.random() * 1e6)}`;
      if (!(await this.users.usernameTaken(candidate))) return candidate;
    }
    return `${base}_${randomUUID().slice(0, 8)}`;
  }
}
