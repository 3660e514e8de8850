import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { CampaignOptimizationPort } from '../campaigns/index.js';
import { type AnalysisBounds, defaultBounds } from './analyse.js';
import { type ApplyDeps, applySuggestion } from './apply.js';
import * as store from './store.js';
import { suggestFor, type SuggestDeps } from './suggest.js';
import { applicableStatuses, type SuggestionStatus } from './tables.js';
import { suggestionDetail, suggestionListItem, suggestionStatus } from './views.js';

export interface OptimizationDeps
  extends Omit<ApplyDeps, 'buyOf' | 'now'>, Omit<SuggestDeps, 'bounds' | 'now'> {
  campaigns: Pick<CampaignOptimizationPort, 'activeBuys' | 'buyOf' | 'hasCampaign' | 'hasMediaBuy'>;
  /** Hands a suggestion to the apply job (a no-op before the job queue started). */
  queueApply(suggestionId: string): Promise<void>;
  bounds?: AnalysisBounds;
  now?: () => Date;
}

export type OptimizationService = ReturnType<typeof createOptimizationService>;

const suggestionNotFound = () => notFound('Optimization suggestion');
const sweepPage = 200;

/**
 * Optimisation suggestions (issue 32, hosted /optimization-suggestions): a sweep weighs every
 * ACTIVE placed buy of a campaign with goals and suggests moving budget between its packages;
 * MANUAL ones wait for the buyer's approve or reject, AUTO ones (and approved ones) are applied
 * by the apply job through update-media-buy. Another customer's suggestion is NOT_FOUND.
 */
export function createOptimizationService(deps: OptimizationDeps) {
  const now = deps.now ?? (() => new Date());
  const suggestDeps: SuggestDeps = { ...deps, bounds: deps.bounds ?? defaultBounds, now };
  const applyDeps: ApplyDeps = { ...deps, buyOf: deps.campaigns.buyOf, now };

  async function requireSuggestion(principal: CustomerPrincipal, id: string) {
    const row = await store.findSuggestion(deps.db, principal.customerId, id);
    if (!row) throw suggestionNotFound();
    return row;
  }

  /** Moves an open suggestion on the buyer's word; the same word again answers as it stands. */
  async function decide(
    principal: CustomerPrincipal,
    id: string,
    moves: Partial<Record<SuggestionStatus, SuggestionStatus>>,
    done: SuggestionStatus[],
    reason?: string,
  ) {
    const row = await requireSuggestion(principal, id);
    if (done.includes(row.status)) return suggestionStatus(row);
    const to = moves[row.status];
    const moved = to && (await store.transition(deps.db, id, [row.status], to, { reason }));
    if (!moved) {
      const now = await requireSuggestion(principal, id);
      throw conflict(`This optimization suggestion is ${now.status}`, 'status');
    }
    if (applicableStatuses.includes(moved.status)) await deps.queueApply(moved.id);
    return suggestionStatus(moved);
  }

  return {
    /**
     * Weighs every ACTIVE placed buy with goals once and records what each suggests; AUTO ones
     * and approved ones waiting are handed to the apply job. Answers how many were made.
     */
    async sweep(): Promise<number> {
      const runId = randomUUID();
      let made = 0;
      for (let after = ''; ;) {
        const buys = await deps.campaigns.activeBuys(after, sweepPage);
        for (const buy of buys) {
          const row = await suggestFor(suggestDeps, buy, runId);
          if (row) made++;
        }
        if (buys.length < sweepPage) break;
        after = buys[buys.length - 1]!.mediaBuyId;
      }
      for (const id of await store.applicableIds(deps.db, applicableStatuses, 1000)) {
        await deps.queueApply(id);
      }
      return made;
    },

    /** The apply job's run (see apply.ts). */
    apply: (id: string, lastAttempt: boolean) => applySuggestion(applyDeps, id, lastAttempt),

    async list(
      principal: CustomerPrincipal,
      query: {
        campaignId?: string | undefined;
        mediaBuyId?: string | undefined;
        status?: SuggestionStatus | undefined;
        limit: number;
        offset: number;
      },
    ) {
      const { customerId } = principal;
      if (query.campaignId && !(await deps.campaigns.hasCampaign(customerId, query.campaignId))) {
        throw notFound('Campaign');
      }
      if (query.mediaBuyId && !(await deps.campaigns.hasMediaBuy(customerId, query.mediaBuyId))) {
        throw notFound('Media buy');
      }
      const { rows, total } = await store.pageSuggestions(deps.db, customerId, query, query);
      return {
        suggestions: rows.map(suggestionListItem),
        totalCount: total,
        hasMore: query.offset + rows.length < total,
      };
    },

    get: async (principal: CustomerPrincipal, id: string) =>
      suggestionDetail(await requireSuggestion(principal, id)),

    /** MANUAL: HIL_WAITING → HIL_APPROVED, queued for the apply job. */
    approve: (principal: CustomerPrincipal, id: string) =>
      decide(principal, id, { HIL_WAITING: 'HIL_APPROVED' }, [
        'HIL_APPROVED',
        'INGESTED',
        'APPLIED',
      ]),

    /** HIL_WAITING → HIL_REJECTED; an AUTO one not applied yet → REJECTED. */
    reject: (principal: CustomerPrincipal, id: string, reason?: string) =>
      decide(
        principal,
        id,
        { HIL_WAITING: 'HIL_REJECTED', INGESTED: 'REJECTED' },
        ['HIL_REJECTED', 'REJECTED'],
        reason,
      ),
  };
}
