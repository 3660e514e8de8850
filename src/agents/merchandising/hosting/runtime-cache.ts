import type { DecisioningAdcpServer } from '@adcp/sdk/server';
import type { StorefrontRow } from '../../../modules/storefronts/index.js';
import type { ServerPool } from '../../../platform/mcp/server-pool.js';
import type { StorefrontSources } from '../../../source-kinds/registry.js';
import { sourcesDigest } from '../../../sources/offer.js';
import type { AgentA2a } from '../../hosting/a2a.js';

/** A storefront's built agent: its MCP servers and its A2A handler. */
export interface StorefrontRuntime {
  pool: ServerPool<DecisioningAdcpServer>;
  a2a: AgentA2a;
  /** Built while a source had not said what it sells (sources/offer.ts): rebuilt soon. */
  provisional: boolean;
}

/**
 * How long a built agent is reused at most: a change of the storefront or its sources rebuilds
 * it at once (runtimeFor); this bounds what neither records (a source's probe in flight).
 */
const runtimeTtlMs = 60_000;
/** How long an agent built on an unanswered sales probe is kept (soldSpecialisms). */
const provisionalTtlMs = 5_000;
/** How long a replaced agent's servers are kept for the requests still in flight on them. */
const replacedGraceMs = 30_000;

/**
 * The storefronts' built agents, one per storefront: reused while the storefront, its public
 * URL and what its sources can do (sourcesDigest) are unchanged and the agent is fresh; built
 * again otherwise, the replaced one let go once its in-flight requests are surely done.
 */
export function storefrontRuntimes(
  sourcesOf: (storefrontId: number) => Promise<StorefrontSources>,
  build: (
    storefront: StorefrontRow,
    publicUrl: string,
    sources: StorefrontSources,
  ) => Promise<StorefrontRuntime>,
) {
  const runtimes = new Map<
    number,
    { stamp: string; builtAt: number; ttlMs: number; runtime: Promise<StorefrontRuntime> }
  >();
  return {
    async runtimeFor(storefront: StorefrontRow, publicUrl: string): Promise<StorefrontRuntime> {
      // The sources as every call reads them (a read cache cleared on every instance by a
      // write on any): a source activated, disabled or re-probed changes the digest.
      const sources = await sourcesOf(storefront.id);
      const digest = sourcesDigest(sources.serving, sources.sellable);
      const stamp = `${storefront.updatedAt.toISOString()}|${publicUrl}|${digest}`;
      const cached = runtimes.get(storefront.id);
      if (cached && cached.stamp === stamp && Date.now() - cached.builtAt < cached.ttlMs)
        return cached.runtime;
      const runtime = build(storefront, publicUrl, sources);
      const entry = { stamp, builtAt: Date.now(), ttlMs: runtimeTtlMs, runtime };
      runtime.then(
        (built) => void (built.provisional && (entry.ttlMs = provisionalTtlMs)),
        () => runtimes.delete(storefront.id),
      );
      runtimes.set(storefront.id, entry);
      if (cached) {
        setTimeout(
          () => void cached.runtime.then((old) => old.pool.close()).catch(() => undefined),
          replacedGraceMs,
        ).unref();
      }
      return runtime;
    },
    /** Every built agent's servers closed. */
    async close() {
      const all = await Promise.allSettled([...runtimes.values()].map((entry) => entry.runtime));
      runtimes.clear();
      await Promise.all(
        all.map((r) => (r.status === 'fulfilled' ? r.value.pool.close() : undefined)),
      );
    },
  };
}
