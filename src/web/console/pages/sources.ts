import type { SourceView } from '../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { type Frame, page, statusBadge, table, when } from '../layout.js';

/** The storefront's inventory sources, as GET /api/v2/storefront/inventory-sources lists them. */
export function renderSources(frame: Frame, sources: SourceView[]): string {
  const rows = sources.map((s) => [
    `<strong>${e(s.name)}</strong><br><code>${e(s.sourceId)}</code>${s.description ? `<br><span class="note">${e(s.description)}</span>` : ''}`,
    statusBadge(s.status, s.status === 'ACTIVE' ? 'good' : 'neutral'),
    `${e(s.type)} · ${e(s.role)}<br>${e(s.protocol)} <code>${e(s.endpointUrl)}</code>`,
    `${e(s.authenticationType)}${s.requiresCredentials ? (s.authConfigured ? ' (configured)' : ' (credentials missing)') : ''}`,
    `${statusBadge(s.health.status, s.health.status === 'healthy' ? 'good' : s.health.status === 'failing' ? 'bad' : 'neutral')}<br>${when(s.health.lastProbeAt)}${s.health.lastError ? `<br>${e(s.health.lastError.message)}` : ''}`,
  ]);
  return page(
    frame,
    `<section class="panel" aria-labelledby="src-h"><h2 id="src-h">Sources</h2>
${table('Inventory sources', ['Source', 'Status', 'Kind', 'Authentication', 'Health'], rows, 'No inventory sources yet: add one through the API (POST /api/v2/storefront/inventory-sources).')}
</section>`,
  );
}
