import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventTypes, type ExchangeCancelReason, type ExchangeKind, type ExchangeParticipantV1 } from '@app/contracts';
import type { PinnedLoop, Proposal, ProposalChanges } from '@app/matching-engine';
import type { Tx } from '@app/messaging';
import { returningRows } from '@app/database';

export const participantsOf = (p: Proposal): ExchangeParticipantV1[] =>
  p.participants.map((x) => ({ user_id: x.userId, gives_item_id: x.givesItemId, receives_item_id: x.receivesItemId, want_item_id: x.wantItemId }));

/**
 * Writes what the engine decided: a proposal that appeared becomes an exchange row (or a
 * cancelled one with the same loop key comes back, unless someone declined it), a proposal
 * that disappeared cancels its exchange unless it already completed. Each change emits
 * its event through the outbox in the caller's transaction.
 */
@Injectable()
export class ProposalStore {
  async apply(tx: Tx, changes: ProposalChanges, reason: ExchangeCancelReason): Promise<void> {
    for (const p of changes.cancelled) await this.cancelByKey(tx, p.key, reason);
    for (const p of changes.created) await this.propose(tx, p);
  }

  async cancelByKey(tx: Tx, key: string, reason: ExchangeCancelReason): Promise<void> {
    // The participants come back with the update: one round trip less per cancelled loop.
    const rows = await returningRows<{ id: string; kind: ExchangeKind; cancelled_at: Date; user_ids: number[] }>(
      tx.em,
      `UPDATE exchanges SET status = 'cancelled', cancel_reason = $2, cancelled_at = now(), updated_at = now()
       WHERE key = $1 AND status IN ('pending', 'accepted')
       RETURNING id, kind, cancelled_at,
         (SELECT coalesce(array_agg(DISTINCT p.user_id ORDER BY p.user_id), '{}') FROM exchange_participants p WHERE p.exchange_id = exchanges.id) AS user_ids`,
      [key, reason],
    );
    if (!rows.length) return;
    const { id, kind, cancelled_at, user_ids } = rows[0];
    await this.timeline(tx.em, id, 'CANCELLED', null, reason === 'replanned' ? 'Replaced by a better plan' : 'An item of the exchange is no longer available');
    await tx.emit(EventTypes.matchingExchangeCancelled, id, {
      exchange_id: id,
      kind,
      user_ids: user_ids.map(Number),
      reason,
      declined_by: null,
      cancelled_at: cancelled_at.toISOString(),
    });
  }

  async propose(tx: Tx, p: Proposal): Promise<void> {
    const existing: { id: string; seq: number; status: string; cancel_reason: string | null }[] = await tx.em.query(
      `SELECT id, seq, status, cancel_reason FROM exchanges WHERE key = $1 FOR UPDATE`,
      [p.key],
    );
    let id: string;
    let seq: number;
    if (existing.length) {
      const row = existing[0];
      // Live or done: nothing to do. Declined: the people said no to exactly this loop.
      if (row.status !== 'cancelled' || row.cancel_reason === 'declined') return;
      ({ id, seq } = row);
      await tx.em.query(
        `UPDATE exchanges SET status = 'pending', score = $2, cancel_reason = NULL, declined_by = NULL, cancelled_at = NULL, accepted_at = NULL, updated_at = now() WHERE id = $1`,
        [id, p.score],
      );
      await tx.em.query(`DELETE FROM exchange_participants WHERE exchange_id = $1`, [id]);
    } else {
      seq = Number((await tx.em.query(`SELECT nextval('exchange_seq') AS seq`))[0].seq);
      id = p.exchangeId ?? `chain_${seq}`;
      await tx.em.query(`INSERT INTO exchanges (id, seq, key, kind, status, score) VALUES ($1, $2, $3, $4, 'pending', $5)`, [id, seq, p.key, p.kind, p.score]);
    }
    await tx.em.query(
      `INSERT INTO exchange_participants (exchange_id, position, user_id, gives_item_id, receives_item_id, want_item_id)
       SELECT $1, ord - 1, u, g, r, w FROM unnest($2::int[], $3::int[], $4::int[], $5::int[]) WITH ORDINALITY AS t(u, g, r, w, ord)`,
      [id, p.participants.map((x) => x.userId), p.participants.map((x) => x.givesItemId), p.participants.map((x) => x.receivesItemId), p.participants.map((x) => x.wantItemId)],
    );
    const people = p.participants.length;
    await this.timeline(tx.em, id, 'CREATED', null, p.kind === 'BILATERAL' ? 'Exchange created via matching' : `Exchange chain of ${people} participants created via matching`);
    await tx.em.query(
      `INSERT INTO counters (name, value) VALUES ('participants_notified', $1) ON CONFLICT (name) DO UPDATE SET value = counters.value + $1`,
      [people],
    );
    const data = {
      exchange_id: id,
      match_id: seq,
      kind: p.kind,
      participants: participantsOf(p),
      user_ids: [...new Set(p.participants.map((x) => x.userId))],
      score: p.score,
      proposed_at: new Date().toISOString(),
    };
    await tx.emit(p.kind === 'BILATERAL' ? EventTypes.matchingMatchFound : EventTypes.matchingChainProposed, id, data);
  }

