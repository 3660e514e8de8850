import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { PageArgs } from '../../context.js';
import { panel, statusBadge, table } from '../../layout.js';
import {
  availsPage,
  type LifecycleRow,
  modularApi,
  type Projection,
  sourcePage,
  workPage,
} from './wire.js';

/** What a work item of each kind asks of the publisher, as the queue page heads it. */
export function kindLabel(kind: string): string {
  if (kind === 'CONFIRM_AVAILS') return 'Booking confirmations';
  if (kind === 'EXECUTE_UPSTREAM_BOOKING') return 'Bookings to enter in the order system';
  if (kind === 'MAP_CREATIVE_REF') return 'Creative references to record';
  if (kind === 'UPLOAD_FINAL_REPORT') return 'Final reports to upload';
  if (kind === 'APPROVE_MEDIA_BUY_CANCELLATION') return 'Cancellations to carry out upstream';
  if (kind.startsWith('UPDATE_IN_')) {
    return `Pauses and resumes to make in ${kind.slice('UPDATE_IN_'.length).replace(/_/g, ' ')}`;
  }
  if (kind.startsWith('TRAFFIC_TO_')) {
    return `Trafficking into ${kind.slice('TRAFFIC_TO_'.length).replace(/_/g, ' ')}`;
  }
  return kind.replace(/_/g, ' ').toLowerCase();
}

const codes = (values: string[] | undefined) =>
  values?.length ? values.map((v) => `<code>${e(v)}</code>`).join(' ') : '—';

const tone = (status: string) =>
  status === 'READY'
    ? 'good'
    : status === 'BLOCKED' || status === 'MISSING_SETUP'
      ? 'bad'
      : ('neutral' as const);

const lifecycleRow = (s: LifecycleRow) => [
  `<code>${e(s.stage)}</code>`,
  statusBadge(s.status, tone(s.status)),
  s.modes.length ? s.modes.map((m) => e(m)).join(', ') : '—',
  String(s.openWorkItemCount),
];

const stageNoteLabels: Record<string, string> = {
  availsSource: 'Avails',
  booking: 'Booking',
  execution: 'Execution',
  reporting: 'Reporting',
  creative: 'Creatives',
};

/** The notes typed when the source was created: its own, then each stage's. */
function notesOf(setup: Projection['setup']): string {
  const notes: Array<[string, string]> = [];
  if (setup?.notes) notes.push(['About this source', setup.notes]);
  for (const [key, label] of Object.entries(stageNoteLabels)) {
    const stage = setup?.[key] as { notes?: unknown } | undefined;
    if (typeof stage?.notes === 'string' && stage.notes) notes.push([label, stage.notes]);
  }
  if (!notes.length) return '';
  return `<dl class="facts" id="source-notes">${notes
    .map(([label, text]) => `<dt>${e(label)}</dt><dd class="pre-line">${e(text)}</dd>`)
    .join('')}</dl>`;
}

/**
 * A modular source's section of its page (docs/modular-sources.md): its avails on sale, its open
 * work items by kind, each stage's lifecycle status and its modules, with the way to the avails
 * upload and the work queue. Read from GET …/{sourceId}/modular.
 */
export async function modularSection(source: SourceView, args: PageArgs): Promise<string> {
  const p = await args.api.get<Projection>(`${modularApi(source.sourceId)}/modular`);
  const byKind = Object.entries(p.openWorkItemCountsByKind).filter(([, n]) => n > 0);
  const open = byKind.length
    ? `<ul>${byKind
        .map(
          ([kind, n]) =>
            `<li><a href="${e(workPage(source.sourceId))}#kind-${e(kind)}">${e(kindLabel(kind))}</a> (<code>${e(kind)}</code>): <strong>${n}</strong></li>`,
        )
        .join('')}</ul>`
    : '<p class="empty">No open work items: nothing waits on you.</p>';
  const modules = p.modules.map((m) => [
    `${e(m.name)}<br><code>${e(m.moduleInstanceId)}</code>`,
    e(m.kind),
    statusBadge(
      m.status,
      m.status === 'ACTIVE' ? 'good' : m.status === 'ERROR' ? 'bad' : 'neutral',
    ),
    m.issues.length ? m.issues.map((i) => e(i)).join('<br>') : '—',
  ]);
  return `${panel(
    'modular-h',
    'Avails and work queue',
    `<dl class="facts" id="modular-facts"><dt>Active avails</dt><dd><strong id="active-avails">${p.activeAvailCount}</strong> on sale</dd>
<dt>Open work items</dt><dd><strong id="open-work">${p.openWorkItemCount}</strong></dd>
<dt>Channels on sale</dt><dd>${codes(source.capabilities?.channels)}</dd>
<dt>Publisher domains</dt><dd>${codes(source.capabilities?.publisherDomains)}</dd></dl>
${notesOf(p.setup)}${open}
<p class="button-row"><a class="button" href="${e(availsPage(source.sourceId))}">Upload avails</a> <a class="button" href="${e(workPage(source.sourceId))}">Work queue</a> <a class="button" href="${e(sourcePage(source.sourceId))}/ledger">Booking ledger</a></p>
${p.activeAvailCount === 0 ? '<p class="note">Nothing is on sale until avails are committed: upload a CSV or XLSX file of avails, check its preview, then commit it.</p>' : ''}`,
  )}
${panel(
  'lifecycle-h',
  'Lifecycle',
  `${table('Lifecycle summary by stage', ['Stage', 'Status', 'Modes', 'Open work items'], p.lifecycleSummary.map(lifecycleRow), 'No stages.')}
${table('Modules', ['Module', 'Kind', 'Status', 'Issues'], modules, 'No modules.')}`,
)}`;
}
