import type { Page } from '../pagination';
import type { ExchangeStatus, HistoryStatus } from './matching.dto';

export type ExchangeKind = 'BILATERAL' | 'CHAIN';

export interface ExchangeItemBrief {
  item_id: number;
  item_name: string;
  category: string | null;
  exchange_type: string;
  value_tenge: number;
  duration_days: number | null;
}

export interface ExchangeParticipantView {
  user_id: number;
  username: string | null;
  full_name: string | null;
  /** The offer this participant hands over. */
  gives: ExchangeItemBrief;
  receives_item_id: number;
  want_item_id: number;
  accepted: boolean;
  confirmed: boolean;
}

/** One entry of `GET /user/exchanges` (and the cabinet's `active_exchanges`). */
export interface ExchangeView {
  exchange_id: string;
  /** Numeric id of the proposal (the contract's `match_id`; for chains also `chain_id`). */
  match_id: number;
  chain_id: number | null;
  kind: ExchangeKind;
  status: ExchangeStatus;
  /** Whose offer the caller receives. */
  partner_username: string | null;
  partner_name: string | null;
  matching_categories: string[];
  score: number;
  you_give: ExchangeItemBrief[];
  you_receive: ExchangeItemBrief[];
  participants: ExchangeParticipantView[];
  created_at: string;
  updated_at: string;
}

export interface ConfirmResult {
  status: 'success';
  exchange_id: string;
  exchange_status: ExchangeStatus;
  confirmed_by: number;
  participants: number[];
  confirmations: number[];
  items_archived: number[];
  message: string;
}

export interface ChainView {
  id: number;
  exchange_id: string;
  kind: ExchangeKind;
  participants: (string | null)[];
  participant_ids: number[];
  items: number[];
  status: ExchangeStatus;
  score: number;
  created_at: string;
}

export type ChainsPage = Page<ChainView>;

export interface DiscoverChainsResult {
  chains_created: number;
  total_participants: number;
  chains: { id: number; exchange_id: string; participants: number; items: number[]; score: number }[];
}

export interface ChainActionResult {
  chain_id: number;
  exchange_id: string;
  user_id: number;
  status: 'accepted' | 'declined';
  exchange_status: ExchangeStatus;
  message: string;
}

export interface HistoryEntryView {
  id: string;
  kind: ExchangeKind;
  partner_name: string | null;
  partner_rating: number | null;
  status: HistoryStatus;
  items: string[];
  created_at: string;
  completed_at: string | null;
  cancelled_at: string | null;
  rating_given: number | null;
  review_text: string | null;
}

export interface HistoryPage {
  exchanges: HistoryEntryView[];
  total: number;
  skip: number;
  limit: number;
  filters_applied: string[];
}

export interface TimelineEntry {
  event_type: string;
  timestamp: string;
  user_id: number | null;
  details: string;
}

export interface ExchangeHistoryView {
  exchange_id: string;
  kind: ExchangeKind;
  status: ExchangeStatus;
  participants: { user_id: number; name: string | null; username: string | null; role: 'initiator' | 'partner' }[];
  items: ExchangeItemBrief[];
  timeline: TimelineEntry[];
  final_rating: number | null;
  review_count: number;
}

/** A file for the gateway to send as a download. */
export interface ExportFile {
  filename: string;
  content_type: string;
  content: string;
}

export interface RunPipelineResult {
  bilateral_matches: number;
  exchange_chains: number;
  total_participants: number;
  errors: string[];
}

export interface MatchingStatusView {
  last_run: string | null;
  bilateral_matches: number;
  chains_discovered: number;
  participants_notified: number;
  status: 'success' | 'error' | 'never_run';
}

export interface TestFlowResult {
  test: string;
  passed: boolean;
  matches_found: number;
  details: string;
  results?: TestFlowResult[];
}
