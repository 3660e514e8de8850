import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ReadCache } from '../../platform/read-cache.js';
import type { StorefrontsService } from '../storefronts/index.js';
import type { Posture } from '../postures/index.js';
import * as store from './acceptance-store.js';
import { acceptanceNotFound } from './errors.js';

/**
 * The seller's acceptance of history's posture recommendations (issue 47, item 2; seed 003:
 * "human operating instructions … remain authoritative over these historical signals"). A
 * recommendation is shown with its evidence (strategySignals) and changes get_products only
 * once the seller accepts its posture; withdrawing the acceptance stops it again.
 */
export function createPostureAcceptance(deps: {
  db: Db;
  storefronts: Pick<StorefrontsService, 'getOwn'>;
  /** The agent's cached posture decisions: cleared on every change, here and on other instances. */
  postureCache: ReadCache;
}) {
  const { db } = deps;
  const viewOf = (row: { posture: Posture; acceptedAt: Date }) => ({
    posture: row.posture,
    acceptedAt: row.acceptedAt.toISOString(),
  });
  return {
    /** The postures a storefront's seller accepted. */
    acceptedOf: async (storefrontId: number): Promise<Set<Posture>> =>
      new Set((await store.acceptedPostures(db, storefrontId)).map((r) => r.posture)),

    async listAcceptances(principal: CustomerPrincipal) {
      const storefront = await deps.storefronts.getOwn(principal);
      return { items: (await store.acceptedPostures(db, storefront.id)).map(viewOf) };
    },

    async acceptPosture(principal: CustomerPrincipal, posture: Posture) {
      const storefront = await deps.storefronts.getOwn(principal);
      const row = await store.acceptPosture(db, {
        storefrontId: storefront.id,
        posture,
        acceptedBy: principal.userId,
      });
      deps.postureCache.clear();
      return viewOf(row);
    },

    /**
     * Hosted PUT /learned-default-posture: the posture becomes the one the seller accepted (the
     * others are withdrawn), or null accepts none; what the console's Accept and Withdraw do.
     */
    async setLearnedDefault(principal: CustomerPrincipal, posture: Posture | null) {
      const storefront = await deps.storefronts.getOwn(principal);
      const row = await store.setOnlyAccepted(db, {
        storefrontId: storefront.id,
        posture,
        acceptedBy: principal.userId,
      });
      deps.postureCache.clear();
      return {
        learnedDefault: row && {
          posture: row.posture,
          reason: 'Accepted by the seller: history’s recommendations of it apply to get_products',
          checkedAt: row.acceptedAt.toISOString(),
        },
      };
    },

    async withdrawPosture(principal: CustomerPrincipal, posture: Posture) {
      const storefront = await deps.storefronts.getOwn(principal);
      if (!(await store.withdrawPosture(db, storefront.id, posture))) throw acceptanceNotFound();
      deps.postureCache.clear();
      return { posture, withdrawn: true as const };
    },
  };
}
