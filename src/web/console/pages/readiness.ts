import type { ReadinessService } from '../../../modules/readiness/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { type Frame, page, statusBadge, table, when } from '../layout.js';
import { fixLinkOf } from '../seller/readiness-links.js';
import { refusedProductsPanel } from '../seller/sources/refused-products.js';

type Readiness = Awaited<ReturnType<ReadinessService['forSeller']>>;

/**
 * Readiness: what waits on the seller (`waiting`, trusted markup: work-queue.ts), what still
 * blocks going live, and each source's diagnostics.
 */
export function renderReadiness(frame: Frame, readiness: Readiness, waiting = ''): string {
  const ready = readiness.status === 'ready';
  const checks = table(
    'Readiness checks',
    ['Check', 'Status', 'Blocks going live', 'Details'],
    readiness.checks.map((c) => [
      `<strong>${e(c.name)}</strong><br><span class="note">${e(c.description)}</span>`,
      statusBadge(c.status, c.status === 'complete' ? 'good' : c.isBlocker ? 'bad' : 'neutral'),
      c.isBlocker ? 'Yes' : 'No',
      `${e(c.details ?? '')}${fixCell(c.id, c.status)}`,
    ]),
    'No checks.',
  );
  const sources = table(
    'Source diagnostics',
    ['Source', 'Agent', 'Auth', 'Capabilities', 'Last probe', 'Last error'],
    readiness.sourceDiagnostics.map((d) => [
      `<strong>${e(d.name)}</strong><br><code>${e(d.sourceId ?? '')}</code> ${statusBadge(d.sourceStatus, d.sourceStatus === 'ACTIVE' ? 'good' : 'neutral')}`,
      `${statusBadge(d.health.status, d.health.status === 'healthy' ? 'good' : d.health.status === 'failing' ? 'bad' : 'neutral')}<br>${e(d.protocol)} <code>${e(d.endpointUrl)}</code>`,
      d.auth.required ? (d.auth.configured ? 'configured' : 'missing') : 'not required',
      Object.entries(d.capabilities)
        .map(([name, state]) => `${e(name)}: ${e(state)}`)
        .join('<br>'),
      when(d.health.lastProbeAt),
      e(
        d.health.lastCallError?.message ??
          d.health.lastError?.message ??
          (d.health.lastError || d.health.lastCallError ? '' : 'none'),
      ),
    ]),
    'No inventory sources yet: add one on the Inventory sources page.',
  );
  const mode = readiness.setupMode
    ? `<p>Setup mode: <strong>${e(readiness.setupMode.current)}</strong>. ${e(readiness.setupMode.rationale)}</p>`
    : '';
  return page(
    frame,
    `${waiting}<section class="panel" aria-labelledby="status-h"><h2 id="status-h">Status</h2>
<p>${statusBadge(ready ? 'ready' : 'blocked', ready ? 'good' : 'bad')} ${
      ready ? 'Every blocking check is complete.' : 'Some blocking checks are not complete yet.'
    } Storefront platform id <code>${e(readiness.platformId)}</code>. <a href="/console/storefront#go-live">Going live</a></p>${mode}${checks}</section>
<section class="panel" aria-labelledby="diag-h"><h2 id="diag-h">Source diagnostics</h2>${sources}</section>
${refusedProductsPanel(readiness.sourceDiagnostics.flatMap((d) => d.invalidProducts.map((i) => ({ ...i, sourceName: d.name }))))}`,
  );
}

/** The way to the page that completes an incomplete check. */
function fixCell(id: string, status: string): string {
  const fix = status === 'complete' ? undefined : fixLinkOf(id);
  return fix ? `<br><a href="${e(fix.href)}">${e(fix.label)}</a>` : '';
}