  /**
   * Live exchanges the optimiser must not touch (pinned): chains every participant
   * accepted (status accepted) and exchanges someone already confirmed.
   */
  async pinnedLoops(em: EntityManager): Promise<Map<string, PinnedLoop>> {
    const rows: { key: string; gives_item_id: number; want_item_id: number }[] = await em.query(
      `SELECT e.key, p.gives_item_id, p.want_item_id FROM exchanges e JOIN exchange_participants p ON p.exchange_id = e.id
       WHERE e.status = 'accepted'
          OR (e.status = 'pending' AND EXISTS (SELECT 1 FROM exchange_participants c WHERE c.exchange_id = e.id AND c.confirmed_at IS NOT NULL))
       ORDER BY e.id, p.position`,
    );
    const loops = new Map<string, { givesItemId: number; wantItemId: number }[]>();
    for (const r of rows) {
      const loop = loops.get(r.key) ?? [];
      loop.push({ givesItemId: r.gives_item_id, wantItemId: r.want_item_id });
      loops.set(r.key, loop);
    }
    return loops;
  }

  /** Pairings someone declined, `[want_item_id, offer_item_id]`. */
  async forbiddenPairs(em: EntityManager): Promise<[number, number][]> {
    const rows: { want_item_id: number; offer_item_id: number }[] = await em.query(`SELECT want_item_id, offer_item_id FROM forbidden_pairs`);
    return rows.map((r) => [r.want_item_id, r.offer_item_id]);
  }

  /** Records that `userId` refused receiving each offer for that want (idempotent). */
  async forbid(em: EntityManager, exchangeId: string, userId: number, pairs: readonly (readonly [number, number])[]): Promise<void> {
    if (!pairs.length) return;
    await em.query(
      `INSERT INTO forbidden_pairs (want_item_id, offer_item_id, exchange_id, user_id)
       SELECT w, o, $3, $4 FROM unnest($1::int[], $2::int[]) AS t(w, o) ON CONFLICT DO NOTHING`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), exchangeId, userId],
    );
  }

  async liveKeys(em: EntityManager): Promise<Set<string>> {
    const rows: { key: string }[] = await em.query(`SELECT key FROM exchanges WHERE status IN ('pending', 'accepted')`);
    return new Set(rows.map((r) => r.key));
  }

  timeline(em: EntityManager, exchangeId: string, eventType: string, userId: number | null, details: string): Promise<unknown> {
    return em.query(`INSERT INTO exchange_events (exchange_id, event_type, user_id, details) VALUES ($1, $2, $3, $4)`, [exchangeId, eventType, userId, details]);
  }
}
