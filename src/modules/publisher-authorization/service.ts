import type { Db } from '../../platform/db/database.js';
import { domainSchema } from '../../platform/formats.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { InventorySourcesService, StoredSourceRow } from '../inventory-sources/index.js';
import { agentIdOf, type StorefrontRow, type StorefrontsService } from '../storefronts/index.js';
import { agentKey, resolveAdagents, type AdagentsResolution } from './adagents.js';
import type { PublisherDomainReadiness } from './schemas.js';
import * as store from './store.js';
import { type OwnAgent, verdictOf } from './verdict.js';

/** Where refreshes go: the job queue (src/jobs/publisher-authorization.ts). */
export interface AuthorizationScheduler {
  refresh(storefrontId: number): Promise<void>;
}

export interface PublisherAuthorizationDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn' | 'findById'>;
  inventorySources: Pick<InventorySourcesService, 'allRowsOf'>;
  /** The guarded outbound client's fetch. */
  fetch: OutboundFetch;
  /** INTERCHANGE_ADAGENTS_URL: where a domain's file is read, `{domain}` replaced. */
  urlTemplate: string;
  ttlSeconds: number;
  /** This deployment's public origin (the storefront agents' URLs). */
  publicUrl: () => string;
  scheduler: () => AuthorizationScheduler | undefined;
  timeoutMs?: number;
  now?: () => Date;
  onError?: (error: unknown, context: string) => void;
}

export type PublisherAuthorizationService = ReturnType<typeof createPublisherAuthorizationService>;

/** Most domains one storefront has checked (profile up to 128, the rest from its sources). */
const maxDomains = 256;
/** Reads of one refresh under way at once. */
const parallelReads = 6;
/** A failed read is tried again this soon; a missing or invalid file a little later. */
const errorRetrySeconds = 15 * 60;
const negativeTtlSeconds = 6 * 3600;

/**
 * Publisher authorization (AdCP identity documents: "authorization blocks; compliance
 * informs"): the publisher domains a storefront sells are checked against each publisher's
 * /.well-known/adagents.json, read through the guarded client and kept per storefront with an
 * expiry; the storefront's agent URL, or the source agent it resells, must be listed.
 */
