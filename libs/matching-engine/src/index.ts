// Public API of the matching engine (import from '@app/matching-engine').
export { MatchingEngine } from './engine/matching-engine';
export type { LoadOptions, MatchingEngineOptions, Participant, PinnedLoop, Proposal, ProposalChanges } from './engine/matching-engine';
export {
  MIN_DURATION_RATIO,
  MIN_NAME_SIMILARITY,
  MIN_NAME_SIMILARITY_CROSS_CATEGORY,
  MIN_VALUE_EQUIVALENCE,
  SCORE_NAME_WEIGHT,
  SCORE_VALUE_WEIGHT,
  comparableValue,
  durationsCompatible,
  fairValue,
  matchWantOffer,
  valueEquivalence,
} from './compat/compatibility';
export type { ExchangeType, ItemKind, MatchItem, WantOfferMatch } from './compat/compatibility';
export { analyse, intentsCompatible, normalize, textSimilarity, trigramSimilarity } from './text/similarity';
export { LEXICON } from './text/lexicon';
export type { Lexicon } from './text/lexicon';
export { TradeGraphBuilder, buildGraph } from './graph/trade-graph';
export type { AdjGraph, TradeGraph } from './graph/trade-graph';
export { maxCycleCover } from './solver/cycle-cover';
export { DEFAULT_MAX_CYCLE, canonicalRotation, realCount, solveBounded, tradedItems } from './solver/bounded-solver';
export { LP_MAX_EDGES, loadLpSolver, optimumNeighbourhood, planLoops, planLoopsWith, planMethod, planWithLp } from './solver/column-generation';
export type { LpPlanOptions, LpPlanStats, PlanMethod } from './solver/column-generation';
export { parseTradeMaximizer } from './mathtrade/trademaximizer-reader';
export type { MathTrade } from './mathtrade/trademaximizer-reader';
export { withInEdges } from './graph/trade-graph';
export { LoopState } from './solver/local-search';
export { lnsImprove, repairAround } from './solver/repair';
export type { LnsOptions } from './solver/repair';
export type { TwoWayGraph } from './solver/repair';
