import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { isUniqueViolation } from '../../../platform/db/errors.js';
import { conflict } from '../../../platform/errors.js';
import type { ModularContext, OwnedModular } from '../context.js';
import {
  type AvailDefaults,
  type AvailField,
  type AvailRecord,
  type ColumnMapping,
  type NormalizedRow,
  type RowDiagnostic,
} from './avail.js';
import { missingColumnMessage, missingColumns, resolveColumns } from './rows/columns.js';
import { normalizeRow, type RowRules } from './normalize.js';
import type { FeedRead } from './readers.js';
import {
  findByKey,
  insertDiagnoses,
  insertRevision,
  insertStagedBatch,
  type RevisionRow,
  saveColumnMapping,
} from './revisions-store.js';
import { rowRulesOf } from './rules.js';

export type ContractId = 'static-avails-feed:v1' | 'wholesale-avails-pricing:v1';
export type { RevisionRow };

export interface PreviewInput {
  read: FeedRead;
  inputSource: string;
  fileName?: string | undefined;
  contractId: ContractId;
  idempotencyKey?: string | undefined;
  revisionId?: string | undefined;
  observedAt?: string | undefined;
  actorType: 'API' | 'FILE' | 'HUMAN';
  deliverySemantics: 'FULL_REPLACEMENT' | 'PATCH_UPSERT';
  /** Saved on the source when given: later feeds are read with it. */
  columnMapping?: ColumnMapping | undefined;
  defaults?: AvailDefaults | undefined;
  onProgress?: ((rows: number) => void) | undefined;
}

export interface Staged {
  revision: RevisionRow;
  /** True when an earlier preview with this idempotency key and these bytes was found. */
  replayed: boolean;
}

const batchSize = 500;

/**
 * The most rows one preview has held in memory at once in this process (rows waiting for their
 * batch, refused rows waiting for theirs): what bounds a preview's memory whatever the file's
 * row count, read by test/modules/modular-sources/preview-memory.test.ts.
 */
export const stagingHeld = { peak: 0 };

/**
 * Reads a feed into a PREVIEW revision: every row normalized, valid ones staged, refused ones
 * and warnings recorded with their diagnostics, batch by batch so memory stays bounded whatever
 * the file's size. Nothing reaches the avails buyers are sold from. One transaction: a file that
 * cannot be read leaves nothing behind. The same idempotency key with the same bytes answers the
 * earlier preview; with other bytes, 409.
 */
export async function stagePreview(
  ctx: ModularContext,
  owned: OwnedModular,
  input: PreviewInput,
): Promise<Staged> {
  const mapping = input.columnMapping ?? owned.modular.columnMapping;
  const defaults: AvailDefaults = {
    publisherDomain: owned.storefront.publisherDomain,
    ...input.defaults,
  };
  const idempotencyKey = input.idempotencyKey ?? randomUUID();
  const id = randomUUID();
  const now = ctx.now();
  const rules = await rowRulesOf(ctx, owned);
  try {
    const revision = await ctx.db.transaction(async (tx) => {
      const counts = await stageRows(tx, id, input, mapping, defaults, rules);
      const digest = input.read.digest();
      const row = await insertRevision(tx, {
        id,
        inventorySourceId: owned.row.id,
        storefrontId: owned.storefront.id,
        revisionId: input.revisionId ?? randomUUID(),
        idempotencyKey,
        contractId: input.contractId,
        deliverySemantics: input.deliverySemantics,
        contentDigest: digest,
        inputSource: input.inputSource,
        fileName: input.fileName ?? null,
        actorType: input.actorType,
        baselineRevisionId: owned.modular.activeRevisionId,
        commitStatus: 'PREVIEW',
        validationStatus:
          counts.parsed === 0 ? 'INVALID' : counts.refused === 0 ? 'VALID' : 'PARTIALLY_VALID',
        parsedCount: counts.parsed,
        rejectedCount: counts.refused,
        warningCount: counts.warnings,
        observedAt: input.observedAt ? new Date(input.observedAt) : now,
        expiresAt: new Date(now.getTime() + ctx.limits.previewTtlSeconds * 1000),
      });
      if (input.columnMapping) {
        await saveColumnMapping(tx, owned.row.id, input.columnMapping, now);
      }
      return row;
    });
    return { revision, replayed: false };
  } catch (error) {
    if (isUniqueViolation(error, 'modular_feed_revisions_idempotency_key')) {
      const earlier = await findByKey(ctx.db, owned.row.id, idempotencyKey);
      if (earlier && earlier.contentDigest === input.read.digest()) {
        return { revision: earlier, replayed: true };
      }
      throw conflict('This idempotencyKey was used for another feed payload', 'idempotencyKey');
    }
    if (isUniqueViolation(error, 'modular_feed_revisions_revision_key')) {
      throw conflict('This revisionId was already used on this source', 'revisionId');
    }
    throw error;
  }
}

