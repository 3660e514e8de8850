import { healthOf, type ProductIssue, type StoredSourceRow } from '../inventory-sources/index.js';
import { descriptorOf } from '../../source-kinds/descriptors.js';
import type { Readiness } from './schemas.js';

type Diagnosis = Readiness['diagnoses'][number];

/**
 * Typed source-health diagnoses (hosted failure modes) from what probes and calls recorded. All
 * are the seller's to fix. An ACTIVE source that stopped answering blocks; one whose latest
 * storefront-agent call failed after its last good probe needs attention; a PENDING one that
 * does not answer is advisory; only a probed kind has these (its descriptor's
 * capabilities.declaredBy): a kind Interchange serves has no endpoint to probe again. Drafts are
 * flagged by the draft_sources check instead. A source of any kind whose products AdCP's schema
 * refuses needs attention (`productIssues`, by row id).
 */
export function diagnosesOf(
  sources: StoredSourceRow[],
  productIssues: ReadonlyMap<number, ProductIssue[]>,
): Diagnosis[] {
  const out: Diagnosis[] = productDiagnoses(sources, productIssues);
  for (const s of sources) {
    if (s.endpointUrl === null || s.status === 'DISABLED' || selfReported(s)) continue;
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

/**
 * A kind whose health is its own report, not a probe (its descriptor says): no probe to run
 * again, and what stands in its way is the selling verdict's (its section names it).
 */
const selfReported = (s: StoredSourceRow) =>
  descriptorOf(s.executionType)?.capabilities.declaredBy === 'self-report';

/** Products shown in a diagnosis's detail; the rest are in sourceDiagnostics[].invalidProducts. */
const namedProducts = 5;

/**
 * Per source of any kind, the products it answered that AdCP's product schema refuses: left
 * out of every buyer's answer until the seller fixes them at the source (the rest still sell).
 * Since the first of them was seen.
 */
function productDiagnoses(
  sources: StoredSourceRow[],
  productIssues: ReadonlyMap<number, ProductIssue[]>,
): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const s of sources) {
    const issues = productIssues.get(s.id);
    if (!issues?.length || s.status === 'DISABLED') continue;
    const named = issues
      .slice(0, namedProducts)
      .map((i) => `${i.productId}: ${i.field} ${i.message.slice(0, 200)} (since ${i.firstSeenAt})`);
    if (issues.length > namedProducts) named.push(`and ${issues.length - namedProducts} more`);
    out.push({
      diagnosisId: `${s.sourceId}:catalog_products_hidden`,
      sourceId: s.sourceId,
      sourceName: s.name,
      // Hosted's name for authored products hidden from buyers.
      failureMode: 'catalog_products_hidden',
      owner: 'seller',
      severity: 'attention',
      summary:
        issues.length === 1
          ? `1 product of ${s.name} is left out of buyers' answers: AdCP's product schema refuses it`
          : `${issues.length} products of ${s.name} are left out of buyers' answers: AdCP's product schema refuses them`,
      detail: named.join('; '),
      action: { kind: 'open', label: 'Fix these products where the source keeps them' },
      docsAnchor: null,
      observedAt: issues.reduce(
        (a, i) => (i.firstSeenAt < a ? i.firstSeenAt : a),
        issues[0]!.firstSeenAt,
      ),
    });
  }
  return out;
}
