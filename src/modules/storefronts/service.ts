import type { Db } from '../../platform/db/database.js';
import { invalid } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { type ActivityService, changesOf, type NewActivity } from '../activity/index.js';
import {
  cannotHideUnlisted,
  noStorefront,
  notReadyToActivate,
  storefrontArchived,
  storefrontNotFound,
} from './errors.js';
import { withRandomSuffix } from '../../platform/slug.js';
import { platformIdFromName } from './platform-id.js';
import type { StorefrontProfileUpdate, StorefrontUpdate, StorefrontView } from './schemas.js';
import type { RateCardsService } from '../rate-cards/index.js';
import * as rawStore from './store.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import type { StorefrontRow } from './store.js';
import { type SourceCoverage, storefrontView } from './views.js';
import { storedPatchOf } from './profile-patch.js';
import { displayStatusOf, lifecycleOf } from './lifecycle.js';

export interface ReadinessVerdict {
  ready: boolean;
  blocking: { id: string; name: string; details?: string }[];
}

export interface StorefrontsDeps {
  db: Db;
  activity: ActivityService;
  /** ACTIVE inventory sources per storefront (inventory-sources' coverage reader). */
  activeSources: (storefrontIds: number[]) => Promise<Map<number, SourceCoverage[]>>;
  /** The seller's rate card (hosted `compositionPricing`), owned by rate-cards. */
  rateCards?: Pick<RateCardsService, 'compositionPricing' | 'replaceCompositionPricing'>;
  now?: () => Date;
}

export type StorefrontsService = ReturnType<typeof createStorefrontsService>;

