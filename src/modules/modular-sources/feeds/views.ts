import type { Db } from '../../../platform/db/database.js';
import type { OwnedModular } from '../context.js';
import type { AvailRecord, RowDiagnostic } from './avail.js';
import type { PreviewBaseline } from './baseline.js';
import { commitImpactOf, formatMappingOf } from './impact.js';
import { diagnosedRows, type RevisionRow, stagedAvails } from './revisions-store.js';

/** How much of a preview its answer carries; the rest is paged (…/feed/revisions/{id}/rejected-rows). */
export const shownFacts = 100;
export const shownRejectedRows = 1000;
export const shownWarnings = 200;

/** A normalized avail as a hosted feed fact (static-avails-feed:v1). */
export function factOf(owned: OwnedModular, revision: RevisionRow, avail: AvailRecord) {
  return {
    factId: `${revision.revisionId}:${avail.availId}`,
    sourceId: owned.row.sourceId,
    scope: {
      scopeType: 'component' as const,
      sourceId: owned.row.sourceId,
      kind: 'placement' as const,
      externalId: avail.availId,
    },
    dimensions: {
      collectionId: avail.collectionId,
      ...(avail.channel && { channel: avail.channel }),
      // What the Market, Audience and Content columns were read as (the row's own words).
      ...(avail.countries?.length && { countries: avail.countries }),
      ...(avail.audience && { audience: avail.audience }),
      ...(avail.content && { content: avail.content }),
    },
    period: { start: avail.startTime, end: avail.endTime },
    observedAt: revision.observedAt.toISOString(),
    poolId: avail.collectionId,
    availability: {
      basis: 'NET_SELLABLE' as const,
      quantity: { unit: 'impressions', amount: avail.impressionsCapacity },
      upstreamBooked: { unit: 'impressions', amount: avail.upstreamBookedImpressions },
      reservable: true,
    },
    pricingOptions:
      avail.cpm === null
        ? []
        : [
            {
              pricing_option_id: `${avail.availId}_cpm`,
              pricing_model: 'cpm' as const,
              currency: avail.currency ?? 'USD',
              fixed_price: avail.cpm,
            },
          ],
    formatOptions: avail.formatOptions.map((f) => ({
      scope: 'product' as const,
      format_option_id: f.format_option_id ?? f.format_kind,
    })),
    sourceMetadata: avail.sourceMetadata,
    provenance: provenanceOf(revision),
  };
}

function provenanceOf(revision: RevisionRow) {
  return {
    actorType: revision.actorType as 'API' | 'FILE' | 'HUMAN',
    ...(revision.fileName && { fileName: revision.fileName }),
    submittedAt: revision.createdAt.toISOString(),
    contentDigest: revision.contentDigest,
  };
}

export function diagnosticView(d: RowDiagnostic) {
  return {
    rowNumber: d.rowNumber,
    ...(d.field && { field: d.field }),
    ...(d.column && { column: d.column }),
    ...(d.value !== undefined && { value: d.value }),
    code: d.code,
    severity: d.severity,
    message: d.message,
  };
}

/** A revision as the preview, commit and push endpoints answer it, with the first rows of each kind. */
export async function revisionView(db: Db, owned: OwnedModular, revision: RevisionRow) {
  const avails = await stagedAvails(db, revision.id, shownFacts);
  const rejected = await diagnosedRows(db, revision.id, true, shownRejectedRows);
  const warned = await diagnosedRows(db, revision.id, false, shownWarnings);
  const rejectedRows = rejected.map((r) => ({
    rowNumber: r.rowNumber,
    rawRow: r.rawRow,
    diagnostics: r.diagnostics.map(diagnosticView),
  }));
  const warnings = warned.flatMap((r) => r.diagnostics.map(diagnosticView));
  // A column the file lacks is refused once, at its header (line 1), for the whole revision.
  const missingColumns = rejected
    .filter((r) => r.rowNumber === 1)
    .flatMap((r) => r.diagnostics.filter((d) => d.code === 'MISSING_COLUMN'))
    .map((d) => d.field!);
  const previewing = revision.commitStatus === 'PREVIEW';
  return {
    revision: {
      schemaVersion: '1.0.0' as const,
      revisionId: revision.revisionId,
      sourceId: owned.row.sourceId,
      profileId: revision.contractId.split(':')[0]!,
      profileVersion: '1',
      deliverySemantics: revision.deliverySemantics,
      observedThrough: revision.observedAt.toISOString(),
      idempotencyKey: revision.idempotencyKey,
      contentDigest: revision.contentDigest,
      provenance: provenanceOf(revision),
      facts: avails.map((a) => factOf(owned, revision, a.avail)),
      diagnostics: [...rejected, ...warned]
        .sort((a, b) => a.rowNumber - b.rowNumber)
        .flatMap((r) =>
          r.diagnostics.map((d) => ({
            code: d.code,
            severity: d.severity,
            scope: d.code === 'MISSING_COLUMN' ? ('REVISION' as const) : ('ROW' as const),
            message: d.message,
            rowIndex: d.rowNumber,
            ...(d.field && { field: d.field }),
            details: {
              ...(d.column && { column: d.column }),
              ...(d.value !== undefined && { value: d.value }),
            },
          })),
        ),
      validationStatus: revision.validationStatus,
      commitStatus: revision.commitStatus,
    },
    summary: {
      parsedAvailCount: revision.parsedCount,
      rejectedRowCount: revision.rejectedCount,
      warningCount: revision.warningCount,
      factsShown: avails.length,
      rejectedRowsShown: rejectedRows.length,
      missingColumns,
    },
    avails: avails.map((a) => a.avail),
    rejectedRows,
    warnings,
    // What the preview shows before anything is committed (a committed revision has no staging).
    ...(previewing && {
      formatMapping: await formatMappingOf(db, revision.id),
      commitImpact: await commitImpactOf(db, owned.row.id, revision),
    }),
  };
}

export function revisionRecordOf(feedId: string, revision: RevisionRow, replayed: boolean) {
  return {
    id: revision.id,
    feedId,
    revisionId: revision.revisionId,
    idempotencyKey: revision.idempotencyKey,
    contentDigest: revision.contentDigest,
    validationStatus: revision.validationStatus,
    commitStatus: revision.commitStatus,
    replayed,
  };
}

export function baselineFields(
  owned: OwnedModular,
  revision: RevisionRow,
): Omit<PreviewBaseline, 'previewToken'> {
  return {
    revisionId: revision.revisionId,
    customerId: owned.storefront.customerId,
    sourceId: owned.row.sourceId,
    profileId: revision.contractId.split(':')[0]!,
    profileVersion: '1',
    payloadDigest: revision.contentDigest,
    activeRevisionId: revision.baselineRevisionId,
    activeCursor: null,
    activeSnapshot: null,
    createdAt: revision.createdAt.toISOString(),
    expiresAt: revision.expiresAt.toISOString(),
    staleErrorCode: 'STALE_PREVIEW_BASELINE',
  };
}
