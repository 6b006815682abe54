import { Injectable } from '@nestjs/common';
import {
  DomainError,
  EventTypes,
  type Caller,
  type ChainActionCommand,
  type ChainActionResult,
  type ConfirmExchangeCommand,
  type ConfirmResult,
  type ExchangeView,
  requireCaller,
} from '@app/contracts';
import { TransactionRunner, type Tx } from '@app/messaging';
import { EngineHost, type LifecycleEffect } from '../engine/engine-host';
import { groupByExchange, toExchangeView } from './exchange.mapper';
import { ExchangesRepository, LIVE_STATUSES, type ExchangeRow, type ParticipantRow } from './exchanges.repository';
import { ProposalStore } from './proposal-store';

/**
 * The exchange lifecycle: pending → accepted (every participant accepted; a confirm
 * counts as an accept) → confirmed by each → completed; a decline cancels. Every change
 * locks the exchange row first (SELECT … FOR UPDATE), so concurrent calls on one
 * exchange apply one after another and see each other's effect: exactly one outcome.
 *
 * Each step runs through `EngineHost.lifecycle` (one at a time with the engine) and tells
 * the engine what it means: an exchange every participant accepted, or that someone
 * confirmed, is pinned (the optimiser never replans it); a decline ends the loop for
 * everyone, frees its items for other proposals at once and forbids the pairing the
 * decliner refused; a completion withdraws the traded items.
 */
@Injectable()
export class ExchangesService {
  constructor(
    private readonly exchanges: ExchangesRepository,
    private readonly store: ProposalStore,
    private readonly transactions: TransactionRunner,
    private readonly host: EngineHost,
  ) {}

  async listMine(maybeCaller: Caller | undefined): Promise<ExchangeView[]> {
    const caller = requireCaller(maybeCaller);
    const { rows } = await this.exchanges.ofUser(caller.id, LIVE_STATUSES);
    const parts = groupByExchange(await this.exchanges.participants(rows.map((r) => r.id)));
    return rows.map((row) => toExchangeView(row, parts.get(row.id) ?? [], caller.id));
  }

