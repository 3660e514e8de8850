import { healthOf, type StoredSourceRow } from '../inventory-sources/index.js';
import type { Readiness } from './schemas.js';

type Diagnosis = Readiness['diagnoses'][number];

/**
 * Typed source-health diagnoses (hosted failure modes) from what probes and calls recorded. All
 * are the seller's to fix. An ACTIVE source that stopped answering blocks; one whose latest
 * storefront-agent call failed after its last good probe needs attention; a PENDING one that
 * does not answer is advisory. Drafts are flagged by the draft_sources check instead.
 */
export function diagnosesOf(sources: StoredSourceRow[]): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const s of sources) {
    if (s.endpointUrl === null || s.status === 'DISABLED') continue;
    const health = healthOf(s);
    const recheck = {
      kind: 'recheck' as const,
      label: 'Probe the source again',
      // Hosted names the source refresh `refresh_esa` (its path parameter esaId).
      operation: 'refresh_esa' as const,
      pathParams: { esaId: s.sourceId },
      method: 'POST' as const,
      path: `/api/v2/storefront/inventory-sources/${encodeURIComponent(s.sourceId)}/refresh`,
    };
    const base = { sourceId: s.sourceId, sourceName: s.name, owner: 'seller' as const };
    if (health.status === 'failing' && s.lastError) {
      const auth = s.lastError.code === 'unauthorized';
      // Buyers bring their own credentials: the operator's probe being refused is expected.
      if (
        auth &&
        s.requiresCredentials &&
        (s.authSealed === null || s.authenticationType === 'OAUTH')
      ) {
        continue;
      }
      const failureMode = auth ? 'agent_auth_missing' : 'source_unreachable';
      out.push({
        ...base,
        diagnosisId: `${s.sourceId}:${failureMode}`,
        failureMode,
        severity: s.status === 'ACTIVE' ? 'blocking' : 'advisory',
        summary: auth
          ? `${s.name} refused the configured credentials, so the storefront cannot sell it`
          : `${s.name} did not answer its latest capability probe, so the storefront cannot sell it`,
        detail: `${s.lastError.code}: ${s.lastError.message}`,
        action: auth ? { kind: 'open', label: 'Update the source credentials' } : recheck,
        docsAnchor: null,
        observedAt: s.lastError.at,
      });
      continue;
    }
    const callError = s.lastCallError;
    const afterProbe =
      callError && (s.lastSuccessAt === null || new Date(callError.at) > s.lastSuccessAt);
    if (s.status === 'ACTIVE' && callError && afterProbe) {
      out.push({
        ...base,
        diagnosisId: `${s.sourceId}:source_degraded`,
        failureMode: 'source_degraded',
        severity: 'attention',
        summary: `${s.name} failed a buyer's ${callError.tool} call after its last good probe`,
        detail: `${callError.code} (${callError.tool})`,
        action: recheck,
        docsAnchor: null,
        observedAt: callError.at,
      });
    }
  }
  return out;
}
