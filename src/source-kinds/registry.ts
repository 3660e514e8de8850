import {
  type InventorySource,
  type SellingReason,
  sellingVerdict,
  type SourceKind,
  type StoredSourceRow,
} from '../modules/inventory-sources/index.js';
import type { AdServerKindParts } from '../modules/ad-servers/index.js';
import type { ModularKindParts } from '../modules/modular-sources/index.js';
import type { AdapterKindParts } from '../modules/provider-adapters/index.js';
import { sandboxScope } from '../sources/sandbox.js';
import { adServerSources } from './ad-server/source.js';
import { modularSources } from './modular/source.js';
import { adapterSources } from './provider/source.js';
import { type AdcpAgentDeps, adcpAgentSources } from './agent/source.js';
import { type LinkedStorefrontDeps, linkedStorefrontSources } from './linked-storefront/source.js';
import {
  adServerDescriptor,
  agentDescriptor,
  type KindName,
  kindDescriptors,
  linkedStorefrontDescriptor,
  modularDescriptor,
  providerDescriptor,
} from './descriptors.js';

/**
 * Every kind of inventory source the Merchandising Agent sells from, by executionType: a kind
 * is its descriptor (descriptors.ts, plain data the console and the modules read) and its opener
 * here. A kind implements the source port (src/sources/port.ts) in an adapter folder here over
 * its own domain module; nothing else in the agent changes.
 */
export interface SourceKindDeps {
  agent: AdcpAgentDeps;
  /** Other storefronts' agents, through approved links (AGENT's collaborators and these). */
  linked: Omit<LinkedStorefrontDeps, 'agent'>;
  /** MODULAR_SOURCE: served by Interchange itself from avails feeds and a booking ledger. */
  modular: ModularKindParts;
  /** MANAGED_SALES_AGENT: the publisher's own ad server, with Interchange's sales-agent plumbing. */
  adServer?: AdServerKindParts;
  /** PROVIDER_ADAPTER: a wired provider's ad account (Meta, …), connected by delegated OAuth. */
  adapter: AdapterKindParts;
}

type Opener = (deps: SourceKindDeps) => SourceKind | undefined;

/**
 * One line per kind: how the sources of each descriptor's executionType are opened (undefined:
 * the kind is not wired on this instance). Typed against the descriptors, so a kind cannot be
 * registered here without a descriptor, nor described without an opener.
 */
export const kindOpeners = {
  [agentDescriptor.executionType]: (deps) => adcpAgentSources(deps.agent),
  [linkedStorefrontDescriptor.executionType]: (deps) =>
    linkedStorefrontSources({ ...deps.linked, agent: deps.agent }),
  [modularDescriptor.executionType]: (deps) => modularSources(deps.modular),
  [adServerDescriptor.executionType]: (deps) => deps.adServer && adServerSources(deps.adServer),
  [providerDescriptor.executionType]: (deps) => adapterSources(deps.adapter),
} satisfies Record<KindName, Opener>;

/** Every wired kind's sources, in the descriptors' order. */
export function sourceKinds(deps: SourceKindDeps): Readonly<Record<string, SourceKind>> {
  const openers: Readonly<Record<string, Opener>> = kindOpeners;
  const kinds: Record<string, SourceKind> = {};
  for (const { executionType } of kindDescriptors) {
    const kind = openers[executionType]?.(deps);
    if (kind) kinds[executionType] = kind;
  }
  return kinds;
}

/** A storefront's sources as one buyer's request sees them. */
export interface StorefrontSources {
  /**
   * The sources that can sell now (inventory-sources' sellingVerdict, the one readiness shows),
   * of a registered kind, in registration order: what products come from.
   */
  sellable: InventorySource[];
  /** What the buyer's new buys route to: the sellable sources, and its sandbox inventory if seeded. */
  routable: InventorySource[];
  /**
   * What the buyer's existing buys are followed up at (status, changes, tasks, lost answers):
   * every ACTIVE SALES source, selling now or not, and the sandbox. A source that cannot take a
   * new buy is still asked about the ones it holds.
   */
  serving: InventorySource[];
  /** ACTIVE sources that cannot sell now, by sourceId, with why: named when a buy asks for them. */
  withheld: ReadonlyMap<string, SellingReason>;
}

export interface SourceRegistry {
  /** The storefront's sources for `customerId` (null: for no buyer; no sandbox then). */
  of(storefrontId: number, customerId: number | null): Promise<StorefrontSources>;
}

export function createSourceRegistry(options: {
  /** The storefront's source rows of every kind (inventory-sources cachedRowsOf). */
  rowsOf: (storefrontId: number) => Promise<StoredSourceRow[]>;
  kinds: Readonly<Record<string, SourceKind>>;
  /** Sandbox accounts' inventory: the buyer's on a storefront is one more source, if seeded. */
  sandbox: { sourceFor(scope: string, storefrontId: number): InventorySource | undefined };
  /**
   * Sources held back by compliance (the strict policy: latest run failed), by row id: never
   * offered, asked or routed to. None when omitted.
   */
  gatedOf?: (storefrontId: number) => Promise<ReadonlySet<number>>;
}): SourceRegistry {
  return {
    async of(storefrontId, customerId) {
      const [all, gated] = await Promise.all([
        options.rowsOf(storefrontId),
        options.gatedOf?.(storefrontId),
      ]);
      const rows = all.filter(
        (row) => row.status === 'ACTIVE' && row.type === 'SALES' && !gated?.has(row.id),
      );
      const byKind = new Map<SourceKind, StoredSourceRow[]>();
      for (const row of rows) {
        const kind = options.kinds[row.executionType];
        if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), row]);
      }
      const opened = new Map<number, InventorySource>();
      for (const [kind, ofKind] of byKind) {
        for (const source of kind.open(ofKind, customerId)) opened.set(source.source.id, source);
      }
      const withheld = new Map<string, SellingReason>();
      const sellable: InventorySource[] = [];
      for (const row of rows) {
        const source = opened.get(row.id);
        if (!source) continue;
        const verdict = sellingVerdict(row);
        if (verdict.canTransact) sellable.push(source);
        else withheld.set(row.sourceId, verdict.reason);
      }
      const serving = rows.flatMap((row) => opened.get(row.id) ?? []);
      const sandbox =
        customerId === null
          ? undefined
          : options.sandbox.sourceFor(sandboxScope(storefrontId, customerId), storefrontId);
      return {
        sellable,
        routable: sandbox ? [...sellable, sandbox] : sellable,
        serving: sandbox ? [...serving, sandbox] : serving,
        withheld,
      };
    },
  };
}
