import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { createDiscovery, Discovered } from './discovery.js';
import { accountNotAvailable, alreadyLinked, linkNotFound } from '../errors.js';
import type { LinkedAccountInput } from '../schemas.js';
import { deleteLink, findLink, insertLinks, linksOf, type NewLink } from '../store.js';
import type { AdvertiserRow } from '../store.js';
import { linkView } from '../views.js';

type Discovery = ReturnType<typeof createDiscovery>;

/**
 * Linked source accounts: every link is checked against what list_accounts answers for the
 * buyer's own credential (the cache first, one refresh when the account is not in it).
 */
export function createLinkedAccounts(deps: { db: Db; discovery: Discovery }) {
  const { db, discovery } = deps;

  /** The links to insert for `inputs`; throws invalid naming the entry that is not available. */
  async function validate(
    principal: CustomerPrincipal,
    inputs: LinkedAccountInput[],
    fieldOf: (index: number) => string,
  ): Promise<Omit<NewLink, 'advertiserId'>[]> {
    const seen = new Map<string, Discovered>();
    const out: Omit<NewLink, 'advertiserId'>[] = [];
    for (const [index, input] of inputs.entries()) {
      const key = `${input.storefrontId}\u0000${input.sourceId}\u0000${input.credentialId ?? ''}`;
      let found = seen.get(key);
      const query = {
        storefrontId: input.storefrontId,
        sourceId: input.sourceId,
        ...(input.credentialId !== undefined && { credentialId: input.credentialId }),
      };
      found ??= await discovery.discover(principal, query);
      let account = found.accounts.find((a) => a.accountId === input.accountId);
      if (!account && !found.synced) {
        found = await discovery.discover(principal, { ...query, refresh: true });
        account = found.accounts.find((a) => a.accountId === input.accountId);
      }
      seen.set(key, found);
      if (!account) throw accountNotAvailable(fieldOf(index), input.accountId, input.sourceId);
      out.push({
        customerId: principal.customerId,
        storefrontId: input.storefrontId,
        sourceId: input.sourceId,
        agentId: found.source.agentId,
        accountId: account.accountId,
        credentialId: found.credentialId,
        billingType: input.billingType ?? null,
        name: account.name,
        advertiserName: account.advertiser,
        billingProxy: account.billingProxy,
        house: account.house,
        billing: account.billing,
        status: account.status,
        sources: found.sources,
      });
    }
    return out;
  }

  return {
    validate,

    async available(
      principal: CustomerPrincipal,
      query: {
        storefrontId: number;
        sourceId: string;
        credentialId?: string;
        refresh?: boolean;
        billingType?: string;
        take: number;
        skip: number;
      },
    ) {
      const found = await discovery.discover(principal, query);
      const all = found.accounts
        .filter((a) => !query.billingType || a.billing === query.billingType)
        .map((a) => ({ ...a, credentialId: found.credentialId, sources: found.sources }));
      // The billing arrangements the source's accounts carry (the source has no other say).
      const supported = [...new Set(found.accounts.flatMap((a) => (a.billing ? [a.billing] : [])))];
      return {
        accounts: all.slice(query.skip, query.skip + query.take),
        total: all.length,
        synced: found.synced,
        billingOptions: { default: supported[0] ?? null, supported },
      };
    },

    async assign(
      principal: CustomerPrincipal,
      advertiser: AdvertiserRow,
      input: LinkedAccountInput,
    ) {
      const [link] = await validate(principal, [input], () => 'accountId');
      const existing = await findLink(db, principal.customerId, advertiser.id, {
        accountId: input.accountId,
      });
      if (
        existing &&
        existing.storefrontId === input.storefrontId &&
        existing.sourceId === input.sourceId
      ) {
        throw alreadyLinked();
      }
      await insertLinks(db, [{ ...(link as NewLink), advertiserId: advertiser.id }]);
      const rows = await linksOf(db, principal.customerId, [advertiser.id]);
      const row = rows.find(
        (r) =>
          r.accountId === input.accountId &&
          r.storefrontId === input.storefrontId &&
          r.sourceId === input.sourceId,
      );
      if (!row) throw alreadyLinked();
      return linkView(row);
    },

    async list(
      principal: CustomerPrincipal,
      advertiser: AdvertiserRow,
      filter: {
        storefrontId?: number;
        sourceId?: string;
        status?: string;
        take: number;
        skip: number;
      },
    ) {
      const rows = (await linksOf(db, principal.customerId, [advertiser.id])).filter(
        (r) =>
          (filter.storefrontId === undefined || r.storefrontId === filter.storefrontId) &&
          (filter.sourceId === undefined || r.sourceId === filter.sourceId) &&
          (filter.status === undefined || r.status === filter.status),
      );
      return {
        accounts: rows.slice(filter.skip, filter.skip + filter.take).map(linkView),
        total: rows.length,
      };
    },

    /** By the source's account id (as the hosted path names it), else by link id. */
    async get(principal: CustomerPrincipal, advertiser: AdvertiserRow, accountId: string) {
      const row =
        (await findLink(db, principal.customerId, advertiser.id, { accountId })) ??
        (/^\d{1,15}$/.test(accountId)
          ? await findLink(db, principal.customerId, advertiser.id, { linkId: Number(accountId) })
          : undefined);
      if (!row) throw linkNotFound();
      return linkView(row);
    },

    async unassign(principal: CustomerPrincipal, advertiser: AdvertiserRow, linkId: string) {
      const id = /^\d{1,15}$/.test(linkId) ? Number(linkId) : undefined;
      if (id === undefined || !(await deleteLink(db, principal.customerId, advertiser.id, id))) {
        throw linkNotFound();
      }
      return { unlinked: true as const };
    },
  };
}

/** Frequency caps get an id when set (they are replaced whole on PUT). */
export const capId = () => `fc_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