  async confirm(maybeCaller: Caller | undefined, cmd: ConfirmExchangeCommand): Promise<ConfirmResult> {
    const caller = requireCaller(maybeCaller);
    if (cmd.confirmer_user_id !== undefined && cmd.confirmer_user_id !== caller.id) throw DomainError.forbidden('confirmer_user_id must be your own user id');
    return this.host.lifecycle(() => this.transactions.run(async (tx): Promise<{ result: ConfirmResult; effect?: LifecycleEffect }> => {
      const { row, parts, mine } = await this.lockAsParticipant(tx, cmd.exchange_id, caller.id);
      const done = (message: string) => this.confirmResult(row, parts, caller.id, message, []);
      if (row.status === 'cancelled') throw DomainError.conflict('This exchange was cancelled');
      if (mine.every((p) => p.confirmed_at)) return { result: done(row.status === 'completed' ? 'Exchange already completed' : 'You have already confirmed this exchange') };
      if (row.kind === 'CHAIN' && row.status !== 'accepted') throw DomainError.conflict('Every participant must accept the chain before it can be confirmed');

      await tx.em.query(
        `UPDATE exchange_participants SET confirmed_at = now(), accepted_at = coalesce(accepted_at, now()) WHERE exchange_id = $1 AND user_id = $2`,
        [row.id, caller.id],
      );
      await this.store.timeline(tx.em, row.id, 'CONFIRMED', caller.id, `Confirmed by user ${caller.id}`);
      const now = new Date();
      for (const p of mine) {
        p.confirmed_at ??= now;
        p.accepted_at ??= now;
      }
      const userIds = [...new Set(parts.map((p) => p.user_id))];
      await tx.emit(EventTypes.matchingExchangeConfirmed, row.id, { exchange_id: row.id, kind: row.kind, user_id: caller.id, user_ids: userIds, confirmed_at: now.toISOString() });
      await this.markAcceptedIfAll(tx, row, parts);

      // Someone confirmed: the loop is pinned until it completes, is declined or loses an item.
      if (!parts.every((p) => p.confirmed_at)) return { result: done('Confirmation recorded; waiting for the other participants'), effect: { pin: row.key } };

      // Everyone confirmed: completed. The items leave matching now (traded_items) and
      // listings archives them when it handles the event.
      const itemIds = [...new Set([...parts.map((p) => p.gives_item_id), ...parts.map((p) => p.want_item_id)])];
      await tx.em.query(`UPDATE exchanges SET status = 'completed', completed_at = now(), updated_at = now() WHERE id = $1`, [row.id]);
      await tx.em.query(`INSERT INTO traded_items (item_id, exchange_id) SELECT unnest($1::int[]), $2 ON CONFLICT DO NOTHING`, [itemIds, row.id]);
      await this.store.timeline(tx.em, row.id, 'COMPLETED', null, 'Exchange confirmed by every participant; items exchanged');
      await tx.emit(EventTypes.matchingExchangeCompleted, row.id, {
        exchange_id: row.id,
        kind: row.kind,
        participants: parts.map((p) => ({ user_id: p.user_id, gives_item_id: p.gives_item_id, receives_item_id: p.receives_item_id, want_item_id: p.want_item_id })),
        user_ids: userIds,
        item_ids: itemIds,
        completed_at: now.toISOString(),
      });
      row.status = 'completed';
      // After commit: the traded items leave the engine, which cancels any other proposal
      // holding them and re-plans the neighbourhood (rematch).
      return { result: this.confirmResult(row, parts, caller.id, 'Exchange confirmed and items automatically cleaned up from listings', itemIds), effect: { withdraw: itemIds } };
    }));
  }

  async accept(maybeCaller: Caller | undefined, cmd: ChainActionCommand): Promise<ChainActionResult> {
    const caller = requireCaller(maybeCaller);
    if (cmd.user_id !== undefined && cmd.user_id !== caller.id) throw DomainError.forbidden('user_id must be your own user id');
    return this.host.lifecycle(() => this.transactions.run(async (tx): Promise<{ result: ChainActionResult; effect?: LifecycleEffect }> => {
      const { row, parts, mine } = await this.lockAsParticipant(tx, cmd.chain_id, caller.id);
      if (row.status === 'cancelled') throw DomainError.conflict('This exchange was cancelled');
      if (row.status === 'completed') throw DomainError.conflict('This exchange is already completed');
      if (mine.some((p) => !p.accepted_at)) {
        await tx.em.query(`UPDATE exchange_participants SET accepted_at = now() WHERE exchange_id = $1 AND user_id = $2 AND accepted_at IS NULL`, [row.id, caller.id]);
        await this.store.timeline(tx.em, row.id, 'ACCEPTED', caller.id, `Accepted by user ${caller.id}`);
        for (const p of mine) p.accepted_at ??= new Date();
        await this.markAcceptedIfAll(tx, row, parts);
      }
      return {
        result: { chain_id: row.seq, exchange_id: row.id, user_id: caller.id, status: 'accepted', exchange_status: row.status, message: "You've accepted this exchange chain" },
        // Accepted by everyone: pinned (pinning an already pinned loop is harmless).
        effect: row.status === 'accepted' ? { pin: row.key } : undefined,
      };
    }));
  }

