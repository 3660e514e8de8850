import { defineRoute } from '../../platform/http/route.js';
import { readinessSchema } from './schemas.js';
import type { ReadinessService } from './service.js';

export function readinessRoutes(readiness: ReadinessService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/readiness',
      operationId: 'storefront.readiness',
      summary: 'What still blocks going live: checks, per-source diagnostics and setup mode',
      description:
        'status is ready when every blocking check (inventory_sources, agent_status, agent_auth, ' +
        'currency_confirmed) is complete. Source capabilities come from the cached probes; refresh ' +
        'a source to re-probe it.',
      tags: ['Storefront'],
      auth: 'seller',
      response: readinessSchema,
      handler: ({ principal }) => readiness.forSeller(principal),
    }),
  ];
}
