import {
  credentialOwner,
  type JwtGrant,
  type OwnedAuth,
  type UpstreamAuth,
  type UpstreamClient,
} from '../../upstream/index.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { isoDate } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { type IdentityService, maySeeStorefront, storefrontScopeOf } from '../identity/index.js';
import type {
  InventorySourcesService,
  SourceRow,
  SourceSummaryRow,
} from '../inventory-sources/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import type {
  AccountInput,
  BuyerAuthInput,
  CredentialInput,
  CredentialView,
  StorefrontListQuery,
} from './schemas.js';
import { createOAuthService } from './oauth/service.js';
import {
  adcpCapabilitiesOf,
  customerAccountsOf,
  profileOf,
  sourceCapabilityOf,
} from './storefront-facts.js';
import * as rawStore from './store.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import type { CredentialRow } from './store.js';

export interface BuyerAccessDeps {
  db: Db;
  secrets: SecretBox;
  upstream: UpstreamClient;
  identity: IdentityService;
  storefronts: StorefrontsService;
  inventorySources: InventorySourcesService;
  probeTimeoutMs: number;
  /** The guarded fetch for OAuth servers. */
  fetch: OutboundFetch;
  /** This deployment's public origin (OAuth redirect URIs point at it). */
  publicUrl: () => string;
  /** Origins besides ours an OAuth consent may send its code to (redirectUri). */
  oauthRedirectOrigins?: readonly string[];
  /** A storefront's availability (owned by readiness; bound at wiring). */
  availability: (storefront: StorefrontRow) => Promise<{
    canTransact: boolean;
    effectiveStatus: 'archived' | 'paused' | 'blocked' | 'live';
    blockerIds: string[];
  }>;
  /** Recent buyer-discovery timing of a storefront (owned by discovery-runs; bound at wiring). */
  discoveryPerformance: (storefrontId: number) => Promise<DiscoveryPerformance>;
  now?: () => Date;
}

export type BuyerAccessService = ReturnType<typeof createBuyerAccessService>;

export interface DiscoveryPerformance {
  sampleCount: number;
  successCount: number;
  timeoutCount: number;
  avgResponseTimeMs: number | null;
  maxResponseTimeMs: number | null;
  lastResponseTimeMs: number | null;
  lastDiscoveryAt: string | null;
}

const authTypesOf: Record<SourceRow['authenticationType'], string[]> = {
  NO_AUTH: [],
  API_KEY: ['api_key'],
  JWT: ['jwt'],
  OAUTH: ['oauth'],
  BASIC_AUTH: ['basic'],
};

const credentialContext = (customerId: number, agentId: string, account: string) =>
  `buyer_credential:${customerId}:${agentId}:${account}`;

