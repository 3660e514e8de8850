import { z } from 'zod';
import { invalid } from '../../platform/errors.js';
import { defineRoute } from '../../platform/http/route.js';
import { textChunks } from '../../platform/http/body/stream.js';
import { csvOfferings, jsonLines } from './import-formats.js';
import {
  advertiserParams,
  catalogListSchema,
  catalogParams,
  catalogSchema,
  createCatalogBody,
  createOfferingBody,
  importResultSchema,
  listCatalogsQuery,
  listOfferingsQuery,
  offeringListSchema,
  offeringParams,
  offeringSchema,
  syncCatalogsBody,
  syncCatalogsResponse,
  updateCatalogBody,
  updateOfferingBody,
} from './schemas.js';
import type { CatalogsService } from './service.js';

const base = '/api/v2/buyer/advertisers/:advertiserId/catalogs';
const tags = ['Catalogs'];
const offeringTags = ['Offerings'];

/** The largest import file: 100,000 offerings of a few kilobytes each fit well within it. */
export const IMPORT_MAX_BYTES = 512 * 1024 * 1024;

/** The catalogs' routes, then their offerings': the REST surface of buyers' catalogs. */
export function catalogRoutes(catalogs: CatalogsService) {
  return [...catalogLevelRoutes(catalogs), ...offeringRoutes(catalogs)];
}

/** A buyer's catalogs: listed, created, synced, read, renamed and archived. */
function catalogLevelRoutes(catalogs: CatalogsService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listCatalogs',
      summary: 'List catalogs (type and status filters, take/skip)',
      tags,
      auth: 'customer',
      params: advertiserParams,
      query: listCatalogsQuery,
      response: catalogListSchema,
      handler: ({ principal, params, query }) =>
        catalogs.list(principal, params.advertiserId, query),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'createCatalog',
      summary: 'Create a catalog (name and type; catalogId optional, generated when left out)',
      tags,
      auth: 'customer',
      status: 201,
      params: advertiserParams,
      body: createCatalogBody,
      response: catalogSchema,
      handler: ({ principal, params, body }) =>
        catalogs.create(principal, params.advertiserId, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/sync`,
      operationId: 'syncCatalogs',
      summary: 'Upsert catalogs with their items (AdCP sync_catalogs) and push them to partners',
      description:
        'catalogs[]: inline items replace the catalog’s items (each created / updated / ' +
        'unchanged / failed; a new version when anything changed). validation_mode strict fails ' +
        'a catalog with any invalid item, lenient keeps the valid ones. delete_missing archives ' +
        'the catalogs not named; dry_run only reports. partnerIds (seed 004): push the catalogs ' +
        '(those in this request, else catalog_ids, else every active one) with AdCP sync_catalogs ' +
        'to sources the advertiser linked an account on; each outcome is in partners[].',
      tags,
      auth: 'customer',
      bodyLimit: 64 * 1024 * 1024,
      params: advertiserParams,
      body: syncCatalogsBody,
      response: syncCatalogsResponse,
      handler: ({ principal, params, body }) => catalogs.sync(principal, params.advertiserId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:catalogId`,
      operationId: 'getCatalog',
      summary: 'Get a catalog with its versions and partner sync status',
      tags,
      auth: 'customer',
      params: catalogParams,
      response: catalogSchema,
      handler: ({ principal, params }) =>
        catalogs.get(principal, params.advertiserId, params.catalogId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:catalogId`,
      operationId: 'updateCatalog',
      summary: 'Update a catalog (fields left out stay; the type is fixed once it holds items)',
      tags,
      auth: 'customer',
      params: catalogParams,
      body: updateCatalogBody,
      response: catalogSchema,
      handler: ({ principal, params, body }) =>
        catalogs.update(principal, params.advertiserId, params.catalogId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:catalogId`,
      operationId: 'deleteCatalog',
      summary: 'Archive a catalog and all its offerings',
      tags,
      auth: 'customer',
      params: catalogParams,
      response: z.object({ catalogId: z.string(), archived: z.literal(true) }),
      handler: ({ principal, params }) =>
        catalogs.archive(principal, params.advertiserId, params.catalogId),
    }),
  ];
}

/** The offerings of a catalog: listed, created, imported in bulk, read, changed and removed. */
function offeringRoutes(catalogs: CatalogsService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/:catalogId/offerings`,
      operationId: 'listOfferings',
      summary: 'List the offerings of a catalog (status filter, take/skip)',
      tags: offeringTags,
      auth: 'customer',
      params: catalogParams,
      query: listOfferingsQuery,
      response: offeringListSchema,
      handler: ({ principal, params, query }) =>
        catalogs.offerings.list(principal, params.advertiserId, params.catalogId, query),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:catalogId/offerings`,
      operationId: 'createOffering',
      summary: 'Create an offering (offeringId; the catalog type’s own fields in attributes)',
      tags: offeringTags,
      auth: 'customer',
      status: 201,
      params: catalogParams,
      body: createOfferingBody,
      response: offeringSchema,
      handler: ({ principal, params, body }) =>
        catalogs.offerings.create(principal, params.advertiserId, params.catalogId, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:catalogId/offerings/import`,
      operationId: 'importOfferings',
      summary: 'Bulk import offerings from JSON lines or CSV, streamed (an upsert by offering id)',
      description:
        'Send the file as the body with content-type application/x-ndjson (one offering or AdCP ' +
        'item per line) or text/csv (a header row; offeringId/id/sku, title/name, description, ' +
        'price, currency, landingUrl/link, imageUrl/image_link; other columns become attributes). ' +
        'Rows are written in batches of 1,000; an invalid row is reported with its line and ' +
        'skipped. Up to 512 MiB.',
      tags: offeringTags,
      auth: 'customer',
      params: catalogParams,
      response: importResultSchema,
      handler: ({ principal, params, request }) => {
        const type = String(request.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim();
        const body = request.body as AsyncIterable<Buffer> | undefined;
        if (!body || typeof body[Symbol.asyncIterator] !== 'function' || !type)
          throw invalid(
            'Send the file as the body with content-type application/x-ndjson or text/csv',
            'content-type',
          );
        const text = textChunks(body, IMPORT_MAX_BYTES);
        const records = type === 'text/csv' ? csvOfferings(text) : jsonLines(text);
        return catalogs.offerings.import(principal, params.advertiserId, params.catalogId, records);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:catalogId/offerings/:offeringId`,
      operationId: 'getOffering',
      summary: 'Get an offering',
      tags: offeringTags,
      auth: 'customer',
      params: offeringParams,
      response: offeringSchema,
      handler: ({ principal, params }) =>
        catalogs.offerings.get(principal, params.advertiserId, params.catalogId, params.offeringId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:catalogId/offerings/:offeringId`,
      operationId: 'updateOffering',
      summary: 'Update an offering (fields left out stay; attributes, when sent, replace)',
      tags: offeringTags,
      auth: 'customer',
      params: offeringParams,
      body: updateOfferingBody,
      response: offeringSchema,
      handler: ({ principal, params, body }) =>
        catalogs.offerings.update(
          principal,
          params.advertiserId,
          params.catalogId,
          params.offeringId,
          body,
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:catalogId/offerings/:offeringId`,
      operationId: 'deleteOffering',
      summary: 'Archive an offering',
      tags: offeringTags,
      auth: 'customer',
      params: offeringParams,
      response: z.object({ offeringId: z.string(), archived: z.literal(true) }),
      handler: ({ principal, params }) =>
        catalogs.offerings.archive(
          principal,
          params.advertiserId,
          params.catalogId,
          params.offeringId,
        ),
    }),
  ];
}
