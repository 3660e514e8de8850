import type { Db } from '../../platform/db/database.js';
import { createReadCache } from '../../platform/read-cache.js';
import { batchedPerTurn } from '../../platform/db/turn-batch.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  decidePosture,
  minRunsForBuyerPosture,
  type Posture,
  type PostureDecision,
} from '../postures/index.js';
import { mediaBuysOf } from '../order-views/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { runNotFound } from './errors.js';
import { intelligenceRunOf } from './runs/intelligence-runs.js';
import {
  createStorefrontReporting,
  type ReportDownloads,
} from './reporting/storefront-reporting.js';
import {
  buildSellerAnalytics,
  runFactsWithOutcomes,
  type SellerAnalytics,
  withAcceptance,
} from './insights/payload.js';
import { signalsOf } from './insights/rollups.js';
import { buyerKeyOf, type MediaBuyFacts, mediaBuyFactsOf, type RunRecord } from './runs/facts.js';
import * as rollups from './insights/rollup-store.js';
import * as store from './store.js';
import { createPostureAcceptance } from './acceptance.js';
import { type LeftOutItem, leftOutRecordOf } from './runs/left-out.js';

export interface SellerAnalyticsDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'getOwn'>;
  now?: () => Date;
  /**
   * Events younger than this are attributed live, not folded: a discovery run written late
   * (runs are recorded off the response path) still takes the events that follow it.
   */
  settleMs?: number;
  onError?: (error: unknown, context: string) => void;
  /** How storefront reporting's CSV download links are signed, where, for how long. */
  reportDownloads: ReportDownloads;
}

export type CommercialResult = 'booked' | 'pending' | 'rejected';

/**
 * Hosted `commercialResult`, from a run's latest attributed event: forwarded or delivering →
 * booked; awaiting the operator's approval → pending; rejected → rejected; a failed forward
 * matches none.
 */
export function commercialResultOf(event: string): CommercialResult | null {
  if (event === 'media_buy_forwarded' || event === 'delivery_reported') return 'booked';
  if (event === 'media_buy_submitted_for_approval') return 'pending';
  if (event === 'media_buy_rejected') return 'rejected';
  return null;
}

export type SellerAnalyticsService = ReturnType<typeof createSellerAnalyticsService>;

const foldBatch = 20_000;
/** A read folds at most this many events itself (~0.5 s); a larger backlog folds behind it. */
const readFoldBudget = 5_000;

/**
 * Seller analytics over a storefront's discovery runs and outcome events (read-only), and the
 * posture record the storefront agent keeps per run (the one table this module writes).
 */
/** How long a posture recommendation is reused for one storefront and buyer. */
export const postureCacheTtlMs = 60_000;

