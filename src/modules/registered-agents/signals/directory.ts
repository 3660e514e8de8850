import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { OwnedAuth, UpstreamTarget } from '../../../upstream/index.js';
import type { SourceRow } from '../../inventory-sources/index.js';
import { storefrontSignalAgentIdOf } from './agent-id.js';
import { agentDescriptor } from '../../../source-kinds/descriptors.js';

/** A signals agent a buyer may ask, whoever registered it, and how to reach it. */
export interface SignalAgentHandle {
  agentId: string;
  agentName: string;
  registeredBy: { kind: 'BUYER' | 'STOREFRONT'; storefrontId: number | null };
  /** The AdCP account_id the agent issued the buyer, when it issued one. */
  accountIdentifier: string | null;
  /** Its endpoint and credential (opened only here, where it is presented upstream). */
  target(timeoutMs: number): Promise<UpstreamTarget>;
}

/** What the directory needs of the storefronts' side (wired in src/wiring/signals.ts). */
export interface StorefrontSignalSources {
  /** Ids of the storefronts the caller may buy from (identity's rule; a sponsored buyer: one). */
  storefrontsOf(principal: CustomerPrincipal): Promise<number[]>;
  /** A storefront's connected sources (drafts left out). */
  rowsOf(storefrontId: number): Promise<SourceRow[]>;
  operatorAuthOf(row: SourceRow, timeoutMs: number): Promise<OwnedAuth>;
}

/**
 * The signals agents of the storefronts a buyer may buy from: their ACTIVE inventory sources of
 * type SIGNAL reached as AdCP agents with the operator's credential (a source that needs each
 * buyer's own credential is left out: buyers cannot register one for a signals source yet).
 */
export async function storefrontSignalAgents(
  sources: StorefrontSignalSources,
  principal: CustomerPrincipal,
): Promise<SignalAgentHandle[]> {
  const storefrontIds = await sources.storefrontsOf(principal);
  const rows = (await Promise.all(storefrontIds.map((id) => sources.rowsOf(id)))).flat();
  return rows
    .filter(
      (row) =>
        row.type === 'SIGNAL' &&
        row.status === 'ACTIVE' &&
        row.executionType === agentDescriptor.executionType &&
        !row.requiresCredentials,
    )
    .map((row) => ({
      agentId: storefrontSignalAgentIdOf(row.id),
      agentName: row.name,
      registeredBy: { kind: 'STOREFRONT' as const, storefrontId: row.storefrontId },
      accountIdentifier: null,
      async target(timeoutMs) {
        const { auth, owner } = await sources.operatorAuthOf(row, timeoutMs);
        return { endpointUrl: row.endpointUrl, protocol: row.protocol, auth, owner };
      },
    }));
}
