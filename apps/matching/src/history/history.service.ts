import { Injectable } from '@nestjs/common';
import {
  DEFAULT_LIMIT,
  DomainError,
  requireCaller,
  type Caller,
  type ExchangeHistoryView,
  type ExchangeStatus,
  type ExportFile,
  type HistoryEntryView,
  type HistoryExportQuery,
  type HistoryPage,
  type HistoryQuery,
  type HistoryStatus,
} from '@app/contracts';
import { groupByExchange, partnersOf } from '../exchanges/exchange.mapper';
import { brief, ExchangesRepository, type ExchangeRow, type ParticipantRow } from '../exchanges/exchanges.repository';

const STATUSES_OF: Record<HistoryStatus, ExchangeStatus[]> = {
  COMPLETED: ['completed'],
  ACTIVE: ['pending', 'accepted'],
  CANCELLED: ['cancelled'],
};
const ALL: ExchangeStatus[] = ['pending', 'accepted', 'completed', 'cancelled'];
const historyStatus = (s: ExchangeStatus): HistoryStatus => (s === 'completed' ? 'COMPLETED' : s === 'cancelled' ? 'CANCELLED' : 'ACTIVE');

/** The contract's CSV header, in this order. */
export const CSV_HEADER = ['exchange_id', 'partner_name', 'status', 'completed_at', 'rating_given', 'items'];

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes. */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(entries: HistoryEntryView[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const e of entries) lines.push([e.id, e.partner_name, e.status, e.completed_at, e.rating_given, e.items.join(', ')].map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

@Injectable()
export class HistoryService {
  constructor(private readonly exchanges: ExchangesRepository) {}

  async list(maybeCaller: Caller | undefined, query: HistoryQuery): Promise<HistoryPage> {
    const caller = requireCaller(maybeCaller);
    const skip = query.skip ?? 0;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { rows, total } = await this.exchanges.ofUser(caller.id, query.status ? STATUSES_OF[query.status] : ALL, { skip, limit });
    return { exchanges: await this.entries(rows, caller.id), total, skip, limit, filters_applied: query.status ? [`status:${query.status}`] : [] };
  }

  async get(maybeCaller: Caller | undefined, exchangeId: string): Promise<ExchangeHistoryView> {
    const caller = requireCaller(maybeCaller);
    const row = await this.exchanges.find(exchangeId);
    if (!row) throw DomainError.notFound('Exchange');
    const parts = await this.exchanges.participants([row.id]);
    if (!parts.some((p) => p.user_id === caller.id)) throw DomainError.forbidden('Only the participants can see this exchange');
    const timeline = await this.exchanges.timeline(row.id);
    return {
      exchange_id: row.id,
      kind: row.kind,
      status: row.status,
      participants: parts.map((p, i) => ({ user_id: p.user_id, name: p.full_name ?? p.username, username: p.username, role: i === 0 ? 'initiator' : 'partner' })),
      items: parts.map(brief),
      timeline: timeline.map((t) => ({ event_type: t.event_type, timestamp: t.at.toISOString(), user_id: t.user_id, details: t.details })),
      final_rating: null,
      review_count: 0,
    };
  }

  async export(maybeCaller: Caller | undefined, query: HistoryExportQuery): Promise<ExportFile> {
    const caller = requireCaller(maybeCaller);
    if (query.start_date && query.end_date && new Date(query.start_date) > new Date(query.end_date)) {
      throw DomainError.validation('start_date must not be after end_date', [{ field: 'start_date', message: 'must not be after end_date' }]);
    }
    const { rows } = await this.exchanges.ofUser(caller.id, ALL, { skip: 0, limit: 10_000, from: query.start_date, to: query.end_date });
    const entries = await this.entries(rows, caller.id);
    const stamp = new Date().toISOString().slice(0, 10);
    if ((query.format ?? 'JSON') === 'CSV') {
      return { filename: `exchange-history-${stamp}.csv`, content_type: 'text/csv; charset=utf-8', content: toCsv(entries) };
    }
    return { filename: `exchange-history-${stamp}.json`, content_type: 'application/json; charset=utf-8', content: JSON.stringify({ exchanges: entries, total: entries.length }) };
  }

  private async entries(rows: ExchangeRow[], userId: number): Promise<HistoryEntryView[]> {
    const parts = groupByExchange(await this.exchanges.participants(rows.map((r) => r.id)));
    return rows.map((row) => entry(row, parts.get(row.id) ?? [], userId));
  }
}

function entry(row: ExchangeRow, parts: ParticipantRow[], userId: number): HistoryEntryView {
  const partner = partnersOf(userId, parts)[0];
  return {
    id: row.id,
    kind: row.kind,
    partner_name: partner ? (partner.full_name ?? partner.username) : null,
    partner_rating: null,
    status: historyStatus(row.status),
    items: parts.map((p) => p.item_name ?? `#${p.gives_item_id}`),
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
    cancelled_at: row.cancelled_at?.toISOString() ?? null,
    rating_given: null,
    review_text: null,
  };
}
