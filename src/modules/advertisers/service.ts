import type { UpstreamClient } from '../../upstream/index.js';
import type { Db } from '../../platform/db/database.js';
import { invalid } from '../../platform/errors.js';
import { pageOf, pageRequestOf } from '../../platform/http/pagination.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { capId, createLinkedAccounts } from './accounts/service.js';
import { brandLocation, createBrandResolver } from './brand.js';
import { createDiscovery } from './accounts/discovery.js';
import { createCohorts } from './cohorts/service.js';
import * as cohortStore from './cohorts/store.js';
import { createMeasurement } from './measurement-service.js';
import { advertiserNotFound, archivedAdvertiser, sandboxFixed } from './errors.js';
import type {
  CreateAdvertiserInput,
  FrequencyCapInput,
  ListAdvertisersQuery,
  UpdateAdvertiserInput,
} from './schemas.js';
import type { SourceAccess } from './accounts/source-access.js';
import * as store from './store.js';
import type { AdvertiserRow } from './store.js';
import type { FrequencyCapConfig } from './tables.js';
import { brandFields, coreView, detailView, linkView } from './views.js';

export interface AdvertisersDeps {
  db: Db;
  upstream: UpstreamClient;
  /** Buyer access: visible sources and the buyer's own credentials. */
  access: SourceAccess;
  /** The guarded outbound fetch (brand.json). */
  fetch: OutboundFetch;
  /** Budget for one list_accounts call. */
  timeoutMs: number;
  /**
   * The event sources of some advertisers, for the nested GET (seed 004). Owned by the event
   * sources module, which itself reaches advertisers through this service: services.ts binds
   * it late. Without it the nested GET answers eventSources: [].
   */
  eventSourcesOf?: (advertiserIds: number[]) => Promise<Map<number, Record<string, unknown>[]>>;
  now?: () => Date;
}

export type AdvertisersService = ReturnType<typeof createAdvertisersService>;

/**
 * Advertisers (seed 004): a buyer customer's brands with their linked source accounts, test
 * cohorts and measurement config. Every lookup is scoped by the caller's customer: another
 * customer's advertiser (or anything under it) is NOT_FOUND.
 */
