import { defineRoute } from '../../platform/http/route.js';
import { formatListSchema, listFormatsQuery } from './schemas.js';
import type { FormatsService } from './service.js';

/** GET /api/v2/buyer/formats (seed 004): the creative formats of the agents the buyer may use. */
export function formatRoutes(formats: FormatsService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/formats',
      operationId: 'listFormats',
      summary: 'List the creative formats of the storefront agents you may buy from',
      description:
        'Each agent’s list_creative_formats answer, cached per buyer and agent and refreshed on a ' +
        'schedule (INTERCHANGE_FORMATS_REFRESH_SECONDS). Filters: channel (display, video, audio, ' +
        'native, other; read off the format’s asset slots) and salesAgentId. `agents` says when ' +
        'each agent was last asked and why its last refresh failed, if it did.',
      tags: ['Creatives'],
      auth: 'customer',
      query: listFormatsQuery,
      response: formatListSchema,
      handler: ({ principal, query }) => formats.list(principal, query),
    }),
  ];
}
