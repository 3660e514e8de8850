import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  type ActivityService,
  changed,
  changesOf,
  describeChanges,
  type NewActivity,
} from '../activity/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { ruleNotFound } from './errors.js';
import type { ProductRule, ProductRuleInput } from './schemas.js';
import * as rawStore from './store.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import { productRuleView as view } from './views.js';

export interface ProductRulesDeps {
  db: Db;
  storefronts: StorefrontsService;
  activity: ActivityService;
}

export type ProductRulesService = ReturnType<typeof createProductRulesService>;

const fields = ['name', 'kind', 'active', 'priority', 'match', 'action'] as const;

/**
 * A storefront operator's rules over the products its Merchandising Agent shows: CRUD for the
 * seller, and the active rules in application order for get_products (see apply.ts).
 */
export function createProductRulesService(deps: ProductRulesDeps) {
  const { db, storefronts, activity } = deps;
  // get_products applies the active rules on every call: held briefly per storefront
  // (platform/read-cache.ts), cleared by any write here.
  const cache = createReadCache();
  const store = writesClear(rawStore, ['listRules', 'listActiveRules', 'findRule'], cache);

  const logged = (
    tx: Db,
    principal: CustomerPrincipal,
    storefrontId: number,
    entry: Pick<NewActivity, 'action' | 'resourceId' | 'resourceName' | 'description' | 'changes'>,
  ) =>
    activity.record(
      { storefrontId, resourceType: 'PRODUCT_RULES', userId: principal.userId, ...entry },
      tx,
    );

  return {
    /** The caller's storefront's rules in application order (priority, then id). */
    async list(principal: CustomerPrincipal): Promise<{ items: ProductRule[]; total: number }> {
      const storefront = await storefronts.requireOwn(principal);
      const items = (await store.listRules(db, storefront.id)).map(view);
      return { items, total: items.length };
    },

    /** One rule of the caller's storefront; another storefront's id is not_found. */
    async get(principal: CustomerPrincipal, id: number): Promise<ProductRule> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findRule(db, storefront.id, id);
      if (!row) throw ruleNotFound();
      return view(row);
    },

    /** Creates a rule; a package id the storefront already uses is a conflict. */
    async create(principal: CustomerPrincipal, input: ProductRuleInput): Promise<ProductRule> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await db.transaction(async (tx) => {
        const created = await store.insertRule(tx, storefront.id, input);
        await logged(tx, principal, storefront.id, {
          action: 'CREATE',
          resourceId: String(created.id),
          resourceName: created.name,
          description: `Product rule "${created.name}" (${created.kind}) created`,
        });
        return created;
      });
      return view(row);
    },

    /** Replaces every field of a rule (PUT); another storefront's id is not_found. */
    async replace(
      principal: CustomerPrincipal,
      id: number,
      input: ProductRuleInput,
    ): Promise<ProductRule> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findRule(db, storefront.id, id);
      if (!row) throw ruleNotFound();
      const changes = changesOf(row, input, { fields });
      if (!changed(changes)) return view(row);
      const updated = await db.transaction(async (tx) => {
        const saved = await store.replaceRule(tx, storefront.id, id, input);
        if (!saved) throw ruleNotFound();
        await logged(tx, principal, storefront.id, {
          action: 'UPDATE',
          resourceId: String(id),
          resourceName: saved.name,
          changes,
          description: describeChanges(`Product rule "${saved.name}"`, changes),
        });
        return saved;
      });
      return view(updated);
    },

    /** Deletes a rule; another storefront's id is not_found. */
    async remove(principal: CustomerPrincipal, id: number): Promise<{ id: string; deleted: true }> {
      const storefront = await storefronts.requireOwn(principal);
      await db.transaction(async (tx) => {
        const removed = await store.deleteRule(tx, storefront.id, id);
        if (!removed) throw ruleNotFound();
        await logged(tx, principal, storefront.id, {
          action: 'DELETE',
          resourceId: String(id),
          resourceName: removed.name,
          description: `Product rule "${removed.name}" deleted`,
        });
      });
      return { id: String(id), deleted: true };
    },

    /**
     * The storefront's active rules in application order (priority, then id), for
     * applyProductRules at get_products time. One indexed query, no ownership check.
     */
    async activeRulesFor(storefrontId: number): Promise<ProductRule[]> {
      const rows = await cache.get(`active-rules:${storefrontId}`, () =>
        store.listActiveRules(db, storefrontId),
      );
      return rows.map(view);
    },
  };
}