export function createPublisherAuthorizationService(deps: PublisherAuthorizationDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const onError = deps.onError ?? (() => undefined);
  const timeoutMs = deps.timeoutMs ?? 8000;

  /** The storefront's own agents as adagents.json lists them: its agent and ACTIVE sources. */
  function agentsOf(storefront: StorefrontRow, sources: StoredSourceRow[]): OwnAgent[] {
    const own = agentKey(`${deps.publicUrl()}/adcp/${agentIdOf(storefront.platformId)}`);
    const agents: OwnAgent[] = own ? [{ key: own, label: 'storefront' }] : [];
    for (const source of sources) {
      if (source.status !== 'ACTIVE' || !source.endpointUrl) continue;
      const key = agentKey(source.endpointUrl);
      if (key) agents.push({ key, label: source.sourceId });
    }
    return agents;
  }

  /**
   * The domains a storefront sells: its publisherDomain, businessProfile.publisherDomains, and
   * the domains its ACTIVE sources declare in their AdCP portfolio. A source's claims are
   * untrusted input: only valid hostnames are read, at most maxDomains in all.
   */
  function domainsOf(storefront: StorefrontRow, sources: StoredSourceRow[]): string[] {
    const candidates = [
      storefront.publisherDomain,
      ...(storefront.businessProfile?.publisherDomains ?? []),
      ...sources
        .filter((s) => s.status === 'ACTIVE')
        .flatMap((s) => s.capabilities?.publisherDomains ?? []),
    ];
    const domains = new Set<string>();
    for (const candidate of candidates) {
      const parsed = domainSchema.safeParse(candidate);
      if (parsed.success) domains.add(parsed.data);
      if (domains.size >= maxDomains) break;
    }
    return [...domains];
  }

  function expiryOf(resolution: AdagentsResolution, at: Date): Date {
    let seconds: number;
    if (resolution.status === 'error') seconds = errorRetrySeconds;
    else if (resolution.status === 'resolved') {
      seconds =
        resolution.maxAgeSeconds === null
          ? deps.ttlSeconds
          : Math.min(Math.max(resolution.maxAgeSeconds, 300), 7 * 86_400);
    } else seconds = Math.min(deps.ttlSeconds, negativeTtlSeconds);
    return new Date(at.getTime() + seconds * 1000);
  }

  /** Reads the domains' files (all of them, or those never read or expired) and records them. */
  async function refresh(storefront: StorefrontRow, options: { force: boolean }): Promise<number> {
    const sources = await deps.inventorySources.allRowsOf(storefront.id);
    const domains = domainsOf(storefront, sources);
    const known = await store.checksOf(db, storefront.id, domains);
    const at = now();
    const due = options.force
      ? domains
      : domains.filter((d) => {
          const row = known.get(d);
          return !row || row.expiresAt.getTime() <= at.getTime();
        });
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const domain = due[next++] as string;
        const resolution = await resolveAdagents(deps.fetch, deps.urlTemplate, domain, timeoutMs);
        const readAt = now();
        await store.saveCheck(db, {
          storefrontId: storefront.id,
          domain,
          adagentsStatus: resolution.status,
          agents: resolution.agents,
          propertyCount: resolution.propertyCount,
          error: resolution.error,
          sourceUrl: resolution.sourceUrl,
          fetchedAt: readAt,
          expiresAt: expiryOf(resolution, readAt),
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelReads, due.length) }, worker));
    return due.length;
  }

  async function readinessOf(
    storefront: StorefrontRow,
    sources: StoredSourceRow[],
  ): Promise<{ entries: PublisherDomainReadiness[]; stale: boolean }> {
    const domains = domainsOf(storefront, sources);
    const known = await store.checksOf(db, storefront.id, domains);
    const agents = agentsOf(storefront, sources);
    const at = now().getTime();
    let stale = false;
    const entries = domains.map((publisherDomain): PublisherDomainReadiness => {
      const row = known.get(publisherDomain);
      if (!row || row.expiresAt.getTime() <= at) stale = true;
      const verdict = verdictOf(row, agents);
      return {
        publisherDomain,
        status: verdict.status,
        adagentsStatus: row?.adagentsStatus ?? 'pending',
        authorizationStatus: verdict.authorizationStatus,
        authorizationReason: verdict.authorizationReason,
        resolvedPropertyCount: row?.propertyCount ?? null,
        lastSyncedAt: row?.fetchedAt.toISOString() ?? null,
        lastPushedAt: null,
        declaredBySources: sources
          .filter(
            (s) =>
              s.status === 'ACTIVE' && s.capabilities?.publisherDomains.includes(publisherDomain),
          )
          .map((s) => s.sourceId),
        authorizedAgents: verdict.authorizedAgents,
        error: row?.error ?? null,
        checkedUrl: row?.sourceUrl ?? null,
        expiresAt: row?.expiresAt.toISOString() ?? null,
      };
    });
    return { entries, stale };
  }

  /** When gateFor last queued a refresh, per storefront. */
  const lastQueued = new Map<number, number>();

  return {
    /**
     * readiness publisherDomains[]: each domain's verdict from its last read. Domains never
     * read or expired are refreshed by a job (readiness itself never fetches).
     */
    async readinessFor(
      storefront: StorefrontRow,
      sources: StoredSourceRow[],
    ): Promise<PublisherDomainReadiness[]> {
      const { entries, stale } = await readinessOf(storefront, sources);
      const scheduler = deps.scheduler();
      if (stale && scheduler) {
        await scheduler
          .refresh(storefront.id)
          .catch((error: unknown) =>
            onError(error, `queueing adagents refresh of ${storefront.id}`),
          );
      }
      return entries;
    },

    /** POST …/readiness/publisher-domains/refresh: every domain read again now. */
    async refreshForSeller(principal: CustomerPrincipal): Promise<PublisherDomainReadiness[]> {
      const storefront = await deps.storefronts.requireOwn(principal);
      await refresh(storefront, { force: true });
      const sources = await deps.inventorySources.allRowsOf(storefront.id);
      return (await readinessOf(storefront, sources)).entries;
    },

    /** The job's work: reads the storefront's domains that were never read or expired. */
    async refreshDue(storefrontId: number): Promise<number> {
      const storefront = await deps.storefronts.findById(storefrontId);
      return storefront ? refresh(storefront, { force: false }) : 0;
    },

    /** Storefronts with an expired read, for the sweep. */
    storefrontsDue: () => store.storefrontsDue(db, now()),

    /**
     * Whether a publisher domain authorizes the storefront's agent or the source agent
     * (`sourceEndpointUrl`) to sell it, from the storefront's last reads: the gate of the
     * strict policy. Read once per request for the domains it meets.
     */
    async gateFor(storefront: StorefrontRow, domains: string[]) {
      const rows = await store.checksOf(db, storefront.id, domains);
      // A domain never read (the storefront met it through a source's products) is read by a job.
      const scheduler = deps.scheduler();
      const at = now().getTime();
      // At most once a minute per storefront (a product's domain the refresh does not read stays unread).
      if (
        scheduler &&
        domains.some((domain) => !rows.has(domain)) &&
        at - (lastQueued.get(storefront.id) ?? 0) > 60_000
      ) {
        lastQueued.set(storefront.id, at);
        scheduler
          .refresh(storefront.id)
          .catch((error: unknown) =>
            onError(error, `queueing adagents refresh of ${storefront.id}`),
          );
      }
      const own = agentKey(`${deps.publicUrl()}/adcp/${agentIdOf(storefront.platformId)}`);
      // Asked per product; a verdict scans the file's agents, so each pair is judged once.
      const judged = new Map<string, boolean>();
      return (domain: string, sourceEndpointUrl: string | null): boolean => {
        const pair = `${domain} ${sourceEndpointUrl ?? ''}`;
        let authorized = judged.get(pair);
        if (authorized === undefined) {
          const agents: OwnAgent[] = [];
          if (own) agents.push({ key: own, label: 'storefront' });
          const source = sourceEndpointUrl ? agentKey(sourceEndpointUrl) : null;
          if (source) agents.push({ key: source, label: 'source' });
          authorized = verdictOf(rows.get(domain), agents).status === 'authorized';
          judged.set(pair, authorized);
        }
        return authorized;
      };
    },
  };
}
