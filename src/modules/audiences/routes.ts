import { defineRoute } from '../../platform/http/route.js';
import {
  advertiserParams,
  audienceListAnswer,
  listAudiencesQuery,
  syncAudiencesAnswer,
  syncAudiencesBody,
} from './schemas.js';
import type { AudiencesService } from './service.js';

const base = '/api/v2/buyer/advertisers/:advertiserId/audiences';
const tags = ['Audiences'];

/** 100,000 members of a few hundred bytes each, twice (add and remove). */
const syncBodyLimit = 64 * 1024 * 1024;

export function audienceRoutes(audiences: AudiencesService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listAudiences',
      summary: 'List the audiences of an advertiser (take/skip), with their status and counts',
      tags,
      auth: 'customer',
      params: advertiserParams,
      query: listAudiencesQuery,
      response: audienceListAnswer,
      handler: ({ principal, params, query }) =>
        audiences.list(principal, params.advertiserId, query),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/sync`,
      operationId: 'syncAudiences',
      summary: 'Sync first-party audiences (AdCP sync_audiences): 202 with a task to poll',
      description:
        'Members are identified only by SHA-256 digests (hashedEmail: of the trimmed, lower-cased ' +
        'address; hashedPhone: of the E.164 number; 64 hex characters) or universal ids. A raw ' +
        'e-mail address or phone number is refused with a 400 naming the field, and is never ' +
        'stored or logged. The sync runs as a durable task (GET /api/v2/buyer/tasks/{taskId}: ' +
        'status and metadata.progress): applied here, then sent to every sales agent you use ' +
        'that takes audiences (AdCP audience_targeting), under your account there. A retry with ' +
        'the same Idempotency-Key answers the same task. Body up to 64 MiB.',
      tags,
      auth: 'customer',
      status: 202,
      bodyLimit: syncBodyLimit,
      params: advertiserParams,
      body: syncAudiencesBody,
      response: syncAudiencesAnswer,
      handler: ({ principal, params, body, request }) =>
        audiences.sync(principal, params.advertiserId, body, request.idempotency?.key),
    }),
  ];
}
