import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ExchangeCancelReason } from '@app/contracts';
import { MatchingEngine, loadLpSolver, type Proposal, type ProposalChanges } from '@app/matching-engine';
import { TransactionRunner } from '@app/messaging';
import { DataSource } from 'typeorm';
import { MATCHING_CONFIG, type MatchingConfig } from '../config';
import { ProposalStore } from '../exchanges/proposal-store';
import { ProjectionRepository } from '../projection/projection.repository';

const empty = (c: ProposalChanges) => c.created.length === 0 && c.cancelled.length === 0;

/** What a committed lifecycle step (accept, confirm, decline) means for the engine. */
export interface LifecycleEffect {
  /** Pin this loop: every participant accepted it, or someone confirmed it. The optimiser no longer touches it. */
  pin?: string;
  /** A participant declined: the loop ends for everyone and the pairings they refused are never used again. */
  decline?: { key: string; exchangeId: string; userId: number; pairs: [number, number][] };
  /** Items that changed hands (a completed exchange). */
  withdraw?: number[];
}

/**
 * Owns the in-memory engine. Every mutation runs through `exclusive()`, one at a time,
 * and its proposal changes are committed (with their events) before the next one starts,
 * so the stored proposals always follow the engine's order of decisions. If persisting
 * fails, the engine is ahead of the database: the next exclusive call first reconciles
 * (stored live proposals := the engine's).
 *
 * The engine lives in one process: the service runs as a single replica (k8s manifest).
 */
