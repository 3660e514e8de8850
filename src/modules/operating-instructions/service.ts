import type { Db } from '../../platform/db/database.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import type { Posture } from '../postures/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ActivityService } from '../activity/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { noActiveVersion, unknownVersionToActivate, versionNotFound } from './errors.js';
import type { CreateOperatingInstructionsInput, OperatingInstructions } from './schemas.js';
import * as rawStore from './store.js';
import { operatingInstructionsView as view } from './views.js';

export interface OperatingInstructionsDeps {
  db: Db;
  storefronts: StorefrontsService;
  activity: ActivityService;
}

export type OperatingInstructionsService = ReturnType<typeof createOperatingInstructionsService>;

/**
 * A storefront's versioned rulebook for the Merchandising Engine. Every save is a new immutable
 * version (1, 2, … per storefront, never reused); at most one version is active at a time.
 */
export function createOperatingInstructionsService(deps: OperatingInstructionsDeps) {
  const { db, storefronts, activity } = deps;
  // Every get_products reads the active version's pinned posture: held briefly
  // (platform/read-cache.ts), keyed by storefront, cleared by any write here.
  const cache = createReadCache();
  const store = writesClear(rawStore, ['listVersions', 'findVersion', 'findActive'], cache);

  /** Makes `version` the active one inside the caller's transaction, locking the storefront. */
  async function activateIn(
    tx: Db,
    principal: CustomerPrincipal,
    storefrontId: number,
    version: number,
  ) {
    await store.lockStorefront(tx, storefrontId);
    const target = await store.findVersion(tx, storefrontId, version);
    if (!target) throw unknownVersionToActivate(version);
    if (target.isActive) return target;
    const previous = await store.findActive(tx, storefrontId);
    const activated = await store.setActive(tx, storefrontId, version);
    await activity.record(
      {
        storefrontId,
        action: 'ACTIVATE',
        resourceType: 'OPERATING_INSTRUCTIONS',
        resourceId: String(activated.id),
        resourceName: `Version ${version}`,
        userId: principal.userId,
        changes: { activeVersion: { from: previous?.version ?? null, to: version } },
        description: previous
          ? `Operating instructions version ${version} activated (was version ${previous.version})`
          : `Operating instructions version ${version} activated`,
      },
      tx,
    );
    return activated;
  }

  return {
    /** Every version of the caller's storefront, newest first. */
    async list(principal: CustomerPrincipal): Promise<OperatingInstructions[]> {
      const storefront = await storefronts.requireOwn(principal);
      return (await store.listVersions(db, storefront.id)).map(view);
    },

    /** Saves a new version numbered max+1; it is not activated. */
    async create(
      principal: CustomerPrincipal,
      input: CreateOperatingInstructionsInput,
    ): Promise<OperatingInstructions> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await db.transaction(async (tx) => {
        const version = await store.nextVersion(tx, storefront.id);
        if (input.activate) await store.lockStorefront(tx, storefront.id);
        const created = await store.insertVersion(tx, {
          storefrontId: storefront.id,
          version,
          content: input.content,
          notes: input.notes ?? null,
          posture: input.posture ?? null,
          createdBy: principal.userId,
        });
        await activity.record(
          {
            storefrontId: storefront.id,
            action: 'CREATE',
            resourceType: 'OPERATING_INSTRUCTIONS',
            resourceId: String(created.id),
            resourceName: `Version ${version}`,
            userId: principal.userId,
            description: `Operating instructions version ${version} saved (${input.content.length} characters)`,
          },
          tx,
        );
        // Hosted API: activate: true saves and activates in one transaction.
        return input.activate ? activateIn(tx, principal, storefront.id, version) : created;
      });
      // Again once committed: a read between the store's clear and the commit saw the old version.
      cache.clear();
      return view(row);
    },

    /** One version; throws not_found when the storefront has no such version. */
    async get(principal: CustomerPrincipal, version: number): Promise<OperatingInstructions> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findVersion(db, storefront.id, version);
      if (!row) throw versionNotFound(version);
      return view(row);
    },

    /** The active version; throws not_found before the first activation. */
    async getActive(principal: CustomerPrincipal): Promise<OperatingInstructions> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.findActive(db, storefront.id);
      if (!row) throw noActiveVersion();
      return view(row);
    },

    /**
     * Makes `version` the active one (the previous one stays in history, inactive). Idempotent.
     * An unknown version is `invalid` (400), as the docs specify, not not_found.
     */
    async activate(principal: CustomerPrincipal, version: number): Promise<OperatingInstructions> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await db.transaction((tx) => activateIn(tx, principal, storefront.id, version));
      cache.clear();
      return view(row);
    },

    /** The posture the active version pins, or null (none active, or it pins none). */
    pinnedPosture: (storefrontId: number): Promise<Posture | null> =>
      cache.get(`pinned:${storefrontId}`, async () => {
        const row = await store.findActive(db, storefrontId);
        return row?.posture ?? null;
      }),

    /** The storefront's active version, or undefined (for readiness and the Merchandising Agent). */
    async findActive(storefrontId: number): Promise<OperatingInstructions | undefined> {
      const row = await store.findActive(db, storefrontId);
      return row ? view(row) : undefined;
    },
  };
}
