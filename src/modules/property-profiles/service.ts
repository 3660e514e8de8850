import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import type { SiteProfiles } from '../../sources/brief/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import type { PropertyProfile, PropertyProfileInput } from './schemas.js';
import * as rawStore from './store.js';

export type PropertyProfilesService = ReturnType<typeof createPropertyProfilesService>;

const view = (row: rawStore.PropertyProfileRow): PropertyProfile => ({
  publisherDomain: row.publisherDomain,
  countries: row.countries,
  audience: row.audience,
  content: row.content,
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * The seller's profiles of its sites (tables.ts): written over the API and the console, read by
 * the storefront's ranking on every get_products (held briefly per storefront, cleared by any
 * write here).
 */
export function createPropertyProfilesService(deps: { db: Db; storefronts: StorefrontsService }) {
  const { db, storefronts } = deps;
  const cache = createReadCache();
  const store = writesClear(rawStore, ['listProfiles'], cache);

  return {
    async list(principal: CustomerPrincipal): Promise<PropertyProfile[]> {
      const storefront = await storefronts.requireOwn(principal);
      return (await store.listProfiles(db, storefront.id)).map(view);
    },

    async put(
      principal: CustomerPrincipal,
      domain: string,
      input: PropertyProfileInput,
    ): Promise<PropertyProfile> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await store.putProfile(db, {
        storefrontId: storefront.id,
        publisherDomain: domain,
        countries: input.countries,
        audience: input.audience ?? null,
        content: input.content ?? null,
      });
      return view(row);
    },

    async remove(
      principal: CustomerPrincipal,
      domain: string,
    ): Promise<{ publisherDomain: string; deleted: true }> {
      const storefront = await storefronts.requireOwn(principal);
      if (!(await store.deleteProfile(db, storefront.id, domain)))
        throw notFound(`Property profile ${domain}`);
      return { publisherDomain: domain, deleted: true };
    },

    /**
     * The storefront's profiles by domain, for its ranking: the same object while held, so what
     * a ranking keeps of a product read with it stays true until a profile is written.
     */
    profilesOf(storefrontId: number): Promise<SiteProfiles> {
      return cache.get(`profiles:${storefrontId}`, async () => {
        const rows = await store.listProfiles(db, storefrontId);
        return new Map(
          rows.map((r) => [
            r.publisherDomain,
            { countries: r.countries, audience: r.audience, content: r.content },
          ]),
        );
      });
    },
  };
}
