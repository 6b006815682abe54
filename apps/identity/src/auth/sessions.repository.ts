import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { execute } from '@app/database';
import { RefreshTokenEntity, SessionEntity } from './session.entity';

/** Sessions (refresh-token families) and their tokens; every method is scoped by owner or hash. */
@Injectable()
export class SessionsRepository {
  async createSession(em: EntityManager, session: Pick<SessionEntity, 'id' | 'user_id' | 'user_agent' | 'ip'>): Promise<void> {
    await em.getRepository(SessionEntity).insert({ ...session, last_used_at: new Date() });
  }

  async addToken(em: EntityManager, sessionId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await em.getRepository(RefreshTokenEntity).insert({ session_id: sessionId, token_hash: tokenHash, expires_at: expiresAt });
  }

  /** The token and its session, locked so two refreshes of one token cannot both win. */
  async lockToken(em: EntityManager, tokenHash: string): Promise<{ token: RefreshTokenEntity; session: SessionEntity } | null> {
    const token = await em.getRepository(RefreshTokenEntity).findOne({ where: { token_hash: tokenHash }, lock: { mode: 'pessimistic_write' } });
    if (!token) return null;
    const session = await em.getRepository(SessionEntity).findOne({ where: { id: token.session_id }, lock: { mode: 'pessimistic_write' } });
    return session ? { token, session } : null;
  }

  async markUsed(em: EntityManager, tokenId: number): Promise<void> {
    await em.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [tokenId]);
    await em.query(`UPDATE sessions SET last_used_at = now() WHERE id = (SELECT session_id FROM refresh_tokens WHERE id = $1)`, [tokenId]);
  }

  async revokeSession(em: EntityManager, sessionId: string, reason: string): Promise<boolean> {
    return (await execute(em, `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason])) > 0;
  }

  /** Revokes a user's session only if it is theirs. */
  async revokeOwnSession(em: EntityManager, userId: number, sessionId: string, reason: string): Promise<boolean> {
    return (await execute(em, `UPDATE sessions SET revoked_at = now(), revoked_reason = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, [sessionId, userId, reason])) > 0;
  }

  async revokeAll(em: EntityManager, userId: number, reason: string): Promise<number> {
    return execute(em, `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, reason]);
  }
}