@Injectable()
export class EngineHost implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EngineHost.name);
  private engine: MatchingEngine;
  private queue: Promise<unknown> = Promise.resolve();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(MATCHING_CONFIG) private readonly config: MatchingConfig,
    private readonly projection: ProjectionRepository,
    private readonly store: ProposalStore,
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
  ) {
    this.engine = new MatchingEngine({ maxParticipants: config.MATCHING_MAX_PARTICIPANTS });
  }

  async onModuleInit(): Promise<void> {
    if (this.config.MATCHING_LP_IMPROVE) this.engine.useLpSolver(await loadLpSolver());
    await this.exclusive(async () => {
      const started = Date.now();
      // Accepted and confirmed exchanges are pinned as they are; declined pairings stay out.
      const [{ items, cities }, pinned, forbiddenPairs] = await Promise.all([
        this.projection.loadMarket(),
        this.store.pinnedLoops(this.dataSource.manager),
        this.store.forbiddenPairs(this.dataSource.manager),
      ]);
      this.engine.load(items, cities, { pinned: [...pinned.values()], forbiddenPairs });
      const lost = new Set([...pinned.keys()].filter((key) => !this.engine.isPinned(key)));
      await this.reconcile(lost);
      this.logger.log(
        { items: items.length, proposals: this.engine.stats().proposals, pinned: pinned.size - lost.size, forbidden: forbiddenPairs.length, lpImprove: this.config.MATCHING_LP_IMPROVE, ms: Date.now() - started },
        'engine loaded from the projection',
      );
    });
    if (this.config.MATCHING_IMPROVE_INTERVAL_MS > 0) {
      this.timer = setInterval(() => {
        this.improve(this.config.MATCHING_IMPROVE_BUDGET_MS).catch((error) => this.logger.error({ err: error }, 'improve pass failed'));
      }, this.config.MATCHING_IMPROVE_INTERVAL_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.queue.catch(() => undefined);
  }

  /** Runs `work` alone with the engine (after any earlier work finished). */
  exclusive<T>(work: (engine: MatchingEngine) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.dirty) {
        this.dirty = false;
        await this.reconcile().catch((error) => {
          this.dirty = true;
          this.logger.error({ err: error }, 'reconcile failed');
        });
      }
      try {
        return await work(this.engine);
      } catch (error) {
        this.dirty = true;
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Commits the engine's changes and their events (own transaction; call inside `exclusive`). */
  async persist(changes: ProposalChanges, reason: ExchangeCancelReason): Promise<void> {
    if (empty(changes)) return;
    await this.transactions.run((tx) => this.store.apply(tx, changes, reason));
  }

  /**
   * A re-planning pass, persisted. It holds the engine (changes queue behind it) but not the
   * process: `improveAsync` gives the event loop a turn every few milliseconds, so requests,
   * probes and NATS traffic are answered meanwhile.
   */
  improve(budgetMs: number): Promise<ProposalChanges> {
    return this.exclusive(async (engine) => {
      const changes = await engine.improveAsync(budgetMs);
      await this.persist(changes, 'replanned');
      return changes;
    });
  }

  /**
   * Runs a lifecycle transaction (accept, confirm, decline) alone with the engine and, once
   * it committed, applies its effect: so no re-planning can slip in between an exchange
   * becoming accepted/confirmed and its loop being pinned. The work's own errors (403,
   * 409, …) are passed through without marking the engine dirty.
   */
  async lifecycle<T>(work: () => Promise<{ result: T; effect?: LifecycleEffect }>): Promise<T> {
    const outcome = await this.exclusive(async (engine) => {
      let done: { result: T; effect?: LifecycleEffect };
      try {
        done = await work();
      } catch (error) {
        return { error };
      }
      const effect = done.effect ?? {};
      if (effect.pin && !engine.pin(effect.pin)) this.logger.warn({ key: effect.pin }, 'accepted/confirmed exchange is not a live proposal of the engine; not pinned');
      if (effect.decline) await this.declineIn(engine, effect.decline);
      if (effect.withdraw?.length) await this.withdrawIn(engine, effect.withdraw);
      return { result: done.result };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  private async withdrawIn(engine: MatchingEngine, itemIds: number[]): Promise<void> {
    const all: ProposalChanges = { created: [], cancelled: [] };
    for (const id of itemIds) collect(all, engine.removeItem(id));
    await this.persist(net(all, engine), 'item_unavailable');
  }

  /** The declined loop ends (its other items are re-planned at once) and the refused pairings never come back. */
  private async declineIn(engine: MatchingEngine, decline: NonNullable<LifecycleEffect['decline']>): Promise<void> {
    const all: ProposalChanges = { created: [], cancelled: [] };
    for (const [wantId, offerId] of decline.pairs) collect(all, engine.forbidPair(wantId, offerId));
    // The stored loop and the engine's could differ in a want (same offers): forbid the engine's pairing too.
    const still = engine.proposals().find((p) => p.key === decline.key);
    if (still) {
      const pairs = still.participants.filter((x) => x.userId === decline.userId).map((x): [number, number] => [x.wantItemId, x.receivesItemId]);
      await this.transactions.run((tx) => this.store.forbid(tx.em, decline.exchangeId, decline.userId, pairs));
      for (const [wantId, offerId] of pairs) collect(all, engine.forbidPair(wantId, offerId));
    }
    await this.persist(net(all, engine), 'replanned');
  }

  /** Stored live proposals := the engine's. `unavailable`: keys whose loop lost an item (pins that could not be restored). */
  private async reconcile(unavailable: ReadonlySet<string> = new Set()): Promise<void> {
    const live = await this.store.liveKeys(this.dataSource.manager);
    const current = this.engine.proposals();
    const currentKeys = new Set(current.map((p) => p.key));
    const gone = [...live].filter((k) => !currentKeys.has(k)).map((key) => ({ key }) as Proposal);
    const changes: ProposalChanges = { created: current.filter((p) => !live.has(p.key)), cancelled: gone };
    if (!empty(changes)) this.logger.log({ created: changes.created.length, cancelled: changes.cancelled.length }, 'reconciled stored proposals with the engine');
    await this.persist({ created: [], cancelled: gone.filter((p) => unavailable.has(p.key)) }, 'item_unavailable');
    await this.persist({ created: changes.created, cancelled: gone.filter((p) => !unavailable.has(p.key)) }, 'replanned');
  }
}

function collect(into: ProposalChanges, c: ProposalChanges): void {
  into.created.push(...c.created);
  into.cancelled.push(...c.cancelled);
}

/** Several engine calls in a row: only the net effect against the engine's final state. */
function net(all: ProposalChanges, engine: MatchingEngine): ProposalChanges {
  const now = new Set(engine.proposals().map((p) => p.key));
  return {
    created: dedupe(all.created.filter((p) => now.has(p.key))),
    cancelled: dedupe(all.cancelled.filter((p) => !now.has(p.key))),
  };
}

function dedupe(list: Proposal[]): Proposal[] {
  const seen = new Map<string, Proposal>();
  for (const p of list) seen.set(p.key, p);
  return [...seen.values()];
}