export function createBuyerAccessService(deps: BuyerAccessDeps) {
  const { db, storefronts, inventorySources } = deps;
  // Every forwarded call reads the buyer's credential per source: held briefly per
  // (customer, agent) (platform/read-cache.ts), cleared by any credential write here or in
  // the OAuth flow, which writes through the same store.
  const cache = createReadCache();
  const store = writesClear(
    rawStore,
    ['listCredentials', 'credentialsForAgents', 'latestInterest', 'interestIn', 'findCredential'],
    cache,
  );
  const now = deps.now ?? (() => new Date());
  const oauth = createOAuthService({
    db,
    store,
    secrets: deps.secrets,
    fetch: deps.fetch,
    storefronts,
    inventorySources,
    userEmail: (id) => deps.identity.userEmail(id),
    publicUrl: deps.publicUrl,
    redirectOrigins: deps.oauthRedirectOrigins ?? [],
    now,
  });

  async function visibleStorefront(
    principal: CustomerPrincipal,
    id: number,
  ): Promise<StorefrontRow> {
    const row = await storefronts.findById(id);
    if (!row || !maySeeStorefront(principal, row)) throw notFound('Storefront');
    return row;
  }

  /** Per source: connected (no credentials needed, or an ACTIVE one) and the buyer's accounts. */
  function sourceStates(sources: SourceSummaryRow[], credentials: CredentialRow[]) {
    const byAgent = new Map<string, CredentialRow[]>();
    for (const c of credentials) byAgent.set(c.agentId, [...(byAgent.get(c.agentId) ?? []), c]);
    return new Map(
      sources.map((s) => {
        const mine = byAgent.get(s.agentId) ?? [];
        const connected = !s.requiresCredentials || mine.some((c) => c.status === 'ACTIVE');
        return [s.id, { connected, accounts: mine }] as const;
      }),
    );
  }

  async function summaries(principal: CustomerPrincipal, rows: StorefrontRow[]) {
    const sources = await inventorySources.activeRowsFor(rows.map((r) => r.id));
    const credentials = await store.credentialsForAgents(db, principal.customerId, [
      ...new Set(sources.map((s) => s.agentId)),
    ]);
    const states = sourceStates(sources, credentials);
    return rows.map((row) => {
      const own = sources.filter((s) => s.storefrontId === row.id);
      return {
        row,
        sources: own,
        states,
        summary: {
          id: row.id,
          platformId: row.platformId,
          name: row.name,
          publisherDomain: row.publisherDomain,
          ...profileOf(row, own),
          displayStatus: storefronts.displayStatusOf(row),
          channels: row.channels,
          regions: row.regions,
          supportedCampaignTypes: ['DECISIONED'],
          supportedRoutingTypes: ['DECISIONED', 'ROUTED'] as ('DECISIONED' | 'ROUTED')[],
          adapterProviderType: null,
          adapterSourceKind: null,
          adapterConnection: null,
          creativeCapabilities: null,
          sourceCount: own.length,
          connectedSourceCount: own.filter((s) => states.get(s.id)?.connected).length,
        },
      };
    });
  }

  /** `owner` is the credential's credentialOwner: JWT access tokens are cached for it alone. */
  async function upstreamAuth(auth: BuyerAuthInput, owner: string): Promise<UpstreamAuth> {
    if (auth.type === 'jwt') {
      const grant: JwtGrant = auth;
      return {
        type: 'JWT',
        token: await deps.upstream.accessTokenFor(grant, {
          owner,
          timeoutMs: deps.probeTimeoutMs,
        }),
      };
    }
    if (auth.type === 'basic') {
      return { type: 'BASIC', username: auth.username, password: auth.password };
    }
    return { type: 'API_KEY', token: auth.token };
  }

  /** Checks a buyer's credential live against the source: ACTIVE, INVALID (refused) or PENDING. */
  async function verify(source: SourceRow, auth: BuyerAuthInput, owner: string) {
    let upstream: UpstreamAuth;
    try {
      upstream = await upstreamAuth(auth, owner);
    } catch (error) {
      return {
        status: 'INVALID' as const,
        reason: `Token request failed: ${(error as Error).message}`,
      };
    }
    const result = await inventorySources.probeWith(source, upstream);
    if (result.ok) return { status: 'ACTIVE' as const, reason: null };
    if (result.error.code === 'unauthorized') {
      return {
        status: 'INVALID' as const,
        reason: `The source refused the credential: ${result.error.message}`,
      };
    }
    return {
      status: 'PENDING' as const,
      reason: `Could not verify yet (${result.error.code}): ${result.error.message}`,
    };
  }

  /** A buyer's first ACTIVE credential (lowest id) for an agent: the one it is called with. */
  async function activeCredential(customerId: number, agentId: string) {
    const rows = await cache.get(`credentials:${customerId}:${agentId}`, () =>
      store.credentialsForAgents(db, customerId, [agentId]),
    );
    return rows.find((row) => row.status === 'ACTIVE');
  }

  async function register(
    principal: CustomerPrincipal,
    storefrontId: number,
    sourceId: string,
    body: (CredentialInput & { advertiserId?: string }) | undefined,
  ): Promise<CredentialView> {
    await visibleStorefront(principal, storefrontId);
    const source = await inventorySources.findRow(storefrontId, sourceId);
    if (!source || source.status !== 'ACTIVE') throw notFound('Inventory source');
    const accepted = authTypesOf[source.authenticationType];
    // Seed 002: a body-less POST is how a buyer asks which auth types a source accepts.
    if (!body) {
      throw invalid(
        `Send accountIdentifier and auth; this source accepts: ${accepted.join(', ') || 'no credentials'}`,
        'auth',
        { supportedAuthTypes: accepted, agentId: source.agentId },
      );
    }
    const input = body;
    if (input.marketplaceAccount && principal.membershipRole !== 'SUPER_ADMIN') {
      throw new AppError(
        'forbidden',
        'Only a platform super admin can register marketplace accounts',
        {
          field: 'marketplaceAccount',
        },
      );
    }
    if (source.authenticationType === 'OAUTH') {
      // Seed 002: an OAuth source answers with a PENDING credential and where to consent.
      const started = await oauth.authorize(principal, source.agentId, input.accountIdentifier);
      const [view] = await credentialViews(principal, [started.credential]);
      return {
        ...(view as CredentialView),
        oauth: {
          authorizationUrl: started.authorizationUrl,
          storefrontId,
          sourceId,
          sourceName: source.name,
          agentId: source.agentId,
          agentName: started.agentName,
        },
      };
    }
    if (!input.auth && accepted.length > 0) {
      throw invalid(`auth is required; this source accepts ${accepted.join(', ')}`, 'auth', {
        supportedAuthTypes: accepted,
      });
    }
    const auth = input.auth;
    const normalizedType = auth
      ? auth.type === 'jwt' || auth.type === 'basic'
        ? auth.type
        : 'api_key'
      : 'none';
    if (auth && !accepted.includes(normalizedType)) {
      throw invalid(`This source accepts ${accepted.join(', ') || 'no credentials'}`, 'auth.type', {
        supportedAuthTypes: accepted,
      });
    }
    const owner = credentialOwner.buyerCredential(
      principal.customerId,
      source.agentId,
      input.accountIdentifier,
    );
    const check = auth
      ? await verify(source, auth, owner)
      : { status: 'ACTIVE' as const, reason: null };
    const row = await store.upsertCredential(db, {
      customerId: principal.customerId,
      agentId: source.agentId,
      accountIdentifier: input.accountIdentifier,
      accountType: input.marketplaceAccount ? 'MARKETPLACE' : 'CLIENT',
      authType: normalizedType,
      authSealed: auth
        ? deps.secrets.seal(
            JSON.stringify(
              auth.type === 'jwt' || auth.type === 'basic'
                ? auth
                : { type: 'api_key', token: auth.token },
            ),
            credentialContext(principal.customerId, source.agentId, input.accountIdentifier),
          )
        : null,
      status: check.status,
      statusReason: check.reason,
      ...(input.advertiserId !== undefined && { advertiserId: input.advertiserId }),
      registeredBy: await deps.identity.userEmail(principal.userId),
      checkedAt: now(),
    });
    return (await credentialViews(principal, [row]))[0] as CredentialView;
  }

  async function credentialViews(principal: CustomerPrincipal, rows: CredentialRow[]) {
    const sources = await inventorySources.rowsByAgents([...new Set(rows.map((r) => r.agentId))]);
    const storefrontRows = new Map<number, StorefrontRow | undefined>();
    for (const id of new Set(sources.map((s) => s.storefrontId))) {
      storefrontRows.set(id, await storefronts.findById(id));
    }
    return rows.map((row) => ({
      id: String(row.id),
      accountIdentifier: row.accountIdentifier,
      accountType: row.accountType,
      status: row.status,
      statusReason: row.statusReason,
      registeredBy: row.registeredBy,
      advertiserId: row.advertiserId,
      createdAt: isoDate(row.createdAt),
      updatedAt: isoDate(row.updatedAt),
      // Orphaned credentials (agent no longer behind any visible source) list no pairs.
      sources: sources
        .filter((s) => s.agentId === row.agentId)
        .flatMap((s) => {
          const sf = storefrontRows.get(s.storefrontId);
          return sf && maySeeStorefront(principal, sf)
            ? [
                {
                  storefrontId: sf.id,
                  storefrontName: sf.name,
                  sourceId: s.sourceId,
                  sourceName: s.name,
                },
              ]
            : [];
        }),
    }));
  }

  /** A credential row as presented upstream, with its credentialOwner. */
  async function ownedAuthOf(row: CredentialRow): Promise<OwnedAuth> {
    const owner = credentialOwner.buyerCredential(
      row.customerId,
      row.agentId,
      row.accountIdentifier,
    );
    if (row.authType === 'oauth') {
      const accessToken = await oauth.accessToken(row.customerId, row.id);
      return { auth: { type: 'OAUTH', accessToken }, owner };
    }
    if (row.authType === 'none' || !row.authSealed) return { auth: { type: 'NO_AUTH' }, owner };
    const sealed = deps.secrets.open(
      row.authSealed,
      credentialContext(row.customerId, row.agentId, row.accountIdentifier),
    );
    return { auth: await upstreamAuth(JSON.parse(sealed) as BuyerAuthInput, owner), owner };
  }

  return {
    async listStorefronts(principal: CustomerPrincipal, query: StorefrontListQuery) {
      const scope = storefrontScopeOf(principal);
      const { rows, total } = await storefronts.listForBuyer({
        visibility: query.visibility === 'private' ? 'organization' : 'public',
        organizationId: principal.organizationId,
        ...(scope !== null && { onlyId: scope }),
        ...(query.name && { name: query.name }),
        ...(query.status && { displayStatus: query.status }),
        ...(query.channel && { channel: query.channel }),
        ...(query.region && { region: query.region }),
        ...(query.publisherDomain && { publisherDomain: query.publisherDomain }),
        limit: query.limit,
        offset: query.offset,
      });
      return { items: (await summaries(principal, rows)).map((s) => s.summary), total };
    },

    async getStorefront(principal: CustomerPrincipal, id: number) {
      const row = await visibleStorefront(principal, id);
      const [entry] = await summaries(principal, [row]);
      const { summary, sources, states } = entry as NonNullable<typeof entry>;
      const { sourceCount: _s, connectedSourceCount: _c, ...rest } = summary;
      const needing = sources.filter((s) => s.requiresCredentials);
      return {
        ...rest,
        connected: needing.every((s) => states.get(s.id)?.connected),
        requiresCredentials: needing.length > 0,
        customerAccounts: customerAccountsOf(
          sources.flatMap((s) => states.get(s.id)?.accounts ?? []),
        ),
        readiness: await deps.availability(row),
        discoveryPerformance: await deps.discoveryPerformance(row.id),
        adcpCapabilities: adcpCapabilitiesOf(sources),
        demandContact:
          row.demandContactName && row.demandContactEmail
            ? { name: row.demandContactName, email: row.demandContactEmail }
            : null,
        sources: sources.map((s) => ({
          sourceId: s.sourceId,
          name: s.name,
          agentId: s.agentId,
          requiresCredentials: s.requiresCredentials,
          connected: states.get(s.id)?.connected ?? false,
          supportedCampaignTypes: ['DECISIONED'],
          customerAccounts: (states.get(s.id)?.accounts ?? []).map((c) => ({
            accountIdentifier: c.accountIdentifier,
            status: c.status,
          })),
        })),
      };
    },

    /** Per ACTIVE source of a storefront the caller may see: its cached capability probe. */
    async storefrontCapabilities(principal: CustomerPrincipal, id: number) {
      const row = await visibleStorefront(principal, id);
      const sources = await inventorySources.rowsOf(row.id);
      return {
        storefrontId: row.id,
        agents: sources.filter((s) => s.status === 'ACTIVE').map(sourceCapabilityOf),
      };
    },

    /** Every listed storefront, live or pre-launch, with only id, name, domain and status. */
    async discover(principal: CustomerPrincipal) {
      const scope = storefrontScopeOf(principal);
      const { rows } = await storefronts.listForBuyer({
        visibility: 'public',
        ...(scope !== null && { onlyId: scope }),
        limit: 10_000,
        offset: 0,
      });
      const counts = await inventorySources.activeCounts(rows.map((r) => r.id));
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          publisherDomain: r.publisherDomain,
          status: storefronts.lifecycleOf(r, counts.get(r.id) ?? 0),
        })),
      };
    },

    async submitInterest(
      principal: CustomerPrincipal,
      input: { storefrontIds?: number[] | undefined; notes?: string | undefined },
    ) {
      const row = await store.insertInterest(db, {
        customerId: principal.customerId,
        userId: principal.userId,
        storefrontIds: [...new Set(input.storefrontIds ?? [])],
        notes: input.notes ?? null,
      });
      return { submitted: true, submittedAt: isoDate(row.submittedAt) };
    },

    async interestStatus(principal: CustomerPrincipal) {
      const row = await store.latestInterest(db, principal.customerId);
      return { submitted: row !== undefined, submittedAt: row ? isoDate(row.submittedAt) : null };
    },

    /** Seller side: who asked for access to the caller's storefront. */
    async interestInMyStorefront(principal: CustomerPrincipal) {
      const storefront = await storefronts.requireOwn(principal);
      const rows = await store.interestIn(db, storefront.id);
      const names = await deps.identity.customerNames([...new Set(rows.map((r) => r.customerId))]);
      const items = rows.map((r) => ({
        buyerCustomerId: r.customerId,
        buyerName: names.get(r.customerId) ?? null,
        notes: r.notes,
        submittedAt: isoDate(r.submittedAt),
      }));
      return { items, total: items.length };
    },

    async listCredentials(principal: CustomerPrincipal) {
      return credentialViews(principal, await store.listCredentials(db, principal.customerId));
    },

    oauth,

    /** Deletes one of the caller's credentials, revoking an OAuth grant at its server first. */
    async deleteCredential(principal: CustomerPrincipal, credentialId: number) {
      const row = await store.findCredential(db, credentialId, principal.customerId);
      if (!row) throw notFound('Credential');
      await oauth.revokeAtServer(row);
      await store.deleteCredential(db, credentialId, principal.customerId);
      return { deleted: true as const, id: String(row.id) };
    },

    /**
     * A buyer's own credential for an agent as presented upstream, with its credentialOwner: its
     * first ACTIVE credential (lowest id), null when it has none. OAuth tokens are refreshed and
     * JWT grants exchanged, which throws when the token endpoint refuses.
     */
    async upstreamAuthFor(customerId: number, agentId: string): Promise<OwnedAuth | null> {
      const active = await activeCredential(customerId, agentId);
      return active ? ownedAuthOf(active) : null;
    },

    /**
     * One of the caller's credentials as presented upstream, by id (the buyer picks it when it
     * holds several for an agent); NOT_FOUND for another customer's or an unknown id.
     */
    async upstreamAuthOfCredential(customerId: number, credentialId: number): Promise<OwnedAuth> {
      const row = await store.findCredential(db, credentialId, customerId);
      if (!row) throw notFound('Credential');
      return ownedAuthOf(row);
    },

    /** The caller's credentials at several agents (storefront agents list and detail). */
    async credentialsAtAgents(customerId: number, agentIds: string[]) {
      const rows = await store.credentialsForAgents(db, customerId, agentIds);
      return rows.map((r) => ({
        id: String(r.id),
        agentId: r.agentId,
        status: r.status,
        accountIdentifier: r.accountIdentifier,
        accountType: r.accountType,
        registeredBy: r.registeredBy,
        createdAt: isoDate(r.createdAt),
      }));
    },

    /** The caller's credentials for an agent (id ascending): id, status and account. */
    async credentialsAt(customerId: number, agentId: string) {
      const rows = await store.credentialsForAgents(db, customerId, [agentId]);
      return rows.map((r) => ({
        id: String(r.id),
        status: r.status,
        accountIdentifier: r.accountIdentifier,
      }));
    },

    /**
     * An ACTIVE source on a storefront the caller may see (a sponsored buyer only its own), with
     * the names to show; NOT_FOUND otherwise, so existence does not leak.
     */
    async visibleSource(principal: CustomerPrincipal, storefrontId: number, sourceId: string) {
      const storefront = await visibleStorefront(principal, storefrontId);
      const source = await inventorySources.findRow(storefrontId, sourceId);
      if (!source || source.status !== 'ACTIVE') throw notFound('Inventory source');
      return { storefront, source };
    },

    /** Every visible storefront source on an agent: where an account there is reachable. */
    async sourcesOfAgent(principal: CustomerPrincipal, agentId: string) {
      const sources = await inventorySources.rowsByAgents([agentId]);
      const out: {
        storefrontId: number;
        storefrontName: string;
        sourceId: string;
        sourceName: string;
      }[] = [];
      for (const id of new Set(sources.map((s) => s.storefrontId))) {
        const sf = await storefronts.findById(id);
        if (!sf || !maySeeStorefront(principal, sf)) continue;
        for (const s of sources) {
          if (s.storefrontId === id && s.status === 'ACTIVE') {
            out.push({
              storefrontId: sf.id,
              storefrontName: sf.name,
              sourceId: s.sourceId,
              sourceName: s.name,
            });
          }
        }
      }
      return out;
    },

    /**
     * The account a buyer registered at an agent: the accountIdentifier of the credential
     * upstreamAuthFor presents (its first ACTIVE one), undefined when it has none.
     */
    async registeredAccountAt(customerId: number, agentId: string): Promise<string | undefined> {
      return (await activeCredential(customerId, agentId))?.accountIdentifier;
    },

    registerCredential: (
      principal: CustomerPrincipal,
      storefrontId: number,
      sourceId: string,
      input: CredentialInput | undefined,
    ) => register(principal, storefrontId, sourceId, input),

    registerAccount: (
      principal: CustomerPrincipal,
      storefrontId: number,
      sourceId: string,
      input: AccountInput | undefined,
    ) => register(principal, storefrontId, sourceId, input),
  };
}