export function createStorefrontsService(deps: StorefrontsDeps) {
  const { db, activity } = deps;
  // Every storefront agent call looks its storefront up by platform id: held briefly
  // (platform/read-cache.ts), cleared by any storefront write here.
  const cache = createReadCache();
  const store = writesClear(
    rawStore,
    [
      'platformIdTaken',
      'findByCustomer',
      'findById',
      'findByPlatformId',
      'listForAdmin',
      'listForBuyer',
    ],
    cache,
  );
  const now = deps.now ?? (() => new Date());

  async function view(row: StorefrontRow): Promise<StorefrontView> {
    const [sources, compositionPricing] = await Promise.all([
      deps.activeSources([row.id]),
      deps.rateCards?.compositionPricing(row.id),
    ]);
    return {
      ...storefrontView(row, sources.get(row.id) ?? []),
      ...(compositionPricing && { compositionPricing }),
    };
  }

  async function uniquePlatformId(tx: Db, name: string): Promise<string> {
    const base = platformIdFromName(name);
    return (await store.platformIdTaken(tx, base)) ? withRandomSuffix(base) : base;
  }

  /** The caller's own storefront row, archived or not; throws not_found when it has none. */
  async function ownRow(principal: CustomerPrincipal): Promise<StorefrontRow> {
    const row = await store.findByCustomer(db, principal.customerId);
    if (!row) throw noStorefront();
    return row;
  }

  async function applyUpdate(
    principal: CustomerPrincipal,
    row: StorefrontRow,
    patch: Partial<rawStore.NewStorefront>,
    extra: Partial<rawStore.NewStorefront>,
    action: 'CREATE' | 'UPDATE',
  ) {
    const changes = changesOf(row, patch);
    // Pausing reads as the hosted control, not as a timestamp.
    if (changes.pausedAt) {
      delete changes.pausedAt;
      changes.isPaused = { from: row.pausedAt !== null, to: patch.pausedAt !== null };
    }
    return updateLogged(
      principal,
      row,
      { ...patch, ...extra, claimedAt: row.claimedAt ?? now() },
      {
        action,
        changes,
        description:
          action === 'CREATE'
            ? 'Storefront restored'
            : `Storefront updated: ${Object.keys(changes).join(', ') || 'no changes'}`,
      },
    );
  }

  /** Applies a patch and records it in the setup activity, in one transaction. */
  async function updateLogged(
    principal: CustomerPrincipal,
    row: StorefrontRow,
    patch: Partial<rawStore.NewStorefront>,
    entry: Pick<NewActivity, 'action' | 'description' | 'changes'>,
  ): Promise<StorefrontRow> {
    return db.transaction(async (tx) => {
      const updated = await store.updateStorefront(tx, row.id, patch);
      await activity.record(
        {
          storefrontId: row.id,
          resourceType: 'STOREFRONT',
          resourceId: String(row.id),
          resourceName: updated.name,
          userId: principal.userId,
          ...entry,
        },
        tx,
      );
      return updated;
    });
  }

  return {
    /** Creates the storefront a new SELLER customer owns, seeded from its domain. */
    async createForCustomer(
      tx: Db,
      customer: { id: number; organizationId: number; name: string; customerDomain: string | null },
    ): Promise<void> {
      await store.insertStorefront(tx, {
        customerId: customer.id,
        organizationId: customer.organizationId,
        platformId: await uniquePlatformId(tx, customer.name),
        name: customer.name,
        publisherDomain: customer.customerDomain,
        operatorDomain: customer.customerDomain,
        website: customer.customerDomain ? `https://${customer.customerDomain}` : null,
      });
    },

    /** The caller's live storefront row; archived ones read as missing for configuration. */
    async requireOwn(principal: CustomerPrincipal): Promise<StorefrontRow> {
      const row = await ownRow(principal);
      if (row.archivedAt) throw storefrontArchived();
      return row;
    },

    async getOwn(principal: CustomerPrincipal): Promise<StorefrontView> {
      return view(await ownRow(principal));
    },

    async update(principal: CustomerPrincipal, body: StorefrontUpdate): Promise<StorefrontView> {
      const row = await ownRow(principal);
      if (row.archivedAt) throw storefrontArchived();
      const patch = storedPatchOf(row, body, now());
      // Hosted: compositionPricing replaces the whole rate card, checked before the profile moves.
      if (body.compositionPricing) {
        if (!deps.rateCards)
          throw invalid('This deployment keeps no rate card', 'compositionPricing');
        await deps.rateCards.replaceCompositionPricing(row.id, body.compositionPricing);
      }
      return view(await applyUpdate(principal, row, patch, {}, 'UPDATE'));
    },

    /**
     * POST, idempotent (hosted API): a live storefront comes back unchanged (created: false); an
     * archived one is restored with the input; otherwise one is created.
     */
    async create(
      principal: CustomerPrincipal,
      input: StorefrontProfileUpdate,
    ): Promise<{ storefront: StorefrontView; created: boolean }> {
      const existing = await store.findByCustomer(db, principal.customerId);
      if (existing && !existing.archivedAt)
        return { storefront: await view(existing), created: false };
      if (existing) {
        const restored = await applyUpdate(
          principal,
          existing,
          storedPatchOf(existing, input, now()),
          { archivedAt: null },
          'CREATE',
        );
        return { storefront: await view(restored), created: true };
      }
      const row = await db.transaction(async (tx) => {
        const created = await store.insertStorefront(tx, {
          ...storedPatchOf(
            {
              pausedAt: null,
              demandContactName: null,
              demandContactEmail: null,
              creativeApproval: 'manual',
              mediaBuyApproval: 'manual',
            },
            input,
            now(),
          ),
          name: input.name,
          customerId: principal.customerId,
          organizationId: principal.organizationId,
          platformId: input.platformId ?? (await uniquePlatformId(tx, input.name)),
          claimedAt: now(),
        });
        await activity.record(
          {
            storefrontId: created.id,
            action: 'CREATE',
            resourceType: 'STOREFRONT',
            resourceId: String(created.id),
            resourceName: created.name,
            userId: principal.userId,
            description: 'Storefront created',
          },
          tx,
        );
        return created;
      });
      return { storefront: await view(row), created: true };
    },

    /** DELETE archives: nothing is removed and the owner can restore it with POST. */
    async archive(principal: CustomerPrincipal): Promise<StorefrontView> {
      const row = await ownRow(principal);
      if (row.archivedAt) return view(row);
      const updated = await updateLogged(
        principal,
        row,
        { archivedAt: now(), activatedAt: null },
        {
          action: 'DELETE',
          description: 'Storefront archived',
        },
      );
      return view(updated);
    },

    /**
     * Go live: TRANSACTING only while readiness is ready, asked here of `readinessOf` (server-side,
     * for the row about to change). Readiness reads storefronts, so the go-live action above both
     * (wiring/sellers/go-live.ts) hands its verdict in.
     */
    async activate(
      principal: CustomerPrincipal,
      readinessOf: (storefrontId: number) => Promise<ReadinessVerdict>,
    ): Promise<StorefrontView> {
      const row = await ownRow(principal);
      if (row.archivedAt) throw storefrontArchived();
      if (row.activatedAt) return view(row);
      const verdict = await readinessOf(row.id);
      if (!verdict.ready) throw notReadyToActivate(verdict.blocking);
      const updated = await updateLogged(
        principal,
        row,
        {
          activatedAt: now(),
          claimedAt: row.claimedAt ?? now(),
        },
        { action: 'ACTIVATE', description: 'Storefront went live (TRANSACTING)' },
      );
      return view(updated);
    },

    async deactivate(principal: CustomerPrincipal): Promise<StorefrontView> {
      const row = await ownRow(principal);
      if (!row.activatedAt) return view(row);
      const updated = await updateLogged(
        principal,
        row,
        { activatedAt: null },
        {
          action: 'UPDATE',
          changes: { transacting: { from: true, to: false } },
          description: 'Storefront stopped transacting',
        },
      );
      return view(updated);
    },

    async adminList(filter: Parameters<typeof store.listForAdmin>[1]) {
      const { rows, total } = await store.listForAdmin(db, filter);
      const sources = await deps.activeSources(rows.map((r) => r.id));
      return { items: rows.map((r) => storefrontView(r, sources.get(r.id) ?? [])), total };
    },

    /** Marketplace review: list, hide (listed only) and unhide; hiding deletes nothing. */
    async setMarketplace(id: number, action: 'list' | 'hide' | 'unhide'): Promise<StorefrontView> {
      const row = await store.findById(db, id);
      if (!row) throw storefrontNotFound();
      const t = now();
      let patch: Partial<rawStore.NewStorefront>;
      if (action === 'list') {
        patch =
          row.marketplaceStatus === 'LISTED' ? {} : { marketplaceStatus: 'LISTED', listedAt: t };
      } else if (action === 'hide') {
        if (row.marketplaceStatus !== 'LISTED') throw cannotHideUnlisted();
        patch = row.hidden ? {} : { hidden: true, hiddenAt: t };
      } else {
        patch = { hidden: false, hiddenAt: null };
      }
      return view(Object.keys(patch).length ? await store.updateStorefront(db, id, patch) : row);
    },

    findById: (id: number) => store.findById(db, id),
    displayStatusOf: (row: StorefrontRow) =>
      displayStatusOf(
        row.activatedAt ? 'TRANSACTING' : 'CONFIGURING',
        row.archivedAt,
        row.pausedAt,
      ),
    listForBuyer: (filter: rawStore.BuyerStorefrontFilter) => store.listForBuyer(db, filter),
    /** The lifecycle status of a row, given its ACTIVE source count. */
    lifecycleOf: (row: StorefrontRow, activeSourceCount: number) =>
      lifecycleOf({ ...row, activeSourceCount }),
    findByPlatformId: (platformId: string) =>
      cache.get(`platform:${platformId}`, () => store.findByPlatformId(db, platformId)),
    /** findById held briefly as findByPlatformId is: for a storefront agent's every call. */
    findByIdCached: (id: number) => cache.get(`id:${id}`, () => store.findById(db, id)),
  };
}
