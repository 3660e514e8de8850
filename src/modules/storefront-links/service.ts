import type { Db } from '../../platform/db/database.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { NotificationEvent } from '../notifications/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { maySeeStorefront } from '../identity/index.js';
import type { InventorySourcesService } from '../inventory-sources/index.js';
import { agentKey } from '../publisher-authorization/index.js';
import { agentIdOf, type StorefrontRow, type StorefrontsService } from '../storefronts/index.js';
import { type LinkAdmission, linkChainOf, maxLinkHops } from './admission.js';
import type { LinkRequestInput, LinkView } from './schemas.js';
import * as store from './store.js';
import { linkView } from './views.js';
import { linkedStorefrontDescriptor } from '../../source-kinds/descriptors.js';

export interface StorefrontLinksDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn' | 'findById' | 'findByPlatformId'>;
  inventorySources: Pick<InventorySourcesService, 'allRowsOf'>;
  customerNames: (ids: number[]) => Promise<Map<number, string>>;
  customerDomainOf: (id: number) => Promise<string | null>;
  /** This deployment's public origin: storefront agents' URLs, the nodes of the link graph. */
  publicUrl: () => string;
  now?: () => Date;
  /** Tells the upstream's seller of a request (modules/notifications); absent: nobody. */
  notify?: (event: NotificationEvent) => Promise<void>;
}

export type StorefrontLinksService = ReturnType<typeof createStorefrontLinksService>;

/** The downstream storefront asking, as the upstream records it. */
export interface Downstream {
  agentKey: string;
  name: string;
  storefrontId: number | null;
  /** Storefront agents it already resells (agent keys), as it says. */
  upstreams: string[];
}

export const linkLoop = (message: string) =>
  new AppError('invalid', message, { code: 'LINK_LOOP', field: 'storefront' });

/**
 * Linked storefronts (federation), the upstream's side: link requests from storefronts that want
 * to sell this storefront's inventory through their own Merchandising Agent, decided by the
 * upstream's seller, and the link graph's loop check. A storefront agent is named by its URL
 * (adagents agentKey of `{public origin}/adcp/storefront-{platformId}`), on this instance or
 * another.
 */