export function createAdvertisersService(deps: AdvertisersDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const brands = createBrandResolver({ db, fetch: deps.fetch, now });
  const discovery = createDiscovery({
    db,
    upstream: deps.upstream,
    access: deps.access,
    now,
    timeoutMs: deps.timeoutMs,
  });
  const links = createLinkedAccounts({ db, discovery });

  /** The advertiser archived (ARCHIVED, when) or restored (ACTIVE); as it is when it already is. */
  async function setArchived(principal: CustomerPrincipal, id: string, archived: boolean) {
    const current = await requireAdvertiser(principal.customerId, id);
    const status = archived ? 'ARCHIVED' : 'ACTIVE';
    const row =
      current.status === status
        ? current
        : await store.updateAdvertiser(db, principal.customerId, current.id, {
            status,
            archivedAt: archived ? now() : null,
          });
    if (!row) throw advertiserNotFound();
    return row;
  }

  /** The accounts a create or update links, each checked (`linkedAccounts.{i}.accountId`). */
  async function linksToAdd(
    principal: CustomerPrincipal,
    inputs: CreateAdvertiserInput['linkedAccounts'],
  ) {
    if (!inputs?.length) return [];
    return links.validate(principal, inputs, (i) => `linkedAccounts.${i}.accountId`);
  }

  /** The customer's advertiser by its wire id; throws NOT_FOUND (also for malformed ids). */
  async function requireAdvertiser(customerId: number, id: string): Promise<AdvertiserRow> {
    const n = store.parseAdvertiserId(id);
    const row = n === undefined ? undefined : await store.findAdvertiser(db, customerId, n);
    if (!row) throw advertiserNotFound();
    return row;
  }

  async function requireActive(customerId: number, id: string): Promise<AdvertiserRow> {
    const row = await requireAdvertiser(customerId, id);
    if (row.status !== 'ACTIVE') throw archivedAdvertiser();
    return row;
  }

  async function detail(principal: CustomerPrincipal, row: AdvertiserRow, includeBrand = false) {
    const [linkRows, cohorts, measurement, brand, eventSources] = await Promise.all([
      store.linksOf(db, principal.customerId, [row.id]),
      cohortStore.cohortsOf(db, [row.id]),
      store.findMeasurement(db, row.id),
      includeBrand
        ? brands.resolveMany(principal.customerId, [row.brand]).then((m) => m.get(row.brand))
        : undefined,
      deps.eventSourcesOf ? deps.eventSourcesOf([row.id]).then((m) => m.get(row.id) ?? []) : [],
    ]);
    return detailView(row, {
      links: linkRows,
      cohorts,
      measurement,
      eventSources,
      ...(brand && { brand }),
    });
  }

  const capsOf = (caps: FrequencyCapInput[]): FrequencyCapConfig[] => {
    const at = now().toISOString();
    return caps.map((c) => ({ id: capId(), ...c, createdAt: at, updatedAt: at }));
  };

  return {
    requireAdvertiser,
    requireActive,

    /**
     * A page of the caller's advertisers: one statement for the page (with total and link
     * counts), one for linked accounts, one for cached brands, whatever the page size.
     */
    async list(principal: CustomerPrincipal, query: ListAdvertisersQuery) {
      const page = pageRequestOf({ ...query, limit: query.limit ?? 100 });
      const { rows, total } = await store.pageAdvertisers(
        db,
        principal.customerId,
        {
          status: query.status,
          ...(query.name && { name: query.name }),
          ...(query.sandbox !== undefined && { sandbox: query.sandbox }),
          ...(query.linkedAccountPartnerId && { linkedSource: query.linkedAccountPartnerId }),
        },
        page,
      );
      const ids = rows.map((r) => r.id);
      const [linkRows, resolved] = await Promise.all([
        query.includeAccounts ? store.linksOf(db, principal.customerId, ids) : [],
        query.includeBrand
          ? brands.resolveMany(
              principal.customerId,
              rows.map((r) => r.brand),
            )
          : undefined,
      ]);
      const items = rows.map((row) => ({
        ...coreView(row),
        linkedAccountCount: row.linkCount,
        ...(query.includeAccounts && {
          linkedAccounts: linkRows.filter((l) => l.advertiserId === row.id).map(linkView),
        }),
        ...(resolved && brandFields(resolved.get(row.brand))),
      }));
      return pageOf(items, total, page);
    },

    async create(principal: CustomerPrincipal, input: CreateAdvertiserInput) {
      checkBrand(input.brand);
      const toLink = await linksToAdd(principal, input.linkedAccounts);
      const row = await db.transaction(async (tx) => {
        const created = await store.insertAdvertiser(tx, {
          customerId: principal.customerId,
          name: input.name,
          description: input.description ?? null,
          brand: input.brand,
          sandbox: input.sandbox ?? false,
          optimizationApplyMode: input.optimizationApplyMode ?? 'MANUAL',
          primaryCurrency: input.primaryCurrency,
          utmConfig: input.utmConfig ?? [],
          frequencyCaps: capsOf(input.frequencyCaps ?? []),
        });
        await store.insertLinks(
          tx,
          toLink.map((l) => ({ ...l, advertiserId: created.id })),
        );
        return created;
      });
      return detail(principal, row);
    },

    async get(principal: CustomerPrincipal, id: string, options: { includeBrand?: boolean }) {
      return detail(
        principal,
        await requireAdvertiser(principal.customerId, id),
        options.includeBrand,
      );
    },

    /** Partial or full; linkedAccounts only add; sandbox is fixed; caps and UTM are replaced. */
    async update(principal: CustomerPrincipal, id: string, input: UpdateAdvertiserInput) {
      const current = await requireActive(principal.customerId, id);
      if (input.sandbox !== undefined && input.sandbox !== current.sandbox) throw sandboxFixed();
      if (input.brand !== undefined) checkBrand(input.brand);
      const toLink = await linksToAdd(principal, input.linkedAccounts);
      const row = await db.transaction(async (tx) => {
        const updated = await store.updateAdvertiser(tx, principal.customerId, current.id, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.description !== undefined && { description: input.description }),
          ...(input.brand !== undefined && { brand: input.brand }),
          ...(input.optimizationApplyMode !== undefined && {
            optimizationApplyMode: input.optimizationApplyMode,
          }),
          ...(input.primaryCurrency !== undefined && { primaryCurrency: input.primaryCurrency }),
          ...(input.utmConfig !== undefined && { utmConfig: input.utmConfig }),
          ...(input.frequencyCaps !== undefined && { frequencyCaps: capsOf(input.frequencyCaps) }),
        });
        await store.insertLinks(
          tx,
          toLink.map((l) => ({ ...l, advertiserId: current.id })),
        );
        return updated;
      });
      if (!row) throw advertiserNotFound();
      return detail(principal, row);
    },

    /** DELETE archives: the advertiser and everything under it stay readable and restorable. */
    async archive(principal: CustomerPrincipal, id: string) {
      const row = await setArchived(principal, id, true);
      return { id: String(row.id), status: row.status, archived: true as const };
    },

    async restore(principal: CustomerPrincipal, id: string) {
      return detail(principal, await setArchived(principal, id, false));
    },

    accounts: {
      available: async (
        principal: CustomerPrincipal,
        id: string,
        query: Parameters<typeof links.available>[1],
      ) => {
        await requireAdvertiser(principal.customerId, id);
        return links.available(principal, query);
      },
      assign: async (
        principal: CustomerPrincipal,
        id: string,
        input: Parameters<typeof links.assign>[2],
      ) => links.assign(principal, await requireActive(principal.customerId, id), input),
      list: async (
        principal: CustomerPrincipal,
        id: string,
        filter: Parameters<typeof links.list>[2],
      ) => links.list(principal, await requireAdvertiser(principal.customerId, id), filter),
      get: async (principal: CustomerPrincipal, id: string, accountId: string) =>
        links.get(principal, await requireAdvertiser(principal.customerId, id), accountId),
      unassign: async (principal: CustomerPrincipal, id: string, linkId: string) =>
        links.unassign(principal, await requireActive(principal.customerId, id), linkId),
      /**
       * For the buying flow: the account an advertiser linked on a source, the AdCP account to
       * send it (first linked, lowest link id); undefined when it linked none there.
       */
      /** Every account an advertiser linked, for collaborators that act per source (catalogs). */
      linksOf: (customerId: number, advertiserId: number) =>
        store.linksOf(db, customerId, [advertiserId]),
      linkedAt: async (
        customerId: number,
        advertiserId: number,
        storefrontId: number,
        sourceId: string,
      ) =>
        (await store.linksOf(db, customerId, [advertiserId])).find(
          (l) => l.storefrontId === storefrontId && l.sourceId === sourceId,
        ),
      /** For storefront agents: whether the customer linked this account on this source. */
      isLinked: async (
        customerId: number,
        storefrontId: number,
        sourceId: string,
        accountId: string,
      ) =>
        (await store.linkedAccountsOf(db, customerId, storefrontId, sourceId)).includes(accountId),
      /** For the buying flow: every account an advertiser linked, lowest link id first. */
      linksOfAdvertiser: async (customerId: number, advertiserId: number) =>
        store.linksOf(db, customerId, [advertiserId]),
      /** For the buying flow: every account an advertiser linked on a storefront's sources. */
      linksOn: async (customerId: number, advertiserId: number, storefrontId: number) =>
        (await store.linksOf(db, customerId, [advertiserId])).filter(
          (l) => l.storefrontId === storefrontId,
        ),
    },

    cohorts: createCohorts({ db, requireAdvertiser, requireActive }),
    measurement: createMeasurement({ db, requireAdvertiser, requireActive }),
  };

  function checkBrand(brand: string) {
    if (!brandLocation(brand)) {
      throw invalid('brand must be a domain such as acme.com or a website URL', 'brand');
    }
  }
}
