import {
  credentialOwner,
  JwtGrantError,
  type ProbeResult,
  type UpstreamAuth,
} from '../../../upstream/index.js';
import { OutboundError } from '../../../platform/outbound/index.js';
import { upstreamAuthOf } from '../credentials/auth-config.js';
import { cannotActivate } from '../errors.js';
import { probeOutcome } from './probe-mapping.js';
import { speaksAdcp31 } from './releases.js';
import type { InventorySourcesDeps } from '../deps.js';
import { storedAuthOf } from '../credentials/source-credentials.js';
import type * as rawStore from '../store.js';
import { isConnected, type SourceRow, type StoredSourceRow } from '../store.js';

export type SourceProbing = ReturnType<typeof createSourceProbing>;

/**
 * Capability probes of a source with the operator's credential, and what they leave behind:
 * the outcome cached on the row (through `store`, the service's cache-clearing one, so readers
 * see it at once) and a PROBE entry in the storefront's activity.
 */
export function createSourceProbing(
  deps: InventorySourcesDeps,
  store: typeof rawStore,
  now: () => Date,
) {
  const { db, secrets, activity } = deps;

  async function probeRow(row: SourceRow): Promise<ProbeResult> {
    const stored = storedAuthOf(secrets, row);
    const started = performance.now();
    const owner = credentialOwner.inventorySource(row.id);
    let auth: UpstreamAuth;
    try {
      auth = await upstreamAuthOf(stored, deps.upstream, {
        owner,
        timeoutMs: deps.probeTimeoutMs,
      });
    } catch (error) {
      // A JWT credential whose token endpoint refuses it is an auth failure of the source.
      if (!(error instanceof JwtGrantError || error instanceof OutboundError)) throw error;
      return {
        ok: false,
        latencyMs: performance.now() - started,
        error: { code: 'unauthorized', message: error.message },
      };
    }
    const remaining = Math.max(1, deps.probeTimeoutMs - (performance.now() - started));
    return deps.upstream.probe(
      { endpointUrl: row.endpointUrl, protocol: row.protocol, auth, owner },
      { timeoutMs: remaining, speaks31: speaksAdcp31(row) },
    );
  }

  /** Caches what a probe learned on the source and logs it as setup activity. */
  async function saveProbe(
    row: StoredSourceRow,
    result: ProbeResult,
    userId: number | null,
  ): Promise<StoredSourceRow> {
    const at = now();
    const latency = Math.round(result.latencyMs);
    const updated = await store.recordProbe(db, row.id, probeOutcome(result, at));
    if (!result.ok && answeredLastProbe(row)) {
      await deps.onUnhealthy?.(updated, `${result.error.code}: ${result.error.message}`, at);
    }
    await activity.record({
      storefrontId: row.storefrontId,
      action: 'PROBE',
      resourceType: 'STOREFRONT_INVENTORY_SOURCE',
      resourceId: row.sourceId,
      resourceName: row.name,
      userId,
      actorOrigin: 'system',
      outcome: result.ok ? 'succeeded' : 'failed',
      description: result.ok
        ? `Capabilities probed in ${latency} ms (${result.tools.length} tools)`
        : `Probe failed: ${result.error.code}: ${result.error.message}`,
    });
    return updated;
  }

  /** Probes a source and records the outcome; a draft has nothing to probe and is returned as is. */
  async function refreshRow(row: StoredSourceRow, userId: number | null): Promise<StoredSourceRow> {
    if (!isConnected(row)) return row;
    return saveProbe(row, await probeRow(row), userId);
  }

  return { probeRow, saveProbe, refreshRow };
}

/** ACTIVE needs working auth: the probe succeeded, or the agent asks for credentials buyers bring. */
export function assertActivatable(row: StoredSourceRow, result: ProbeResult): void {
  if (result.ok) return;
  const operatorHoldsNoToken = row.authSealed === null || row.authenticationType === 'OAUTH';
  const buyersBringCredentials =
    row.requiresCredentials && operatorHoldsNoToken && result.error.code === 'unauthorized';
  if (buyersBringCredentials) return;
  throw cannotActivate(
    result.error.code === 'unauthorized'
      ? 'the agent refused the configured credentials'
      : 'the agent did not answer a capability probe',
    result.error,
  );
}

/** The source's last probe succeeded (a failure now turns it unhealthy). */
function answeredLastProbe(row: StoredSourceRow): boolean {
  if (!row.lastSuccessAt) return false;
  return !row.lastError || new Date(row.lastError.at) <= row.lastSuccessAt;
}
