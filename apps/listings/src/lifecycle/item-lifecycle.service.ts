import { Injectable } from '@nestjs/common';
import { EventTypes, type ArchiveReason, type HideReason } from '@app/contracts';
import type { Tx } from '@app/messaging';
import { toSnapshot } from '../items/item.mapper';
import { ItemsRepository, type ItemRow } from '../items/items.repository';

/** Which items a lifecycle change applies to: some ids, or everything a user owns. */
export type ItemSelection = { ids: number[] } | { ownerId: number };

/**
 * Every change of an item's state goes through here, inside the caller's transaction:
 * the row changes and its version grows, the version is written to `item_history`,
 * and the event goes to the outbox. Event consumers (user deleted, and later
 * exchange completed or moderator hid a listing) are one call each.
 */
@Injectable()
export class ItemLifecycle {
  constructor(private readonly items: ItemsRepository) {}

  async created(tx: Tx, rows: ItemRow[]): Promise<void> {
    await this.record(tx, 'created', null, rows);
    await tx.emitMany(rows.map((row) => ({ type: EventTypes.listingsItemCreated, aggregateId: row.id, data: toSnapshot(row) })));
  }

  async updated(tx: Tx, row: ItemRow, changedFields: string[]): Promise<void> {
    await this.record(tx, 'updated', null, [row]);
    await tx.emit(EventTypes.listingsItemUpdated, row.id, { ...toSnapshot(row), changed_fields: changedFields });
  }

  /** Active or hidden items leave the market for good; returns those that changed. */
  async archive(tx: Tx, selection: ItemSelection, reason: ArchiveReason): Promise<ItemRow[]> {
    const rows = await this.items.transition(tx.em, selection, ['active', 'hidden'], 'archived', reason);
    await this.record(tx, 'archived', reason, rows);
    await tx.emitMany(
      rows.map((row) => ({
        type: EventTypes.listingsItemArchived,
        aggregateId: row.id,
        data: { ...toSnapshot(row), reason, archived_at: (row.archived_at ?? row.updated_at).toISOString() },
      })),
    );
    return rows;
  }

  /** Active items disappear from every list but their owner's, until restored. */
  async hide(tx: Tx, selection: ItemSelection, reason: HideReason): Promise<ItemRow[]> {
    const rows = await this.items.transition(tx.em, selection, ['active'], 'hidden', reason);
    await this.record(tx, 'hidden', reason, rows);
    await tx.emitMany(
      rows.map((row) => ({
        type: EventTypes.listingsItemHidden,
        aggregateId: row.id,
        data: { ...toSnapshot(row), reason, hidden_at: (row.hidden_at ?? row.updated_at).toISOString() },
      })),
    );
    return rows;
  }

  /** Items hidden for `reason` come back (items hidden for another reason stay hidden). */
  async restore(tx: Tx, selection: ItemSelection, reason: HideReason): Promise<ItemRow[]> {
    const rows = await this.items.transition(tx.em, selection, ['hidden'], 'active', reason, reason);
    await this.record(tx, 'restored', reason, rows);
    await tx.emitMany(rows.map((row) => ({ type: EventTypes.listingsItemRestored, aggregateId: row.id, data: { ...toSnapshot(row), restored_at: row.updated_at.toISOString() } })));
    return rows;
  }

  private record(tx: Tx, change: string, reason: string | null, rows: ItemRow[]): Promise<void> {
    return this.items.recordHistory(
      tx.em,
      rows.map((row) => ({ item_id: row.id, version: row.version, change, reason, snapshot: toSnapshot(row) })),
    );
  }
}