export function createStorefrontLinksService(deps: StorefrontLinksDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  const keyOf = (storefront: Pick<StorefrontRow, 'platformId'>): string =>
    agentKey(`${deps.publicUrl()}/adcp/${agentIdOf(storefront.platformId)}`) as string;

  /** The storefront of this instance an agent URL (or key) names, if any. */
  async function localStorefrontOf(url: string): Promise<StorefrontRow | undefined> {
    const prefix = `${agentKey(deps.publicUrl()) as string}/adcp/storefront-`;
    const key = agentKey(url);
    if (!key?.startsWith(prefix)) return undefined;
    const platformId = key.slice(prefix.length);
    if (!/^[a-z0-9-]+$/.test(platformId)) return undefined;
    return deps.storefronts.findByPlatformId(platformId);
  }

  /**
   * Every storefront agent `storefront` sells through, directly or through others, as far as
   * this instance knows: its LINKED_STOREFRONT sources, the links it requested here (with the
   * upstreams it said it resells), followed through storefronts of this instance.
   */
  async function closureOf(storefront: StorefrontRow): Promise<Set<string>> {
    const seen = new Set<string>();
    const queue: string[] = [keyOf(storefront)];
    const visited = new Set<string>();
    while (queue.length > 0 && visited.size < 1000) {
      const key = queue.shift() as string;
      if (visited.has(key)) continue;
      visited.add(key);
      const next: string[] = [];
      const local = await localStorefrontOf(key);
      if (local) {
        for (const row of await deps.inventorySources.allRowsOf(local.id)) {
          if (
            row.executionType !== linkedStorefrontDescriptor.executionType ||
            row.status === 'DISABLED'
          )
            continue;
          const upstream = row.endpointUrl ? agentKey(row.endpointUrl) : null;
          if (upstream) next.push(upstream);
        }
      }
      for (const link of await store.listByDownstream(db, key)) {
        if (link.status === 'REJECTED' || link.status === 'REVOKED') continue;
        const upstream = await deps.storefronts.findById(link.upstreamStorefrontId);
        if (upstream) next.push(keyOf(upstream));
        next.push(...link.downstreamUpstreams);
      }
      for (const upstream of next) {
        seen.add(upstream);
        if (!visited.has(upstream)) queue.push(upstream);
      }
    }
    return seen;
  }

  async function views(rows: store.LinkRow[]): Promise<LinkView[]> {
    const requesters = [...new Set(rows.map((r) => r.requesterCustomerId))];
    const [names, domains, upstreams] = await Promise.all([
      deps.customerNames(requesters),
      Promise.all(requesters.map(async (id) => [id, await deps.customerDomainOf(id)] as const)),
      Promise.all(
        [...new Set(rows.map((r) => r.upstreamStorefrontId))].map(
          async (id) => [id, await deps.storefronts.findById(id)] as const,
        ),
      ),
    ]);
    const domainOf = new Map(domains);
    const upstreamOf = new Map(upstreams);
    return rows.map((row) =>
      linkView(row, {
        upstream: upstreamOf.get(row.upstreamStorefrontId),
        requesterName: names.get(row.requesterCustomerId) ?? null,
        requesterDomain: domainOf.get(row.requesterCustomerId) ?? null,
      }),
    );
  }

  /**
   * Records `requester`'s request to sell `upstream` as `downstream`: refused (LINK_LOOP) when
   * the downstream is the upstream itself or the upstream already sells through it.
   */
  async function request(
    requester: CustomerPrincipal,
    upstream: StorefrontRow,
    downstream: Downstream,
    note: string | null,
  ): Promise<store.LinkRow> {
    const upstreamKey = keyOf(upstream);
    if (downstream.agentKey === upstreamKey) {
      throw linkLoop('A storefront cannot sell its own inventory through a link to itself');
    }
    if ((await closureOf(upstream)).has(downstream.agentKey)) {
      throw linkLoop(
        `${upstream.name} already sells through ${downstream.name}: linking back would make a loop`,
      );
    }
    const row = await store.upsertRequest(db, {
      upstreamStorefrontId: upstream.id,
      requesterCustomerId: requester.customerId,
      downstreamAgentKey: downstream.agentKey,
      downstreamName: downstream.name,
      downstreamStorefrontId: downstream.storefrontId,
      downstreamUpstreams: downstream.upstreams,
      note,
    });
    if (row.status === 'PENDING') {
      await deps.notify?.({
        customerId: upstream.customerId,
        type: 'storefront_link.requested',
        status: 'info',
        message: `${downstream.name} asks to sell your storefront ${upstream.name} as a linked storefront.`,
        actionUrl: '/console/link-requests',
        data: { linkId: row.id, downstreamName: downstream.name },
        // A request made again after a decision is a new request; repeated while pending, not.
        eventKey: `link_request:${row.id}:${(row.decidedAt ?? row.createdAt).toISOString()}`,
      });
    }
    return row;
  }

  async function requireForSeller(principal: CustomerPrincipal, id: number) {
    const storefront = await deps.storefronts.requireOwn(principal);
    const row = await store.findForUpstream(db, storefront.id, id);
    if (!row) throw notFound('Link request');
    return row;
  }

  async function decide(
    principal: CustomerPrincipal,
    id: number,
    from: store.LinkStatus[],
    to: store.LinkStatus,
    reason: string | undefined,
  ): Promise<LinkView> {
    const row = await requireForSeller(principal, id);
    const moved = await store.transition(db, row.id, from, to, {
      by: principal.userId,
      at: now(),
      reason: reason ?? null,
    });
    if (!moved) {
      throw conflict(
        `This link is ${row.status}; only a ${from.join(' or ')} link can become ${to}`,
      );
    }
    return (await views([moved]))[0] as LinkView;
  }

  return {
    keyOf,
    closureOf,
    localStorefrontOf,
    request,

    /** POST /api/v2/buyer/storefront-links: a downstream (here or remote) asks to sell a storefront. */
    async requestFromCaller(principal: CustomerPrincipal, input: LinkRequestInput) {
      const upstream =
        input.storefrontId !== undefined
          ? await deps.storefronts.findById(input.storefrontId)
          : await deps.storefronts.findByPlatformId(input.platformId as string);
      if (!upstream || upstream.archivedAt !== null || !maySeeStorefront(principal, upstream)) {
        throw notFound('Storefront');
      }
      const key = agentKey(input.downstream.agentUrl);
      if (!key) throw new AppError('invalid', 'Not an agent URL', { field: 'downstream.agentUrl' });
      const local = await localStorefrontOf(key);
      // A storefront of this instance is asked for only by its own organisation.
      if (local && local.organizationId !== principal.organizationId) {
        throw new AppError('invalid', 'That storefront is not yours', {
          field: 'downstream.agentUrl',
        });
      }
      const row = await request(
        principal,
        upstream,
        {
          agentKey: key,
          name: input.downstream.name,
          storefrontId: local?.id ?? null,
          upstreams: input.downstream.upstreams.flatMap((u) => agentKey(u) ?? []),
        },
        input.note ?? null,
      );
      return (await views([row]))[0] as LinkView;
    },

    /** GET /api/v2/buyer/storefront-links: the links the caller asked for, anywhere here. */
    async listForRequester(principal: CustomerPrincipal) {
      const items = await views(await store.listForRequester(db, principal.customerId));
      return { items, total: items.length };
    },

    async listForSeller(principal: CustomerPrincipal, statuses?: store.LinkStatus[]) {
      const storefront = await deps.storefronts.requireOwn(principal);
      const items = await views(await store.listForUpstream(db, storefront.id, statuses));
      return { items, total: items.length };
    },

    async getForSeller(principal: CustomerPrincipal, id: number): Promise<LinkView> {
      return (await views([await requireForSeller(principal, id)]))[0] as LinkView;
    },

    approve: (principal: CustomerPrincipal, id: number, reason?: string) =>
      decide(principal, id, ['PENDING'], 'ACTIVE', reason),
    deny: (principal: CustomerPrincipal, id: number, reason?: string) =>
      decide(principal, id, ['PENDING'], 'REJECTED', reason),
    revoke: (principal: CustomerPrincipal, id: number, reason?: string) =>
      decide(principal, id, ['ACTIVE', 'PENDING'], 'REVOKED', reason),

    /** The link a caller holds to sell `upstream` as `downstreamKey`. */
    linkFor: (upstreamStorefrontId: number, requesterCustomerId: number, downstreamKey: string) =>
      store.findPair(db, upstreamStorefrontId, requesterCustomerId, downstreamKey),

    /**
     * The storefront agent's call-time gate: a call carrying a link chain (request
     * `ext.interchange.link.chain`, from another storefront selling this one) goes ahead only
     * when the immediate caller holds an ACTIVE link here as `customerId`, the chain does not
     * pass through this storefront already (a loop, whatever links were made elsewhere), and it
     * is no longer than maxLinkHops. A call without a chain is an ordinary buyer's.
     */
    async admit(upstream: StorefrontRow, customerId: number, ext: unknown): Promise<LinkAdmission> {
      const chain = linkChainOf(ext);
      if (chain === null) return { ok: true, chain: null };
      if (chain === 'invalid') {
        return {
          ok: false,
          refusal: { code: 'INVALID_REQUEST', message: 'ext.interchange.link.chain is malformed' },
        };
      }
      const self = keyOf(upstream);
      if (chain.some((key) => agentKey(key) === self)) {
        return {
          ok: false,
          refusal: {
            code: 'LINK_LOOP',
            message: `This call already passed through ${upstream.name}: linked storefronts form a loop`,
          },
        };
      }
      if (chain.length > maxLinkHops) {
        return {
          ok: false,
          refusal: {
            code: 'LINK_TOO_DEEP',
            message: `Linked storefronts are followed at most ${maxLinkHops} hops deep`,
          },
        };
      }
      const downstream = agentKey(chain[chain.length - 1] as string);
      const link = downstream && (await store.findPair(db, upstream.id, customerId, downstream));
      if (!link || link.status !== 'ACTIVE') {
        return {
          ok: false,
          refusal: {
            code: 'LINK_NOT_APPROVED',
            message: `${upstream.name} has not approved (or has revoked) this storefront's link`,
          },
        };
      }
      await store.noteUsed(db, link.id, now());
      return { ok: true, chain: [...chain.slice(0, -1), downstream] };
    },

    /** Who a storefront of this instance calls `upstream` as through its link: the requester of its latest link there. */
    async requesterFor(upstreamStorefrontId: number, downstreamKey: string) {
      const [latest] = await store.listForPair(db, upstreamStorefrontId, downstreamKey);
      return latest?.requesterCustomerId;
    },
  };
}
