import { invalid, notFound } from '../../../platform/errors.js';
import type { ModularContext, OwnedModular } from '../context.js';
import type { Lifecycle } from '../lifecycle/service.js';
import type { AvailDefaults, ColumnMapping, FormatOption, PublisherProperty } from './avail.js';
import { signBaseline, type PreviewBaseline } from './baseline.js';
import { productsOfAvails } from '../buys/product-set.js';
import { commitRevision } from './commit.js';
import { feedRulesOf } from './rules.js';
import { type PreviewInput, stagePreview } from './preview.js';
import {
  diagnosedRows,
  dropExpiredPreviews,
  findRevision,
  refusedRecordCount,
} from './revisions-store.js';
import {
  type FeedFormat,
  type FeedRead,
  formatOf,
  type ReadLimits,
  readFile,
  readRows,
  readText,
} from './readers.js';
import {
  baselineFields,
  diagnosticView,
  revisionRecordOf,
  revisionView,
  shownRejectedRows,
} from './views.js';

/** What a JSON feed call carries: rows one of three ways, and how to read them. */
export interface FeedPayload {
  contractId?: 'static-avails-feed:v1' | 'wholesale-avails-pricing:v1' | undefined;
  rawRows?: Record<string, unknown>[] | undefined;
  csvText?: string | undefined;
  jsonText?: string | undefined;
  idempotencyKey?: string | undefined;
  revisionId?: string | undefined;
  observedAt?: string | undefined;
  columnMapping?: ColumnMapping | undefined;
  deliverySemantics?: 'FULL_REPLACEMENT' | 'PATCH_UPSERT' | undefined;
}

/** A feed call's fields of the revision it previews (a full replacement unless it says). */
function revisionFields(payload: FeedPayload, actorType: PreviewInput['actorType']) {
  return {
    contractId: 'static-avails-feed:v1' as const,
    idempotencyKey: payload.idempotencyKey,
    revisionId: payload.revisionId,
    observedAt: payload.observedAt,
    actorType,
    deliverySemantics: payload.deliverySemantics ?? 'FULL_REPLACEMENT',
    columnMapping: payload.columnMapping,
  };
}

/** A file as the upload endpoints receive it: whole on local disk (its spool), digested. */
export interface UploadedFile {
  path: string;
  digest: string;
  fileName: string;
  mimetype: string;
}

export interface AvailsFeedInput {
  confirmed?: boolean | undefined;
  avails?: Record<string, unknown>[] | undefined;
  rawRows?: Record<string, unknown>[] | undefined;
  csvText?: string | undefined;
  jsonText?: string | undefined;
  defaultCollectionId?: string | undefined;
  defaultCollectionName?: string | undefined;
  defaultCollectionDescription?: string | undefined;
  defaultChannel?: string | undefined;
  defaultFormatOptions?: FormatOption[] | undefined;
  defaultPublisherProperties?: PublisherProperty[] | undefined;
  defaultStartTime?: string | undefined;
  defaultEndTime?: string | undefined;
}

/**
 * The avails feed: preview (JSON rows, CSV or JSON text, or an uploaded CSV/JSON/XLSX file) into
 * a PREVIEW revision that commits nothing; commit exactly that revision; push (preview and
 * commit in one call); and the hosted modular avails-feed shapes over the same machinery.
 */