  async decline(maybeCaller: Caller | undefined, cmd: ChainActionCommand): Promise<ChainActionResult> {
    const caller = requireCaller(maybeCaller);
    if (cmd.user_id !== undefined && cmd.user_id !== caller.id) throw DomainError.forbidden('user_id must be your own user id');
    return this.host.lifecycle(() => this.transactions.run(async (tx): Promise<{ result: ChainActionResult; effect?: LifecycleEffect }> => {
      const { row, parts, mine } = await this.lockAsParticipant(tx, cmd.chain_id, caller.id);
      const result = (): ChainActionResult => ({
        chain_id: row.seq,
        exchange_id: row.id,
        user_id: caller.id,
        status: 'declined',
        exchange_status: row.status,
        message: "You've declined this exchange chain",
      });
      if (row.status === 'completed') throw DomainError.conflict('This exchange is already completed');
      if (row.status === 'cancelled') {
        if (row.declined_by === caller.id) return { result: result() };
        throw DomainError.conflict('This exchange was already cancelled');
      }
      await tx.em.query(
        `UPDATE exchanges SET status = 'cancelled', cancel_reason = 'declined', declined_by = $2, cancelled_at = now(), updated_at = now() WHERE id = $1`,
        [row.id, caller.id],
      );
      await this.store.timeline(tx.em, row.id, 'DECLINED', caller.id, cmd.reason ? `Declined by user ${caller.id}: ${cmd.reason}` : `Declined by user ${caller.id}`);
      await this.store.timeline(tx.em, row.id, 'CANCELLED', null, 'Exchange cancelled: a participant declined');
      await tx.emit(EventTypes.matchingExchangeCancelled, row.id, {
        exchange_id: row.id,
        kind: row.kind,
        user_ids: [...new Set(parts.map((p) => p.user_id))],
        reason: 'declined',
        declined_by: caller.id,
        cancelled_at: new Date().toISOString(),
      });
      row.status = 'cancelled';
      // The decliner refused receiving exactly these offers for these wants: never again.
      const pairs = mine.map((p): [number, number] => [p.want_item_id, p.receives_item_id]);
      await this.store.forbid(tx.em, row.id, caller.id, pairs);
      return { result: result(), effect: { decline: { key: row.key, exchangeId: row.id, userId: caller.id, pairs } } };
    }));
  }

  private async lockAsParticipant(tx: Tx, exchangeId: string, userId: number): Promise<{ row: ExchangeRow; parts: ParticipantRow[]; mine: ParticipantRow[] }> {
    const row = await this.exchanges.lock(tx.em, exchangeId);
    if (!row) throw DomainError.notFound('Exchange');
    const parts = await this.exchanges.participants([row.id], tx.em);
    const mine = parts.filter((p) => p.user_id === userId);
    if (!mine.length) throw DomainError.forbidden('You are not a participant of this exchange');
    return { row, parts, mine };
  }

  private async markAcceptedIfAll(tx: Tx, row: ExchangeRow, parts: ParticipantRow[]): Promise<void> {
    if (row.status !== 'pending' || !parts.every((p) => p.accepted_at)) return;
    await tx.em.query(`UPDATE exchanges SET status = 'accepted', accepted_at = now(), updated_at = now() WHERE id = $1`, [row.id]);
    row.status = 'accepted';
    await this.store.timeline(tx.em, row.id, 'ACCEPTED_BY_ALL', null, 'Every participant accepted the exchange');
    await tx.emit(EventTypes.matchingExchangeAccepted, row.id, {
      exchange_id: row.id,
      kind: row.kind,
      user_ids: [...new Set(parts.map((p) => p.user_id))],
      accepted_at: new Date().toISOString(),
    });
  }

  private confirmResult(row: ExchangeRow, parts: ParticipantRow[], userId: number, message: string, archived: number[]): ConfirmResult {
    return {
      status: 'success',
      exchange_id: row.id,
      exchange_status: row.status,
      confirmed_by: userId,
      participants: [...new Set(parts.map((p) => p.user_id))],
      confirmations: [...new Set(parts.filter((p) => p.confirmed_at).map((p) => p.user_id))],
      items_archived: archived.length ? archived : row.status === 'completed' ? [...new Set([...parts.map((p) => p.gives_item_id), ...parts.map((p) => p.want_item_id)])] : [],
      message,
    };
  }
}
