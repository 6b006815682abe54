import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ExchangeItemBrief, ExchangeKind, ExchangeParticipantView, ExchangeStatus } from '@app/contracts';

export interface ExchangeRow {
  id: string;
  seq: number;
  key: string;
  kind: ExchangeKind;
  status: ExchangeStatus;
  score: number;
  cancel_reason: string | null;
  declined_by: number | null;
  created_at: Date;
  updated_at: Date;
  accepted_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
}

export interface ParticipantRow {
  exchange_id: string;
  position: number;
  user_id: number;
  gives_item_id: number;
  receives_item_id: number;
  want_item_id: number;
  accepted_at: Date | null;
  confirmed_at: Date | null;
  username: string | null;
  full_name: string | null;
  item_name: string | null;
  category: string | null;
  exchange_type: string | null;
  value_tenge: string | null;
  duration_days: number | null;
}

export const LIVE_STATUSES: ExchangeStatus[] = ['pending', 'accepted'];

/** `mutual_…` and `chain_N` are ids; a bare number is a chain's (or match's) number. */
export function idCondition(exchangeId: string): { sql: string; param: string | number } {
  return /^\d+$/.test(exchangeId) ? { sql: 'seq = $1', param: Number(exchangeId) } : { sql: 'id = $1', param: exchangeId };
}

export const brief = (p: ParticipantRow): ExchangeItemBrief => ({
  item_id: p.gives_item_id,
  item_name: p.item_name ?? '',
  category: p.category,
  exchange_type: p.exchange_type ?? '',
  value_tenge: Number(p.value_tenge ?? 0),
  duration_days: p.duration_days,
});

export const participantView = (p: ParticipantRow): ExchangeParticipantView => ({
  user_id: p.user_id,
  username: p.username,
  full_name: p.full_name,
  gives: brief(p),
  receives_item_id: p.receives_item_id,
  want_item_id: p.want_item_id,
  accepted: p.accepted_at !== null,
  confirmed: p.confirmed_at !== null,
});

/** Queries over exchanges; the ones reading a user's data take that user's id. */
@Injectable()
export class ExchangesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lock(em: EntityManager, exchangeId: string): Promise<ExchangeRow | null> {
    const { sql, param } = idCondition(exchangeId);
    const rows: ExchangeRow[] = await em.query(`SELECT * FROM exchanges WHERE ${sql} FOR UPDATE`, [param]);
    return rows[0] ?? null;
  }

  async find(exchangeId: string): Promise<ExchangeRow | null> {
    const { sql, param } = idCondition(exchangeId);
    const rows: ExchangeRow[] = await this.dataSource.query(`SELECT * FROM exchanges WHERE ${sql}`, [param]);
    return rows[0] ?? null;
  }

  async participants(exchangeIds: string[], em: EntityManager = this.dataSource.manager): Promise<ParticipantRow[]> {
    if (!exchangeIds.length) return [];
    return em.query(
      `SELECT p.*, u.username, u.full_name, i.item_name, i.category, i.exchange_type, i.value_tenge, i.duration_days
       FROM exchange_participants p
       LEFT JOIN users u ON u.user_id = p.user_id
       LEFT JOIN items i ON i.item_id = p.gives_item_id
       WHERE p.exchange_id = ANY($1) ORDER BY p.exchange_id, p.position`,
      [exchangeIds],
    );
  }

  /** The user's exchanges in the given statuses, newest first. */
  async ofUser(userId: number, statuses: ExchangeStatus[], page?: { skip: number; limit: number; kind?: ExchangeKind; from?: string; to?: string }): Promise<{ rows: ExchangeRow[]; total: number }> {
    const params: unknown[] = [userId, statuses];
    let where = `e.status = ANY($2) AND e.id IN (SELECT exchange_id FROM exchange_participants WHERE user_id = $1)`;
    if (page?.kind) {
      params.push(page.kind);
      where += ` AND e.kind = $${params.length}`;
    }
    if (page?.from) {
      params.push(page.from);
      where += ` AND e.created_at >= $${params.length}`;
    }
    if (page?.to) {
      params.push(page.to);
      where += ` AND e.created_at <= $${params.length}`;
    }
    let sql = `SELECT e.* FROM exchanges e WHERE ${where} ORDER BY e.created_at DESC, e.seq DESC`;
    if (page) sql += ` OFFSET ${Number(page.skip)} LIMIT ${Number(page.limit)}`;
    const [counted, rows] = await Promise.all([this.dataSource.query(`SELECT count(*) AS n FROM exchanges e WHERE ${where}`, params), this.dataSource.query(sql, params)]);
    return { rows, total: Number(counted[0].n) };
  }

  async chains(filter: { status?: ExchangeStatus; userId?: number }, skip: number, limit: number): Promise<{ rows: ExchangeRow[]; total: number }> {
    const params: unknown[] = [];
    let where = `e.kind = 'CHAIN'`;
    if (filter.status) {
      params.push(filter.status);
      where += ` AND e.status = $${params.length}`;
    }
    if (filter.userId) {
      params.push(filter.userId);
      where += ` AND e.id IN (SELECT exchange_id FROM exchange_participants WHERE user_id = $${params.length})`;
    }
    const [counted, rows] = await Promise.all([
      this.dataSource.query(`SELECT count(*) AS n FROM exchanges e WHERE ${where}`, params),
      this.dataSource.query(`SELECT e.* FROM exchanges e WHERE ${where} ORDER BY e.seq DESC OFFSET ${Number(skip)} LIMIT ${Number(limit)}`, params) as Promise<ExchangeRow[]>,
    ]);
    return { rows, total: Number(counted[0].n) };
  }

  async liveChains(): Promise<ExchangeRow[]> {
    return this.dataSource.query(`SELECT * FROM exchanges WHERE kind = 'CHAIN' AND status IN ('pending', 'accepted') ORDER BY seq`);
  }

  async timeline(exchangeId: string): Promise<{ event_type: string; at: Date; user_id: number | null; details: string }[]> {
    return this.dataSource.query(`SELECT event_type, at, user_id, details FROM exchange_events WHERE exchange_id = $1 ORDER BY id`, [exchangeId]);
  }

  async liveCounts(userId?: number): Promise<{ bilateral: number; chains: number; participants: number }> {
    const params: unknown[] = [];
    let where = `e.status IN ('pending', 'accepted')`;
    if (userId) {
      params.push(userId);
      where += ` AND e.id IN (SELECT exchange_id FROM exchange_participants WHERE user_id = $1)`;
    }
    const rows: { bilateral: string; chains: string; participants: string }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE kind = 'BILATERAL') AS bilateral, count(*) FILTER (WHERE kind = 'CHAIN') AS chains,
         coalesce(sum((SELECT count(*) FROM exchange_participants p WHERE p.exchange_id = e.id)), 0) AS participants
       FROM exchanges e WHERE ${where}`,
      params,
    );
    return { bilateral: Number(rows[0].bilateral), chains: Number(rows[0].chains), participants: Number(rows[0].participants) };
  }
}
