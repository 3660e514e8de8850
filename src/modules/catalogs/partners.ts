import type { AdvertiserRow, LinkRow, SourceAccess } from '../advertisers/index.js';
import type { UpstreamClient } from '../../upstream/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { adcpTypeOf, hashOf } from './item-rules.js';
import type { CatalogRow, OfferingRow } from './store.js';

export type PartnerOutcome =
  { ok: true; platformId?: string; itemCount?: number } | { ok: false; error: string };

export interface CatalogPartners {
  push(
    principal: CustomerPrincipal,
    advertiser: AdvertiserRow,
    partnerId: string,
    catalog: CatalogRow,
    items: OfferingRow[],
  ): Promise<PartnerOutcome>;
}

export interface CatalogPartnersDeps {
  /** The advertiser's linked source accounts (advertisers module). */
  linksOf: (customerId: number, advertiserId: number) => Promise<LinkRow[]>;
  access: SourceAccess;
  upstream: UpstreamClient;
  timeoutMs: number;
  /** The storefront a storefront agent id (storefront-{platformId}) names, if any. */
  storefrontOfAgent: (agentId: string) => Promise<number | undefined>;
}

/** The AdCP error code a failed call carries (the source's own), else our failure kind. */
function errorCodeOf(error: { code: string; details?: unknown }): string {
  const details = error.details as { code?: unknown } | undefined;
  return typeof details?.code === 'string' ? details.code : error.code;
}

interface SyncCatalogsAnswer {
  catalogs?: {
    catalog_id?: string;
    action?: string;
    platform_id?: string;
    item_count?: number;
    errors?: { message?: string }[];
  }[];
  errors?: { code?: string; message?: string }[];
}

/**
 * Partners are inventory sources the advertiser linked an account on (seed 004's partnerIds),
 * named by the source's agent id, its source id, or "{storefrontId}/{sourceId}", or a storefront
 * agent (storefront-{platformId}), which stands for each of its sources the advertiser linked. A catalog
 * reaches one with AdCP sync_catalogs, sent with the buyer's own credential for that source and
 * the linked account, as the buying flow sends media buys.
 */
export function createCatalogPartners(deps: CatalogPartnersDeps): CatalogPartners {
  async function pushToLink(
    principal: CustomerPrincipal,
    link: LinkRow,
    partnerId: string,
    catalog: CatalogRow,
    items: OfferingRow[],
  ): Promise<PartnerOutcome> {
    const { source } = await deps.access.visibleSource(principal, link.storefrontId, link.sourceId);
    let credentialId = link.credentialId;
    if (!credentialId) {
      const held = await deps.access.credentialsAt(principal.customerId, source.agentId);
      credentialId = held.find((c) => c.status === 'ACTIVE')?.id ?? null;
    }
    if (!credentialId)
      return { ok: false, error: `You hold no active credential for source "${source.name}"` };
    const owned = await deps.access.upstreamAuthOfCredential(
      principal.customerId,
      Number(credentialId),
    );
    // The same catalog content to the same partner keeps its key, so a retried push is one sync.
    const idempotencyKey = `catalog-${catalog.id}-${hashOf([partnerId, catalog.contentHash, catalog.versionNumber])}`;
    const target = {
      endpointUrl: source.endpointUrl,
      protocol: source.protocol,
      auth: owned.auth,
      owner: owned.owner,
    };
    const send = (account: Record<string, unknown>, key: string) =>
      deps.upstream.callTool<SyncCatalogsAnswer>(
        target,
        'sync_catalogs',
        {
          idempotency_key: key,
          account,
          catalogs: [
            {
              catalog_id: catalog.catalogId,
              type: adcpTypeOf(catalog.type),
              ...(catalog.name && { name: catalog.name }),
              items: items.map((i) => i.data),
              ...(catalog.conversionEvents.length > 0 && {
                conversion_events: catalog.conversionEvents,
              }),
            },
          ],
        },
        { timeoutMs: deps.timeoutMs },
      );
    let result = await send({ account_id: link.accountId }, idempotencyKey);
    // A source may not resolve the account ids it lists (the SDK's social example seller
    // resolves only the natural key); then the brand the account was listed for, operating
    // for itself, names the same account.
    if (!result.ok && errorCodeOf(result.error) === 'ACCOUNT_NOT_FOUND' && link.house)
      result = await send(
        { brand: { domain: link.house }, operator: link.house },
        `${idempotencyKey}-brand`,
      );
    if (!result.ok)
      // The code only: a source's own message can carry its private address.
      return {
        ok: false,
        error: `${source.name} refused sync_catalogs (${errorCodeOf(result.error)})`,
      };
    const answer =
      result.data?.catalogs?.find((c) => c.catalog_id === catalog.catalogId) ??
      result.data?.catalogs?.[0];
    if (!answer) {
      const first = result.data?.errors?.[0];
      return {
        ok: false,
        error: `${source.name} did not sync the catalog${first?.message ? `: ${first.message}` : ''}`,
      };
    }
    if (answer.action === 'failed')
      return {
        ok: false,
        error: `${source.name} failed the catalog${answer.errors?.[0]?.message ? `: ${answer.errors[0].message}` : ''}`,
      };
    return {
      ok: true,
      ...(answer.platform_id && { platformId: answer.platform_id }),
      ...(answer.item_count !== undefined && { itemCount: answer.item_count }),
    };
  }

  return {
    async push(principal, advertiser, partnerId, catalog, items) {
      const links = await deps.linksOf(principal.customerId, advertiser.id);
      const direct = links.find(
        (l) =>
          l.agentId === partnerId ||
          l.sourceId === partnerId ||
          `${l.storefrontId}/${l.sourceId}` === partnerId,
      );
      if (direct) return pushToLink(principal, direct, partnerId, catalog, items);
      // A storefront agent as the partner: every source of that storefront the advertiser
      // linked an account on receives the catalog (one account per source).
      const storefrontId = await deps.storefrontOfAgent(partnerId);
      const perSource = new Map<string, LinkRow>();
      for (const l of links)
        if (l.storefrontId === storefrontId && !perSource.has(l.sourceId))
          perSource.set(l.sourceId, l);
      if (storefrontId === undefined || perSource.size === 0)
        return {
          ok: false,
          error: `This advertiser has no account linked on "${partnerId}": link one with POST …/accounts first`,
        };
      const outcomes = [];
      for (const link of perSource.values())
        outcomes.push({
          link,
          outcome: await pushToLink(principal, link, partnerId, catalog, items),
        });
      const failed = outcomes.filter((o) => !o.outcome.ok);
      if (failed.length > 0)
        return {
          ok: false,
          error: failed
            .map((f) => `${f.link.sourceId}: ${f.outcome.ok ? '' : f.outcome.error}`)
            .join('; '),
        };
      return { ok: true, itemCount: items.length };
    },
  };
}
