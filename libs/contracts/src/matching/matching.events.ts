import type { ExchangeKind } from './matching.views';

export interface ExchangeParticipantV1 {
  user_id: number;
  gives_item_id: number;
  receives_item_id: number;
  want_item_id: number;
}

/** A new proposal (`matching.match.found` for 2 people, `matching.chain.proposed` for 3+). */
export interface ExchangeProposedV1 {
  exchange_id: string;
  match_id: number;
  kind: ExchangeKind;
  participants: ExchangeParticipantV1[];
  user_ids: number[];
  score: number;
  proposed_at: string;
}

export type MatchFoundV1 = ExchangeProposedV1;
export type ChainProposedV1 = ExchangeProposedV1;

export type ExchangeCancelReason = 'declined' | 'item_unavailable' | 'replanned';

export interface ExchangeCancelledV1 {
  exchange_id: string;
  kind: ExchangeKind;
  user_ids: number[];
  reason: ExchangeCancelReason;
  declined_by: number | null;
  cancelled_at: string;
}

export interface ExchangeAcceptedV1 {
  exchange_id: string;
  kind: ExchangeKind;
  user_ids: number[];
  accepted_at: string;
}

export interface ExchangeConfirmedV1 {
  exchange_id: string;
  kind: ExchangeKind;
  user_id: number;
  user_ids: number[];
  confirmed_at: string;
}

/** Every participant confirmed: `item_ids` (the offers given and the wants satisfied) leave the market. */
export interface ExchangeCompletedV1 {
  exchange_id: string;
  kind: ExchangeKind;
  participants: ExchangeParticipantV1[];
  user_ids: number[];
  item_ids: number[];
  completed_at: string;
}
