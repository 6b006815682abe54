import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ExchangeCancelReason } from '@app/contracts';
import { MatchingEngine, type Proposal, type ProposalChanges } from '@app/matching-engine';
import { TransactionRunner } from '@app/messaging';
import { DataSource } from 'typeorm';
import { MATCHING_CONFIG, type MatchingConfig } from '../config';
import { ProposalStore } from '../exchanges/proposal-store';
import { ProjectionRepository } from '../projection/projection.repository';

const empty = (c: ProposalChanges) => c.created.length === 0 && c.cancelled.length === 0;

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
    await this.exclusive(async () => {
      const started = Date.now();
      const { items, cities } = await this.projection.loadMarket();
      this.engine = new MatchingEngine({ maxParticipants: this.config.MATCHING_MAX_PARTICIPANTS });
      this.engine.load(items, cities);
      await this.reconcile();
      this.logger.log({ items: items.length, proposals: this.engine.stats().proposals, ms: Date.now() - started }, 'engine loaded from the projection');
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

  /** A re-planning pass (`improve`), persisted. */
  improve(budgetMs: number): Promise<ProposalChanges> {
    return this.exclusive(async (engine) => {
      const changes = engine.improve(budgetMs);
      await this.persist(changes, 'replanned');
      return changes;
    });
  }

  /** Items that changed hands leave the engine; other loops around them are re-planned. */
  withdraw(itemIds: number[]): Promise<void> {
    return this.exclusive(async (engine) => {
      const all: ProposalChanges = { created: [], cancelled: [] };
      for (const id of itemIds) {
        const c = engine.removeItem(id);
        all.created.push(...c.created);
        all.cancelled.push(...c.cancelled);
      }
      // Several removals in a row: keep only the net effect against the engine's final state.
      const now = new Set(engine.proposals().map((p) => p.key));
      await this.persist(
        {
          created: dedupe(all.created.filter((p) => now.has(p.key))),
          cancelled: dedupe(all.cancelled.filter((p) => !now.has(p.key))),
        },
        'item_unavailable',
      );
    });
  }

  proposals(): Proposal[] {
    return this.engine.proposals();
  }

  /** Stored live proposals := the engine's. */
  private async reconcile(): Promise<void> {
    const live = await this.store.liveKeys(this.dataSource.manager);
    const current = this.engine.proposals();
    const currentKeys = new Set(current.map((p) => p.key));
    const changes: ProposalChanges = {
      created: current.filter((p) => !live.has(p.key)),
      cancelled: [...live].filter((k) => !currentKeys.has(k)).map((key) => ({ key }) as Proposal),
    };
    if (!empty(changes)) this.logger.log({ created: changes.created.length, cancelled: changes.cancelled.length }, 'reconciled stored proposals with the engine');
    await this.persist(changes, 'replanned');
  }
}

function dedupe(list: Proposal[]): Proposal[] {
  const seen = new Map<string, Proposal>();
  for (const p of list) seen.set(p.key, p);
  return [...seen.values()];
}
