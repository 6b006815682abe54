import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventTypes, type ExchangeCancelReason, type ExchangeKind, type ExchangeParticipantV1 } from '@app/contracts';
import type { PinnedLoop, Proposal, ProposalChanges } from '@app/matching-engine';
import type { Tx } from '@app/messaging';
import { returningRows } from '@app/database';

export const participantsOf = (p: Proposal): ExchangeParticipantV1[] =>
  p.participants.map((x) => ({ user_id: x.userId, gives_item_id: x.givesItemId, receives_item_id: x.receivesItemId, want_item_id: x.wantItemId }));

/** A timeline entry of an exchange (`exchange_events`). */
interface TimelineEntry {
  exchangeId: string;
  eventType: string;
  userId: number | null;
  details: string;
}

/**
 * Writes what the engine decided: a proposal that appeared becomes an exchange row (or a
 * cancelled one with the same loop key comes back, unless someone declined it), a proposal
 * that disappeared cancels its exchange unless it already completed. Each change emits
 * its event through the outbox in the caller's transaction.
 *
 * A change set costs a fixed number of statements, not a few per proposal: a boot or a
 * re-planning pass writes thousands of proposals at once, under the engine's lock.
 */
@Injectable()
export class ProposalStore {
  /** Cancellations first, then creations, each in the order given (so are their events). */
  async apply(tx: Tx, changes: ProposalChanges, reason: ExchangeCancelReason): Promise<void> {
    await this.cancelByKeys(tx, changes.cancelled.map((p) => p.key), reason);
    await this.propose(tx, changes.created);
  }

  private async cancelByKeys(tx: Tx, keys: readonly string[], reason: ExchangeCancelReason): Promise<void> {
    if (!keys.length) return;
    // The participants come back with the update: no query per cancelled loop.
    const rows = await returningRows<{ id: string; key: string; kind: ExchangeKind; cancelled_at: Date; user_ids: number[] }>(
      tx.em,
      `UPDATE exchanges SET status = 'cancelled', cancel_reason = $2, cancelled_at = now(), updated_at = now()
       WHERE key = ANY($1::text[]) AND status IN ('pending', 'accepted')
       RETURNING id, key, kind, cancelled_at,
         (SELECT coalesce(array_agg(DISTINCT p.user_id ORDER BY p.user_id), '{}') FROM exchange_participants p WHERE p.exchange_id = exchanges.id) AS user_ids`,
      [keys, reason],
    );
    if (!rows.length) return;
    const position = new Map(keys.map((key, i) => [key, i]));
    rows.sort((a, b) => position.get(a.key)! - position.get(b.key)!);
    const details = reason === 'replanned' ? 'Replaced by a better plan' : 'An item of the exchange is no longer available';
    await this.timelines(tx.em, rows.map((r) => ({ exchangeId: r.id, eventType: 'CANCELLED', userId: null, details })));
    await tx.emitMany(
      rows.map((r) => ({
        type: EventTypes.matchingExchangeCancelled,
        aggregateId: r.id,
        data: { exchange_id: r.id, kind: r.kind, user_ids: r.user_ids.map(Number), reason, declined_by: null, cancelled_at: r.cancelled_at.toISOString() },
      })),
    );
  }

