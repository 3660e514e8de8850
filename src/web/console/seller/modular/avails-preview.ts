import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { PageArgs } from '../../context.js';
import type { FormSpec } from '../../forms/index.js';
import { panel, table } from '../../layout.js';
import {
  availsPage,
  type Avail,
  type CommitImpact,
  type FeedPreview,
  type FeedRules,
  modularApi,
  sourcesApi,
} from './wire.js';

/**
 * What the avails page shows around an upload: the preview (refused rows by row, column and why;
 * how format cells were read; what the commit adds, updates and takes off sale; the accepted
 * avails) with its commit button, and the columns and format names a file may use.
 */

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The commit button names what it does: avails on sale, and any it takes off. */
export const commitSpec = (sourceId: string, preview?: FeedPreview): FormSpec => {
  const off = preview?.commitImpact?.offSaleCount ?? 0;
  return {
    id: 'avails-commit',
    action: `${availsPage(sourceId)}/commit`,
    route: `POST ${sourcesApi}/:sourceId/feed/commit`,
    fields: [],
    submit: preview
      ? `Commit: put ${plural(preview.summary.parsedAvailCount, 'avail')} on sale${off ? ` and take ${off} off sale` : ''}`
      : 'Commit',
    busy: 'Committing the previewed avails…',
    ...(preview && {
      hidden: {
        feedId: preview.feedId,
        previewBaseline: JSON.stringify(preview.previewBaseline),
        revisionId: preview.revision.revisionId,
        contentDigest: preview.revision.contentDigest,
      },
    }),
  };
};

const cell = (value: unknown) =>
  value === undefined || value === null || value === ''
    ? '—'
    : `<code>${e(typeof value === 'string' ? value : JSON.stringify(value))}</code>`;

const codes = (ids: string[]) => ids.map((id) => `<code>${e(id)}</code>`).join(', ');

export function previewPanel(args: PageArgs, id: string, preview: FeedPreview): string {
  const s = preview.summary;
  const accepted = preview.avails.map((a: Avail) => [
    `<strong>${e(a.name ?? a.availId)}</strong><br><code>${e(a.availId)}</code>`,
    e(a.channel ?? '—'),
    `${e(a.startTime.slice(0, 10))} → ${e(a.endTime.slice(0, 10))}`,
    String(a.impressionsCapacity),
    a.cpm === null ? '—' : `${a.cpm} ${e(a.currency ?? '')}`,
    `${a.formatsAsWritten ? `${e(a.formatsAsWritten)} → ` : ''}${codes(a.formatOptions.map((f) => f.format_option_id ?? f.format_kind))}`,
  ]);
  const warnings = preview.warnings.length
    ? `<details><summary>${plural(s.warningCount, 'warning')} (committed anyway)</summary><ul>${preview.warnings
        .map((w) => `<li>Row ${w.rowNumber}: ${e(w.message)}</li>`)
        .join('')}</ul></details>`
    : '';
  return panel(
    'preview-h',
    'Preview (nothing is committed yet)',
    `<p id="preview-summary"><strong>${s.parsedAvailCount}</strong> ${s.parsedAvailCount === 1 ? 'row' : 'rows'} accepted, <strong>${s.rejectedRowCount}</strong> refused.</p>
${missingColumnsNote(s.missingColumns)}${refusedTable(id, preview)}${warnings}
${impactSection(preview.commitImpact)}
${formatsSection(preview.formatMapping)}
${table('Accepted avails', ['Avail', 'Channel', 'Flight', 'Impressions', 'CPM', 'Formats'], accepted, 'No row was accepted: fix the refused rows and upload again.')}
${s.factsShown < s.parsedAvailCount ? `<p class="note">The first ${s.factsShown} accepted avails are shown.</p>` : ''}
${args.form(commitSpec(id, preview))}`,
  );
}

function missingColumnsNote(missing: string[] | undefined): string {
  if (!missing?.length) return '';
  return `<p id="missing-columns" class="flash error">The file lacks ${plural(missing.length, 'column')} no row can sell without: ${codes(missing)}. Add ${missing.length === 1 ? 'it' : 'them'} (or map yours with a column mapping) and upload again.</p>`;
}

