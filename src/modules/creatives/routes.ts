import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import type { AssetService } from './assets/service.js';
import { assetView } from './assets/service.js';
import {
  assetParams,
  campaignCreativesParams,
  createCreativeBody,
  creativeListSchema,
  creativeParams,
  creativeSchema,
  listCreativesQuery,
  updateCreativeBody,
  uploadedAssetSchema,
  uploadQuery,
} from './schemas.js';
import type { CreativesService } from './service.js';

const tags = ['Creatives'];
const base = '/api/v2/buyer/campaigns/:campaignId';

/** Creative manifests nested under campaigns (seed 004) and asset uploads; others' are 404. */
export function creativeRoutes(
  creatives: CreativesService,
  assets: AssetService,
  maxBytes: number,
) {
  const listRoute = (url: string, operationId: string, summary: string) =>
    defineRoute({
      method: 'GET',
      url,
      operationId,
      summary,
      description:
        'Newest first. Filters: search (name, case-insensitive), format_kind; take (≤250) / skip.',
      tags,
      auth: 'customer',
      params: campaignCreativesParams,
      query: listCreativesQuery,
      response: creativeListSchema,
      handler: ({ principal, params, query }) =>
        creatives.list(principal, params.campaignId, query),
    });
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v2/buyer/creative-assets',
      operationId: 'uploadCreativeAsset',
      summary: 'Upload a creative asset file (the body is the file)',
      description:
        'The request body is the file itself, sent with its Content-Type (image/png, image/jpeg, ' +
        'image/gif, image/webp, video/mp4, video/webm, audio/mpeg, audio/mp4, audio/wav, audio/ogg) and ' +
        '?filename=. The bytes must be what the Content-Type says; an image’s width and height are ' +
        'read from it (declare them with ?width=&height= for video). Answers the asset with a signed, ' +
        'expiring public_url; name it in a creative by `assets[].asset_id`.',
      tags,
      auth: 'customer',
      status: 201,
      bodyLimit: maxBytes,
      query: uploadQuery,
      response: uploadedAssetSchema,
      handler: async ({ principal, query, request }) => {
        const row = await assets.upload(principal, {
          bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          contentType: (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
          filename: query.filename,
          width: query.width,
          height: query.height,
          durationMs: query.duration_ms,
        });
        return assetView(row, assets.linkOf(row));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/creative-assets/:assetId',
      operationId: 'getCreativeAsset',
      summary: 'Get an uploaded asset with a fresh signed link',
      tags,
      auth: 'customer',
      params: assetParams,
      response: uploadedAssetSchema,
      handler: async ({ principal, params }) => {
        const row = await assets.get(principal, params.assetId);
        return assetView(row, assets.linkOf(row));
      },
    }),
    listRoute(`${base}/creatives`, 'listCreatives', 'List a campaign’s creatives'),
    defineRoute({
      method: 'POST',
      url: `${base}/creatives/create`,
      operationId: 'createCreativeManifest',
      summary: 'Create a creative manifest against a format',
      description:
        'format_id must be offered by a storefront agent you may buy from (GET /api/v2/buyer/formats); ' +
        'files are uploaded first (POST /api/v2/buyer/creative-assets) and named in assets[] by asset_id. ' +
        'Each slot is checked against the format (slot, asset type, file size, dimensions). On a live ' +
        'campaign the creative goes to its sellers at once (sync_creatives, then package assignments).',
      tags,
      auth: 'customer',
      status: 201,
      params: campaignCreativesParams,
      body: createCreativeBody,
      response: creativeSchema,
      handler: ({ principal, params, body }) =>
        creatives.create(principal, params.campaignId, body),
    }),
    listRoute(
      `${base}/creativeManifest`,
      'listCreativeManifests',
      'List a campaign’s creative manifests',
    ),
    defineRoute({
      method: 'GET',
      url: `${base}/creatives/:creativeId`,
      operationId: 'getCreativeManifest',
      summary: 'Get a creative manifest with its sellers’ review status',
      description:
        'Sellers still reviewing the creative are asked again (list_creatives) before answering; ' +
        'platform_links carries each seller’s approval_status and, for a rejection, its reason.',
      tags,
      auth: 'customer',
      params: creativeParams,
      response: creativeSchema,
      handler: ({ principal, params }) =>
        creatives.get(principal, params.campaignId, params.creativeId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/creatives/:creativeId`,
      operationId: 'updateCreativeManifest',
      summary: 'Update a creative manifest (fields left out stay as they are)',
      tags,
      auth: 'customer',
      params: creativeParams,
      body: updateCreativeBody,
      response: creativeSchema,
      handler: ({ principal, params, body }) =>
        creatives.update(principal, params.campaignId, params.creativeId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/creatives/:creativeId`,
      operationId: 'deleteCreativeManifest',
      summary: 'Delete a creative manifest',
      description:
        "Withdraws the creative from the sellers that hold it (update_media_buy clears it from the live buys' packages, sync_creatives archives it), then deletes it. Answers 200 with {creative_id, deleted: true} in the envelope (the hosted docs print 204); 409 CONFLICT naming the sellers in details.sellers when one still carries it (the creative is kept; delete again to retry).",
      tags,
      auth: 'customer',
      params: creativeParams,
      response: z.object({ creative_id: z.string(), deleted: z.literal(true) }),
      handler: async ({ principal, params }) => {
        await creatives.remove(principal, params.campaignId, params.creativeId);
        return { creative_id: params.creativeId, deleted: true as const };
      },
    }),
  ];
}