  private async propose(tx: Tx, proposals: readonly Proposal[]): Promise<void> {
    // A key twice: the first stands (the second would find it live).
    const seen = new Set<string>();
    const unique = proposals.filter((p) => !seen.has(p.key) && seen.add(p.key));
    if (!unique.length) return;
    const existing: { id: string; seq: number; key: string; status: string; cancel_reason: string | null }[] = await tx.em.query(
      `SELECT id, seq, key, status, cancel_reason FROM exchanges WHERE key = ANY($1::text[]) FOR UPDATE`,
      [unique.map((p) => p.key)],
    );
    const byKey = new Map(existing.map((row) => [row.key, row]));
    // Live or done: nothing to do. Declined: the people said no to exactly this loop.
    const revived = unique.filter((p) => {
      const row = byKey.get(p.key);
      return row !== undefined && row.status === 'cancelled' && row.cancel_reason !== 'declined';
    });
    const fresh = unique.filter((p) => !byKey.has(p.key));
    const rowOf = new Map<string, { id: string; seq: number }>(revived.map((p) => [p.key, byKey.get(p.key)!]));
    if (revived.length) {
      const ids = revived.map((p) => rowOf.get(p.key)!.id);
      await tx.em.query(
        `UPDATE exchanges e SET status = 'pending', score = t.score, cancel_reason = NULL, declined_by = NULL, cancelled_at = NULL, accepted_at = NULL, updated_at = now()
         FROM unnest($1::text[], $2::float8[]) AS t(id, score) WHERE e.id = t.id`,
        [ids, revived.map((p) => p.score)],
      );
      await tx.em.query(`DELETE FROM exchange_participants WHERE exchange_id = ANY($1::text[])`, [ids]);
    }
    if (fresh.length) {
      const seqs: { seq: string }[] = await tx.em.query(`SELECT nextval('exchange_seq') AS seq FROM generate_series(1, $1::int)`, [fresh.length]);
      const ordered = seqs.map((r) => Number(r.seq)).sort((a, b) => a - b);
      fresh.forEach((p, i) => rowOf.set(p.key, { id: p.exchangeId ?? `chain_${ordered[i]}`, seq: ordered[i] }));
      await tx.em.query(
        `INSERT INTO exchanges (id, seq, key, kind, status, score)
         SELECT id, seq, key, kind, 'pending', score FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::float8[]) AS t(id, seq, key, kind, score)`,
        [fresh.map((p) => rowOf.get(p.key)!.id), fresh.map((p) => rowOf.get(p.key)!.seq), fresh.map((p) => p.key), fresh.map((p) => p.kind), fresh.map((p) => p.score)],
      );
    }
    // In the order given: the revived and the new together.
    const written = unique.filter((p) => rowOf.has(p.key));
    if (!written.length) return;
    const seats = written.flatMap((p) => p.participants.map((x, position) => ({ id: rowOf.get(p.key)!.id, position, x })));
    await tx.em.query(
      `INSERT INTO exchange_participants (exchange_id, position, user_id, gives_item_id, receives_item_id, want_item_id)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[])`,
      [
        seats.map((s) => s.id),
        seats.map((s) => s.position),
        seats.map((s) => s.x.userId),
        seats.map((s) => s.x.givesItemId),
        seats.map((s) => s.x.receivesItemId),
        seats.map((s) => s.x.wantItemId),
      ],
    );
    await this.timelines(
      tx.em,
      written.map((p) => ({
        exchangeId: rowOf.get(p.key)!.id,
        eventType: 'CREATED',
        userId: null,
        details: p.kind === 'BILATERAL' ? 'Exchange created via matching' : `Exchange chain of ${p.participants.length} participants created via matching`,
      })),
    );
    await tx.em.query(
      `INSERT INTO counters (name, value) VALUES ('participants_notified', $1) ON CONFLICT (name) DO UPDATE SET value = counters.value + $1`,
      [seats.length],
    );
    const proposedAt = new Date().toISOString();
    await tx.emitMany(
      written.map((p) => {
        const { id, seq } = rowOf.get(p.key)!;
        const data = {
          exchange_id: id,
          match_id: seq,
          kind: p.kind,
          participants: participantsOf(p),
          user_ids: [...new Set(p.participants.map((x) => x.userId))],
          score: p.score,
          proposed_at: proposedAt,
        };
        return p.kind === 'BILATERAL'
          ? { type: EventTypes.matchingMatchFound, aggregateId: id, data }
          : { type: EventTypes.matchingChainProposed, aggregateId: id, data };
      }),
    );
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
    return this.timelines(em, [{ exchangeId, eventType, userId, details }]);
  }

  /** Timeline entries in one statement, numbered in the order given. */
  private timelines(em: EntityManager, entries: readonly TimelineEntry[]): Promise<unknown> {
    return em.query(
      `INSERT INTO exchange_events (exchange_id, event_type, user_id, details)
       SELECT e, t, u, d FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) WITH ORDINALITY AS x(e, t, u, d, ord) ORDER BY ord`,
      [entries.map((e) => e.exchangeId), entries.map((e) => e.eventType), entries.map((e) => e.userId), entries.map((e) => e.details)],
    );
  }
}