/** A row accepted by normalizing, waiting for its batch: the database says if it repeats one. */
interface Accepted {
  rowNumber: number;
  avail: AvailRecord;
  raw: Record<string, unknown>;
  warnings: RowDiagnostic[];
}

interface Diagnosed {
  revisionRowId: string;
  rowNumber: number;
  refused: number;
  rawRow: Record<string, unknown>;
  diagnostics: RowDiagnostic[];
}

/**
 * Rows in batches: normalized as read, each batch inserted once it is full. Nothing is kept per
 * row read beyond its batch (the columns resolved are per header): an avail id repeating an
 * earlier row's is found by the revision's unique index on insert, in whatever batch the
 * earlier one was, and refused then with its raw row.
 */
async function stageRows(
  tx: Db,
  revisionRowId: string,
  input: PreviewInput,
  mapping: ColumnMapping,
  defaults: AvailDefaults,
  rules: RowRules,
) {
  let columns: Map<string, AvailField | null> | undefined;
  let missing: AvailField[] = [];
  let accepted: Accepted[] = [];
  let diagnosed: Diagnosed[] = [];
  const counts = { parsed: 0, refused: 0, warnings: 0, rows: 0 };
  const flush = async () => {
    stagingHeld.peak = Math.max(stagingHeld.peak, accepted.length + diagnosed.length);
    if (accepted.length) {
      const kept = await insertStagedBatch(
        tx,
        accepted.map(({ rowNumber, avail }) => ({ revisionRowId, rowNumber, avail })),
      );
      for (const row of accepted) {
        if (!kept.has(row.rowNumber)) {
          diagnosed.push(duplicateRefusal(revisionRowId, row));
          counts.refused += 1;
          continue;
        }
        counts.parsed += 1;
        if (row.warnings.length) {
          diagnosed.push({
            revisionRowId,
            rowNumber: row.rowNumber,
            refused: 0,
            rawRow: row.raw,
            diagnostics: row.warnings,
          });
          counts.warnings += row.warnings.length;
        }
      }
    }
    if (diagnosed.length) await insertDiagnoses(tx, diagnosed);
    accepted = [];
    diagnosed = [];
  };
  for await (const { rowNumber, raw, columns: header, refused } of input.read.rows) {
    counts.rows += 1;
    if (counts.rows === 1 && header) {
      // A column no row can sell without is the file's fault: said once, at the header.
      missing = missingHeaderColumns(header, mapping, defaults);
      if (missing.length) diagnosed.push(headerRefusal(revisionRowId, missing));
    }
    if (missing.length) {
      counts.refused += 1;
      continue;
    }
    // Columns are resolved once per file from the first row's headers, new headers as met.
    const headers = Object.keys(raw);
    if (!columns || headers.some((h) => !columns!.has(h))) {
      columns = new Map([...(columns ?? []), ...resolveColumns(headers, mapping)]);
    }
    // A row holding text the database cannot store is refused as read (feeds/reading).
    const result: NormalizedRow = refused
      ? { ok: false, diagnostics: refused }
      : normalizeRow(rowNumber, raw, columns, defaults, rules);
    if (result.ok) {
      accepted.push({ rowNumber, avail: result.avail, raw, warnings: result.warnings });
    } else {
      diagnosed.push({
        revisionRowId,
        rowNumber,
        refused: 1,
        rawRow: raw,
        diagnostics: result.diagnostics,
      });
      counts.refused += 1;
    }
    if (accepted.length >= batchSize || diagnosed.length >= batchSize) await flush();
    if (counts.rows % 1000 === 0) input.onProgress?.(counts.rows);
  }
  await flush();
  input.onProgress?.(counts.rows);
  return counts;
}

/** A row whose avail id an earlier row of the feed has: refused, the earlier one kept. */
function duplicateRefusal(revisionRowId: string, row: Accepted): Diagnosed {
  return {
    revisionRowId,
    rowNumber: row.rowNumber,
    refused: 1,
    rawRow: row.raw,
    diagnostics: [
      {
        rowNumber: row.rowNumber,
        field: 'availId',
        value: row.avail.availId,
        code: 'DUPLICATE_AVAIL_ID',
        severity: 'ERROR',
        message: `availId ${row.avail.availId} appears on an earlier row of this feed`,
      },
    ],
  };
}

function missingHeaderColumns(
  header: string[],
  mapping: ColumnMapping,
  defaults: AvailDefaults,
): AvailField[] {
  const fields = new Set<AvailField>();
  for (const field of resolveColumns(header.filter(Boolean), mapping).values()) {
    if (field) fields.add(field);
  }
  return missingColumns(fields, defaults);
}

/** The header row (line 1) refused: one diagnostic per missing column. */
function headerRefusal(revisionRowId: string, missing: AvailField[]) {
  return {
    revisionRowId,
    rowNumber: 1,
    refused: 1,
    rawRow: {},
    diagnostics: missing.map((field): RowDiagnostic => ({
      rowNumber: 1,
      field,
      code: 'MISSING_COLUMN',
      severity: 'ERROR',
      message: missingColumnMessage(field),
    })),
  };
}
