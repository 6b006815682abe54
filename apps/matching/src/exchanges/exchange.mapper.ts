import type { ExchangeView } from '@app/contracts';
import { brief, participantView, type ExchangeRow, type ParticipantRow } from './exchanges.repository';

/** Who the user receives from in a loop: the participant after them (the last receives the first's). */
export function partnersOf(userId: number, parts: ParticipantRow[]): ParticipantRow[] {
  const out: ParticipantRow[] = [];
  parts.forEach((p, i) => {
    if (p.user_id === userId) out.push(parts[(i + 1) % parts.length]);
  });
  return out;
}

export function toExchangeView(row: ExchangeRow, parts: ParticipantRow[], userId: number): ExchangeView {
  const mine = parts.filter((p) => p.user_id === userId);
  const from = partnersOf(userId, parts);
  return {
    exchange_id: row.id,
    match_id: row.seq,
    chain_id: row.kind === 'CHAIN' ? row.seq : null,
    kind: row.kind,
    status: row.status,
    partner_username: from[0]?.username ?? null,
    partner_name: from[0] ? (from[0].full_name ?? from[0].username) : null,
    matching_categories: [...new Set(parts.map((p) => p.category).filter((c): c is string => !!c))],
    score: Math.round(row.score * 1000) / 1000,
    you_give: mine.map(brief),
    you_receive: from.map(brief),
    participants: parts.map(participantView),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function groupByExchange(parts: ParticipantRow[]): Map<string, ParticipantRow[]> {
  const map = new Map<string, ParticipantRow[]>();
  for (const p of parts) {
    const list = map.get(p.exchange_id) ?? [];
    list.push(p);
    map.set(p.exchange_id, list);
  }
  return map;
}