function refusedTable(id: string, preview: FeedPreview): string {
  const s = preview.summary;
  const refused = preview.rejectedRows.flatMap((r) =>
    r.diagnostics.map(
      (d) =>
        `<tr class="refused"><td>${r.rowNumber}</td><td>${e(d.column ?? d.field ?? '—')}</td><td>${cell(d.value)}</td><td>${e(d.message)}</td></tr>`,
    ),
  );
  if (!refused.length) return '<p>No row was refused.</p>';
  const more =
    !s.missingColumns?.length && s.rejectedRowsShown < s.rejectedRowCount
      ? `<p class="note">The first ${s.rejectedRowsShown} refused rows are shown; all of them: <code>GET ${e(modularApi(id))}/feed/revisions/${e(preview.revision.revisionId)}/rejected-rows</code>.</p>`
      : '';
  return `<table class="refused-rows"><caption>Refused rows (not committed)</caption><thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Value</th><th scope="col">Why</th></tr></thead><tbody>${refused.join('')}</tbody></table>${more}`;
}

/** What the commit does to what is on sale, said before it is done. */
function impactSection(impact: CommitImpact | undefined): string {
  if (!impact) return '';
  const summary = `<p id="commit-impact">Committing adds <strong>${impact.newAvailCount}</strong> new, updates <strong>${impact.updatedAvailCount}</strong> and takes <strong id="off-sale-count">${impact.offSaleCount}</strong> ${impact.offSaleCount === 1 ? 'avail' : 'avails'} off sale.</p>`;
  if (impact.deliverySemantics === 'PATCH_UPSERT' || impact.offSaleCount === 0) return summary;
  const rows = impact.offSale.map((a) => [
    `<strong>${e(a.name)}</strong><br><code>${e(a.availId)}</code>`,
    e(a.endTime.slice(0, 10)),
    `${a.heldImpressions + a.bookedImpressions}`,
  ]);
  return `${summary}<p class="note">The file is everything on sale (full replacement): these avails are not in it. What buyers hold or booked on them stays theirs.</p>
${table(`Taken off sale by this commit (${impact.offSaleCount})`, ['Avail', 'Flight ends', 'Held or booked impressions kept'], rows, '')}
${impact.offSale.length < impact.offSaleCount ? `<p class="note">The first ${impact.offSale.length} are listed.</p>` : ''}`;
}

function formatsSection(mapping: FeedPreview['formatMapping']): string {
  if (!mapping?.length) return '';
  const rows = mapping.map((m) => [cell(m.written), codes(m.formatIds), String(m.rowCount)]);
  return table('Formats as read', ['In the file', 'AdCP format', 'Rows'], rows, '');
}

/** The columns a file may have (each with the headers read as it) and the format names. */
export function rulesPanel(rules: FeedRules): string {
  const columns = rules.columns.map((c) => [
    `<code>${e(c.field)}</code>${c.required ? ' <strong>(required)</strong>' : ''}`,
    c.aliases.map((a) => e(a)).join(', '),
    e(c.holds ?? ''),
  ]);
  const formats = rules.formats.map((f) => [
    `<code>${e(f.formatId)}</code>`,
    f.writtenAs.map((w) => e(w)).join(', '),
  ]);
  return `<details id="feed-columns"><summary>Columns a file may have, and the headers each is known by</summary>
<p class="note">Headers are matched without case, spaces or punctuation. A column mapping's target may be a column below or any header it is known by.</p>
${table('Mapping targets', ['Column', 'Headers read as it', 'Holds'], columns, '')}</details>
<details id="feed-formats"><summary>Format names and sizes, and the AdCP formats they become</summary>
${table('Formats', ['AdCP format', 'Written as'], formats, '')}
<p class="note">Channels: ${rules.channels.map((c) => `<code>${e(c)}</code>`).join(', ')}. A CPM above ${rules.maxCpm} is refused (the avails-feed module's <code>maxCpm</code>).</p></details>`;
}
