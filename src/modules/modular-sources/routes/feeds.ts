import { z } from 'zod';
import { invalid } from '../../../platform/errors.js';
import { findUnstorableInput } from '../../../platform/storable-input.js';
import { defineRoute } from '../../../platform/http/route.js';
import type { UploadGate } from '../../../platform/uploads/gate.js';
import { receiveUpload } from '../../../platform/uploads/receive.js';
import {
  availsFeedBody,
  columnMappingSchema,
  commitBody,
  feedPayloadBody,
  pageQuery,
  pushBody,
  revisionParams,
  uploadBodyDoc,
  uploadFieldsSchema,
} from '../schemas/feeds.js';
import {
  availsFeedSchema,
  availsUploadSchema,
  commitSchema,
  feedRulesSchema,
  previewSchema,
  pushSchema,
} from '../schemas/responses.js';
import { modularParams } from '../schemas/setup.js';
import type { ModularSourcesService } from '../service.js';
import { base, tags } from './shared.js';

/** The form fields of an upload, read as the JSON endpoints read theirs. */
function uploadFields(raw: Record<string, string>) {
  const parsed = uploadFieldsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`${issue.path.join('.')}: ${issue.message}`, issue.path.join('.'));
  }
  const { columnMapping, ...rest } = parsed.data;
  if (columnMapping === undefined) return rest;
  let mapping: unknown;
  try {
    mapping = JSON.parse(columnMapping);
  } catch {
    throw invalid('columnMapping must be a JSON object', 'columnMapping');
  }
  // Parsed here, not by the body validator: the same storable-text check (NUL, surrogates).
  const unstorable = findUnstorableInput(mapping);
  if (unstorable) throw invalid(`columnMapping: ${unstorable.problem}`, 'columnMapping');
  const checked = columnMappingSchema.safeParse(mapping);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const field = ['columnMapping', ...issue.path.map(String)].join('.');
    throw invalid(
      issue.code === 'custom' ? issue.message : 'columnMapping maps columns to avail fields',
      field,
    );
  }
  return { ...rest, columnMapping: checked.data };
}

export function feedRoutes(service: ModularSourcesService, uploads: UploadGate) {
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/feed/preview`,
      operationId: 'previewInventoryFeed',
      summary:
        'Preview an avails feed (rows, CSV or JSON text): a PREVIEW revision; nothing is committed',
      description:
        'Every refused row is named with its row number, column, value and why. Commit the ' +
        'revision with …/feed/commit, sending feedId and previewBaseline as answered.',
      tags,
      auth: 'seller',
      params: modularParams,
      body: feedPayloadBody,
      bodyLimit: 8 * 1024 * 1024,
      response: previewSchema,
      handler: async ({ principal, params, body }) =>
        service.feeds.previewJson(await service.owned(principal, params.sourceId), body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/feed/upload`,
      operationId: 'uploadInventoryFeed',
      summary: 'Preview an uploaded CSV, XLSX, JSON or JSON-lines file (multipart, streamed)',
      tags,
      auth: 'seller',
      multipart: true,
      params: modularParams,
      body: uploadBodyDoc,
      response: previewSchema,
      handler: ({ principal, params, request, reply }) =>
        receiveUpload(request, reply, uploads, String(principal.customerId), async (receive) => {
          const owned = await service.owned(principal, params.sourceId);
          const file = await receive();
          return service.feeds.previewUpload(owned, file, uploadFields(file.fields));
        }),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/feed/commit`,
      operationId: 'commitInventoryFeed',
      summary:
        'Commit exactly the previewed revision (stale: 422 STALE_PREVIEW_BASELINE; re-sent: replayed)',
      tags,
      auth: 'seller',
      params: modularParams,
      body: commitBody,
      bodyLimit: 8 * 1024 * 1024,
      response: commitSchema,
      handler: async ({ principal, params, body }) =>
        service.feeds.commit(await service.owned(principal, params.sourceId), body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/feed/push`,
      operationId: 'pushInventoryFeed',
      summary: 'Parse, validate and commit a feed in one call (dryRun: preview only)',
      tags,
      auth: 'seller',
      params: modularParams,
      body: pushBody,
      bodyLimit: 8 * 1024 * 1024,
      response: pushSchema,
      handler: async ({ principal, params, body }) =>
        service.feeds.push(await service.owned(principal, params.sourceId), body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/feed/rules`,
      operationId: 'getInventoryFeedRules',
      summary:
        'What a feed file of this source must hold: columns and the headers each is known by, format names, channels, pricing models and the CPM ceiling',
      description:
        'Interchange addition. Headers are compared without case, spaces or punctuation; a columnMapping target may be a field or any of its aliases.',
      tags,
      auth: 'seller',
      params: modularParams,
      response: feedRulesSchema,
      handler: async ({ principal, params }) =>
        service.feeds.rules(await service.owned(principal, params.sourceId)),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:sourceId/feed/revisions/:revisionId/rejected-rows`,
      operationId: 'listInventoryFeedRejectedRows',
      summary: "A page of a revision's refused rows (row, column, value, why)",
      tags,
      auth: 'seller',
      params: revisionParams,
      query: pageQuery,
      response: z.object({
        items: z.array(z.looseObject({ rowNumber: z.number().int() })),
        total: z.number().int(),
        hasMore: z.boolean(),
        nextOffset: z.number().int().nullable(),
      }),
      handler: async ({ principal, params, query }) =>
        service.feeds.rejectedRows(
          await service.owned(principal, params.sourceId),
          params.revisionId,
          query.offset,
          query.limit,
        ),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/modular/avails-feed`,
      operationId: 'ingestModularInventorySourceAvailsFeed',
      summary:
        'Preview avails, or with confirmed=true upsert them (avails not listed stay on sale)',
      tags,
      auth: 'seller',
      params: modularParams,
      body: availsFeedBody,
      bodyLimit: 8 * 1024 * 1024,
      response: availsFeedSchema,
      handler: async ({ principal, params, body }) =>
        service.feeds.availsFeed(await service.owned(principal, params.sourceId), body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:sourceId/modular/avails-feed/upload`,
      operationId: 'previewModularInventorySourceAvailsUpload',
      summary: "A file's normalized avails and row diagnostics (multipart); never commits",
      tags,
      auth: 'seller',
      multipart: true,
      params: modularParams,
      body: uploadBodyDoc,
      response: availsUploadSchema,
      handler: ({ principal, params, request, reply }) =>
        receiveUpload(request, reply, uploads, String(principal.customerId), async (receive) => {
          const owned = await service.owned(principal, params.sourceId);
          return service.feeds.availsUpload(owned, await receive());
        }),
    }),
  ];
}