export function createFeeds(ctx: ModularContext, lifecycle: Lifecycle) {
  const key = ctx.deps.secrets.derive('interchange modular feed baselines v1');

  const limits = (): ReadLimits => ({
    maxRows: ctx.limits.maxRows,
    deadline: Date.now() + ctx.limits.maxSeconds * 1000,
    maxJsonBytes: ctx.limits.maxJsonBytes,
    xlsx: ctx.limits.xlsx,
  });

  function readPayload(payload: FeedPayload): { read: FeedRead; inputSource: string } {
    const given = (['rawRows', 'csvText', 'jsonText'] as const).filter(
      (k) => payload[k] !== undefined,
    );
    if (given.length !== 1) {
      throw invalid('Send the rows one way: rawRows, csvText or jsonText', given[1] ?? 'rawRows');
    }
    if (payload.contractId === 'wholesale-avails-pricing:v1') {
      throw invalid(
        'wholesale-avails-pricing:v1 is not supported here: send static-avails-feed:v1',
        'contractId',
      );
    }
    if (payload.rawRows)
      return { read: readRows(payload.rawRows, limits()), inputSource: 'rawRows' };
    if (payload.csvText !== undefined)
      return { read: readText(payload.csvText, 'csv', limits()), inputSource: 'csvText' };
    const text = payload.jsonText!;
    // JSON lines or a JSON array, told by the first character.
    const format: 'json' | 'jsonl' =
      text.trimStart().startsWith('[') || text.trimStart().startsWith('{"avails"')
        ? 'json'
        : 'jsonl';
    return { read: readText(text, format, limits()), inputSource: 'jsonText' };
  }

  function readUpload(file: UploadedFile): { read: FeedRead; format: FeedFormat } {
    const format = formatOf(file.fileName, file.mimetype);
    if (!format) throw invalid('The file must be .csv, .xlsx, .json or .jsonl', 'file');
    return { format, read: readFile(file, format, limits()) };
  }

  async function preview(owned: OwnedModular, input: PreviewInput) {
    await dropExpiredPreviews(ctx.db, owned.row.id, ctx.now());
    const { revision, replayed } = await stagePreview(ctx, owned, input);
    const view = await revisionView(ctx.db, owned, revision);
    const previewBaseline: PreviewBaseline = signBaseline(key, baselineFields(owned, revision));
    return {
      feedId: owned.modular.feedId,
      sourceId: owned.row.sourceId,
      ...view,
      previewBaseline,
      replayed,
    };
  }

  async function commit(owned: OwnedModular, input: Parameters<typeof commitRevision>[3]) {
    const committed = await commitRevision(ctx, owned, key, input);
    const fresh = (await ctx.modularOf(owned.row.id)) ?? owned.modular;
    const projection = await lifecycle.report(owned.row, fresh);
    const view = await revisionView(ctx.db, owned, committed.revision);
    return {
      feedId: owned.modular.feedId,
      sourceId: owned.row.sourceId,
      revision: view.revision,
      summary: {
        ...view.summary,
        ingestedAvailCount: committed.ingested,
        ...(committed.offSale !== undefined && { offSaleCount: committed.offSale }),
      },
      revisionRecord: revisionRecordOf(
        owned.modular.feedId,
        committed.revision,
        committed.replayed,
      ),
      activeAvailCount: projection.activeAvailCount,
    };
  }

  /** Preview, then commit against the head that preview saw (push, confirmed avails-feed). */
  async function previewAndCommit(owned: OwnedModular, input: PreviewInput) {
    const previewed = await preview(owned, input);
    if (previewed.replayed && previewed.revision.commitStatus === 'COMMITTED') {
      return { previewed, committed: await commit(owned, previewed) };
    }
    if (previewed.summary.parsedAvailCount === 0) return { previewed, committed: undefined };
    return { previewed, committed: await commit(owned, previewed) };
  }

  const defaultsOf = (input: AvailsFeedInput): AvailDefaults => ({
    collectionId: input.defaultCollectionId,
    collectionName: input.defaultCollectionName,
    collectionDescription: input.defaultCollectionDescription,
    channel: input.defaultChannel,
    formatOptions: input.defaultFormatOptions,
    publisherProperties: input.defaultPublisherProperties,
    startTime: input.defaultStartTime,
    endTime: input.defaultEndTime,
  });

  return {
    /** POST …/feed/preview: a PREVIEW revision and its signed baseline; nothing is sold from it. */
    previewJson: (
      owned: OwnedModular,
      payload: FeedPayload,
      onProgress?: (rows: number) => void,
    ) => {
      const { read, inputSource } = readPayload(payload);
      return preview(owned, {
        read,
        inputSource,
        ...revisionFields(payload, 'API'),
        onProgress,
      });
    },

    /** POST …/feed/upload: the same preview from a CSV, JSON or XLSX file (spooled first). */
    previewUpload: (
      owned: OwnedModular,
      file: UploadedFile,
      fields: Omit<FeedPayload, 'rawRows' | 'csvText' | 'jsonText'>,
    ) => {
      if (fields.contractId === 'wholesale-avails-pricing:v1') {
        throw invalid('wholesale-avails-pricing:v1 is not supported here', 'contractId');
      }
      const { read, format } = readUpload(file);
      return preview(owned, {
        read,
        inputSource: `upload:${format}`,
        fileName: file.fileName,
        ...revisionFields(fields, 'FILE'),
      });
    },

    /** POST …/feed/commit. */
    commit,

    /** POST …/feed/push: parse, validate and commit in one call (dryRun: preview only). */
    async push(owned: OwnedModular, payload: FeedPayload & { dryRun?: boolean | undefined }) {
      const { read, inputSource } = readPayload(payload);
      const input: PreviewInput = {
        read,
        inputSource: `push:${inputSource}`,
        ...revisionFields(payload, 'API'),
      };
      if (payload.dryRun) {
        const previewed = await preview(owned, input);
        return { dryRun: true as const, ...previewed };
      }
      const { previewed, committed } = await previewAndCommit(owned, input);
      if (!committed) {
        throw invalid('No row of the feed is valid: nothing was committed', 'rawRows', {
          rejectedRows: previewed.rejectedRows.slice(0, 50),
        });
      }
      return { ...committed, rejectedRows: previewed.rejectedRows };
    },

    /**
     * POST …/modular/avails-feed: avails (or raw rows, CSV or JSON text) previewed; with
     * confirmed=true upserted at once (PATCH_UPSERT: avails not listed stay on sale).
     */
    async availsFeed(owned: OwnedModular, input: AvailsFeedInput) {
      const rows = input.avails ?? input.rawRows;
      const payload: FeedPayload = {
        ...(rows !== undefined && { rawRows: rows }),
        ...(input.csvText !== undefined && { csvText: input.csvText }),
        ...(input.jsonText !== undefined && { jsonText: input.jsonText }),
      };
      if (input.avails && input.rawRows)
        throw invalid('Send avails or rawRows, not both', 'rawRows');
      const { read, inputSource } = readPayload(payload);
      const previewInput: PreviewInput = {
        read,
        inputSource: input.avails ? 'avails' : inputSource,
        contractId: 'static-avails-feed:v1',
        actorType: 'HUMAN',
        deliverySemantics: 'PATCH_UPSERT',
        defaults: defaultsOf(input),
      };
      if (!input.confirmed) {
        const previewed = await preview(owned, previewInput);
        return availsFeedAnswer(
          previewed,
          true,
          0,
          await lifecycle.project(owned.row, owned.modular),
        );
      }
      const { previewed, committed } = await previewAndCommit(owned, previewInput);
      const fresh = (await ctx.modularOf(owned.row.id)) ?? owned.modular;
      const ingested = committed?.summary.ingestedAvailCount ?? 0;
      const ids = committed ? previewed.avails.map((a) => a.availId) : [];
      const products = await productsOfAvails(ctx.db, owned.row.id, ids, { now: ctx.now() });
      const projection = await lifecycle.project(owned.row, fresh);
      return { ...availsFeedAnswer(previewed, false, ingested, projection), products };
    },

    /** POST …/modular/avails-feed/upload: a file's normalized rows and diagnostics; never commits. */
    async availsUpload(owned: OwnedModular, file: UploadedFile) {
      const { read, format } = readUpload(file);
      const previewed = await preview(owned, {
        read,
        inputSource: `upload:${format}`,
        fileName: file.fileName,
        contractId: 'static-avails-feed:v1',
        actorType: 'FILE',
        deliverySemantics: 'FULL_REPLACEMENT',
      });
      return {
        ...availsFeedAnswer(previewed, true, 0, undefined),
        warningCount: previewed.summary.warningCount,
        warnings: previewed.warnings,
        formatMapping: previewed.formatMapping,
        note: 'Preview only: nothing was committed. Commit this revision with POST …/feed/commit (feedId, previewBaseline), or send the avails to …/modular/avails-feed with confirmed=true.',
      };
    },

    /** A page of a revision's refused rows beyond those its preview answered. */
    async rejectedRows(owned: OwnedModular, revisionId: string, offset: number, limit: number) {
      const revision = await findRevision(ctx.db, owned.row.id, revisionId);
      if (!revision) throw notFound('Feed revision');
      const rows = await diagnosedRows(ctx.db, revision.id, true, limit, offset);
      // Records, not rows: a file refused at its header (a missing column) is one record.
      const total = await refusedRecordCount(ctx.db, revision.id);
      return {
        items: rows.map((r) => ({
          rowNumber: r.rowNumber,
          rawRow: r.rawRow,
          diagnostics: r.diagnostics.map(diagnosticView),
        })),
        total,
        hasMore: offset + rows.length < total,
        nextOffset: offset + rows.length < total ? offset + rows.length : null,
      };
    },
    shownRejectedRows,

    /** GET …/feed/rules: the columns, formats, channels and CPM ceiling a file is read by. */
    rules: (owned: OwnedModular) => feedRulesOf(ctx, owned),
  };
}

function availsFeedAnswer(
  previewed: Awaited<ReturnType<ReturnType<typeof createFeeds>['previewJson']>>,
  previewOnly: boolean,
  ingested: number,
  projection: Awaited<ReturnType<Lifecycle['project']>> | undefined,
) {
  return {
    previewOnly,
    inputSource: previewed.revision.provenance.fileName ?? previewed.revision.provenance.actorType,
    parsedAvailCount: previewed.summary.parsedAvailCount,
    rejectedRowCount: previewed.summary.rejectedRowCount,
    avails: previewed.avails,
    rejectedRows: previewed.rejectedRows,
    ingestedAvailCount: ingested,
    feedId: previewed.feedId,
    revisionId: previewed.revision.revisionId,
    previewBaseline: previewed.previewBaseline,
    ...(previewed.commitImpact && { commitImpact: previewed.commitImpact }),
    ...(projection !== undefined && { projection }),
  };
}

export type Feeds = ReturnType<typeof createFeeds>;
