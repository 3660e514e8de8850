import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { type ActivityService, changed, changesOf, describeChanges } from '../activity/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { instructionNotFound, scopeImmutable } from './errors.js';
import {
  type BuyerIdentity,
  bySpecificity,
  matchesBuyer,
  normalizeBuyer,
  scopeLabel,
} from './matching.js';
import type {
  BuyerInstruction,
  CreateBuyerInstructionInput,
  UpdateBuyerInstructionInput,
} from './schemas.js';
import * as rawStore from './store.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import { buyerInstructionView as view } from './views.js';

export interface BuyerInstructionsDeps {
  db: Db;
  storefronts: StorefrontsService;
  activity: ActivityService;
}

/** What applies to one buyer: the highest matching discount and notes, most specific first. */
export interface ResolvedBuyerInstructions {
  discountPercent: number | null;
  notes: string[];
  /** The most specific matching row's pinned posture; null when none pins one. */
  posture: BuyerInstruction['posture'];
  matched: BuyerInstruction[];
}

export type BuyerInstructionsService = ReturnType<typeof createBuyerInstructionsService>;

const tailoring = ['discountPercent', 'notes', 'countries', 'posture'] as const;

/**
 * Per-buyer tailoring of a storefront's composition, keyed by an immutable
 * (operatorDomain, brandDomain) scope that is unique per storefront.
 */
export function createBuyerInstructionsService(deps: BuyerInstructionsDeps) {
  const { db, storefronts, activity } = deps;
  // Every get_products resolves the buyer's instructions: the storefront's rows are held
  // briefly (platform/read-cache.ts), keyed by storefront, cleared by any write here.
  const cache = createReadCache();
  const store = writesClear(rawStore, ['listInstructions', 'findInstruction'], cache);

  return {
    /** The caller's storefront's instructions, id ascending. */
    async list(principal: CustomerPrincipal): Promise<BuyerInstruction[]> {
      const storefront = await storefronts.requireOwn(principal);
      return (await store.listInstructions(db, storefront.id)).map(view);
    },

    /** Creates one; throws conflict when the storefront already has the scope. */
    async create(
      principal: CustomerPrincipal,
      input: CreateBuyerInstructionInput,
    ): Promise<BuyerInstruction> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await db.transaction(async (tx) => {
        const created = await store.insertInstruction(tx, {
          storefrontId: storefront.id,
          ...input,
          createdBy: principal.userId,
        });
        const label = scopeLabel(created);
        await activity.record(
          {
            storefrontId: storefront.id,
            action: 'CREATE',
            resourceType: 'BUYER_INSTRUCTIONS',
            resourceId: String(created.id),
            resourceName: label,
            userId: principal.userId,
            description: `Buyer instructions created for ${label}`,
          },
          tx,
        );
        return created;
      });
      return view(row);
    },

    /**
     * Changes discountPercent, notes and countries (null clears). The scope may be echoed but
     * not changed (invalid); another storefront's id is not_found.
     */
    async update(
      principal: CustomerPrincipal,
      id: number,
      input: UpdateBuyerInstructionInput,
    ): Promise<BuyerInstruction> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findInstruction(db, storefront.id, id);
      if (!row) throw instructionNotFound();
      for (const field of ['operatorDomain', 'brandDomain'] as const) {
        if (input[field] !== undefined && input[field] !== row[field]) throw scopeImmutable(field);
      }
      const changes = changesOf(row, input, { fields: tailoring });
      if (!changed(changes)) return view(row);
      const patch = Object.fromEntries(
        Object.entries(changes).map(([field, { to }]) => [field, to]),
      ) as Parameters<typeof store.updateInstruction>[3];
      const updated = await db.transaction(async (tx) => {
        const saved = await store.updateInstruction(tx, storefront.id, id, patch);
        if (!saved) throw instructionNotFound();
        const label = scopeLabel(saved);
        await activity.record(
          {
            storefrontId: storefront.id,
            action: 'UPDATE',
            resourceType: 'BUYER_INSTRUCTIONS',
            resourceId: String(id),
            resourceName: label,
            userId: principal.userId,
            changes,
            description: describeChanges(`Buyer instructions for ${label}`, changes),
          },
          tx,
        );
        return saved;
      });
      return view(updated);
    },

    /** Deletes one, freeing its scope; another storefront's id is not_found. */
    async remove(principal: CustomerPrincipal, id: number): Promise<{ id: string; deleted: true }> {
      const storefront = await storefronts.requireOwn(principal);
      await db.transaction(async (tx) => {
        const removed = await store.deleteInstruction(tx, storefront.id, id);
        if (!removed) throw instructionNotFound();
        const label = scopeLabel(removed);
        await activity.record(
          {
            storefrontId: storefront.id,
            action: 'DELETE',
            resourceType: 'BUYER_INSTRUCTIONS',
            resourceId: String(id),
            resourceName: label,
            userId: principal.userId,
            description: `Buyer instructions for ${label} deleted`,
          },
          tx,
        );
      });
      return { id: String(id), deleted: true };
    },

    /**
     * What applies to a buyer on a storefront (for the Merchandising Agent): every matching row
     * most specific first, their non-empty notes in that order, and the MAX discountPercent.
     */
    async resolve(storefrontId: number, buyer: BuyerIdentity): Promise<ResolvedBuyerInstructions> {
      const who = normalizeBuyer(buyer);
      const rows = (
        await cache.get(`instructions:${storefrontId}`, () =>
          store.listInstructions(db, storefrontId),
        )
      )
        .filter((row) => matchesBuyer({ ...row, countries: row.countries ?? null }, who))
        .sort(bySpecificity);
      const discounts = rows.flatMap((r) =>
        r.discountPercent === null ? [] : [r.discountPercent],
      );
      return {
        discountPercent: discounts.length ? Math.max(...discounts) : null,
        notes: rows.flatMap((r) => (r.notes ? [r.notes] : [])),
        posture:
          (rows.find((r) => r.posture !== null)?.posture as BuyerInstruction['posture']) ?? null,
        matched: rows.map(view),
      };
    },
  };
}