export function createSellerAnalyticsService(deps: SellerAnalyticsDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const settleMs = deps.settleMs ?? 5 * 60_000;
  // The agent asks for a posture on every get_products: the decision, which reads the window's
  // runs and outcomes, is held a minute per (storefront, buyer identity).
  const postureCache = createReadCache(postureCacheTtlMs);
  const insertLeftOut = store.insertRunsLeftOut(db);
  const writeLeftOut = batchedPerTurn(insertLeftOut);
  const acceptance = createPostureAcceptance({ db, storefronts: deps.storefronts, postureCache });
  const reporting = createStorefrontReporting({
    db,
    storefronts: deps.storefronts,
    now,
    downloads: deps.reportDownloads,
  });

  /**
   * Folds settled events into the rollup: up to `readFoldBudget` on the request (bounded
   * latency), then the backlog in the background, one fold per storefront and process at a
   * time (the database lock makes it one per storefront across processes too).
   */
  async function fold(storefrontId: number, max: number, wait: boolean) {
    const cutoff = new Date(now().getTime() - settleMs);
    let folded = 0;
    while (folded < max) {
      const n = await rollups.foldEvents(db, storefrontId, cutoff, Math.min(foldBatch, max), {
        wait,
      });
      if (n === 0) break;
      folded += n;
    }
    return folded;
  }

  const backgroundFolds = new Set<number>();
  async function foldOnRead(storefrontId: number) {
    if (backgroundFolds.has(storefrontId)) return;
    const folded = await fold(storefrontId, readFoldBudget, false);
    if (folded < readFoldBudget) return;
    backgroundFolds.add(storefrontId);
    void fold(storefrontId, Number.POSITIVE_INFINITY, false)
      .catch((error: unknown) => deps.onError?.(error, 'seller-analytics fold'))
      .finally(() => backgroundFolds.delete(storefrontId));
  }

  /**
   * Runs with their attributed outcomes: rollup rows for events up to the watermark, and the
   * newer events attributed live. `closed`: no run newer than the oldest of `runs` is missing
   * from them (a window), so no other run can take a live event.
   */
  async function withOutcomes(storefrontId: number, runs: RunRecord[], closed: boolean) {
    if (runs.length === 0) return { facts: [], buys: new Map<string, MediaBuyFacts>() };
    await foldOnRead(storefrontId);
    const buyers = [...new Set(runs.flatMap((r) => r.buyerCustomerId ?? []))];
    const since = new Date(Math.min(...runs.map((r) => r.createdAt.getTime())));
    // One snapshot: a fold committing between these reads would count its events twice.
    const { folded, events } = await db.transaction(
      async (tx) => {
        const mark = await rollups.watermarkOf(tx, storefrontId);
        return {
          folded: await rollups.rollupRowsOf(
            tx,
            runs.map((r) => r.id),
          ),
          events: await store.eventsSince(tx, storefrontId, buyers, since, mark),
        };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const liveBuyers = [...new Set(events.map((e) => e.buyerCustomerId))];
    const competitors =
      closed || events.length === 0
        ? []
        : await store.laterRunsOf(db, storefrontId, liveBuyers, since);
    const ids = [
      ...new Set([
        ...folded.map((r) => r.mediaBuyId),
        ...events.flatMap((e) => e.mediaBuyId ?? []),
      ]),
    ];
    const buys = new Map<string, MediaBuyFacts>();
    if (ids.length > 0) {
      for (const row of await mediaBuysOf(db, storefrontId, { ids })) {
        buys.set(row.buy.mediaBuyId, mediaBuyFactsOf(row));
      }
    }
    return { facts: runFactsWithOutcomes(runs, events, buys, competitors, folded), buys };
  }

  /**
   * The history-derived posture for a buyer's next run on this storefront (item 5 of issue
   * 17 reads it): the buyer's own table row when it has enough runs, else the window's.
   */
  async function recommendPosture(
    storefrontId: number,
    buyer: { operatorDomain: string | null; brandDomain: string | null; country: string | null },
    limit = 100,
  ): Promise<PostureDecision> {
    const runs = await store.windowRuns(db, storefrontId, limit);
    const { facts } = await withOutcomes(storefrontId, runs, true);
    const eligible = facts.filter((f) => f.result.kind === 'ok');
    const key = buyerKeyOf(buyer);
    const own = eligible.filter((f) => buyerKeyOf(f.run) === key);
    const forBuyer = decidePosture(signalsOf(own), minRunsForBuyerPosture);
    return forBuyer.posture ? forBuyer : decidePosture(signalsOf(eligible));
  }

  return {
    /** The seller-analytics payload over the storefront's `limit` most recent runs. */
    async analytics(principal: CustomerPrincipal, limit: number): Promise<SellerAnalytics> {
      const storefront = await deps.storefronts.getOwn(principal);
      const runs = await store.windowRuns(db, storefront.id, limit);
      // The window holds every run newer than its oldest: nothing outside it can take an event.
      const [{ facts, buys }, accepted] = await Promise.all([
        withOutcomes(storefront.id, runs, true),
        acceptance.acceptedOf(storefront.id),
      ]);
      return withAcceptance(
        buildSellerAnalytics({
          storefront: {
            id: storefront.id,
            name: storefront.name,
            archived: storefront.archivedAt !== null,
          },
          requestedRunLimit: limit,
          runs: facts,
          buys,
          now: now(),
        }),
        accepted,
      );
    },

    async listRuns(
      principal: CustomerPrincipal,
      filter: store.RunFilter & { commercialResult?: CommercialResult | undefined },
      page: { skip: number; take: number },
    ) {
      const storefront = await deps.storefronts.getOwn(principal);
      let ids: number[] | undefined;
      if (filter.commercialResult) {
        await foldOnRead(storefront.id);
        const latest = await db.transaction(
          async (tx) =>
            rollups.latestEventPerRun(
              tx,
              storefront.id,
              await rollups.watermarkOf(tx, storefront.id),
            ),
          { isolationLevel: 'repeatable read', accessMode: 'read only' },
        );
        ids = [...latest].flatMap(([id, event]) =>
          commercialResultOf(event) === filter.commercialResult ? [id] : [],
        );
      }
      const { runs, total } = await store.pageRuns(db, storefront.id, { ...filter, ids }, page);
      const { facts, buys } = await withOutcomes(storefront.id, runs, false);
      return { items: facts.map((f) => intelligenceRunOf(f, buys)), total };
    },

    /** Throws not_found for an unknown id and for another storefront's run alike. */
    async getRun(principal: CustomerPrincipal, id: number) {
      const storefront = await deps.storefronts.getOwn(principal);
      const run = await store.findRun(db, storefront.id, id);
      if (!run) throw runNotFound();
      const { facts, buys } = await withOutcomes(storefront.id, [run], false);
      return intelligenceRunOf(facts[0]!, buys);
    },

    ...reporting,

    recommendPosture,

    /**
     * recommendPosture as the storefront agent reads it on every get_products: cached for
     * a minute per storefront and buyer identity (history moves slower than that).
     */
    postureFor: (
      storefrontId: number,
      buyer: { operatorDomain: string | null; brandDomain: string | null; country: string | null },
    ): Promise<PostureDecision & { accepted: boolean }> =>
      postureCache.get(`${storefrontId}|${buyerKeyOf(buyer)}`, async () => {
        const [decision, accepted] = await Promise.all([
          recommendPosture(storefrontId, buyer),
          acceptance.acceptedOf(storefrontId),
        ]);
        return {
          ...decision,
          accepted: decision.posture !== null && accepted.has(decision.posture),
        };
      }),

    listPostureAcceptances: acceptance.listAcceptances,
    acceptPosture: acceptance.acceptPosture,
    withdrawPosture: acceptance.withdrawPosture,
    setLearnedDefault: acceptance.setLearnedDefault,

    /** Folds every settled event of the storefront into the rollup; returns how many. */
    foldAll: (storefrontId: number) => fold(storefrontId, Number.POSITIVE_INFINITY, true),

    /**
     * Records what a run left out of its answer and why, bounded (runs/left-out.ts); ignores
     * another storefront's run.
     */
    /**
     * Records what a run left out, once; false for another storefront's run (or one already
     * recorded). Records asked in one turn (a burst of briefs) share one statement.
     */
    recordRunLeftOut(input: {
      storefrontId: number;
      discoveryRunId: number;
      leftOut: readonly LeftOutItem[];
    }): Promise<boolean> {
      return writeLeftOut({
        discoveryRunId: input.discoveryRunId,
        storefrontId: input.storefrontId,
        ...leftOutRecordOf(input.leftOut),
      });
    },

    /** Records the posture a run used and the recommendation in force; ignores foreign runs. */
    async recordRunPosture(input: {
      storefrontId: number;
      discoveryRunId: number;
      selectedPosture: Posture | null;
      recommendedPosture: Posture | null;
      rationale?: string | null;
      evidence?: string[];
    }): Promise<boolean> {
      const run = await store.findRun(db, input.storefrontId, input.discoveryRunId);
      if (!run) return false;
      await store.upsertRunPosture(db, {
        discoveryRunId: input.discoveryRunId,
        storefrontId: input.storefrontId,
        selectedPosture: input.selectedPosture,
        recommendedPosture: input.recommendedPosture,
        rationale: input.rationale ?? null,
        evidence: input.evidence ?? [],
      });
      return true;
    },
  };
}
