import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import { propertyProfileBody, propertyProfileParams, propertyProfileSchema } from './schemas.js';
import type { PropertyProfilesService } from './service.js';

const tags = ['Property profiles'];
const base = '/api/v2/storefront/property-profiles';

/** The seller's profiles of its sites; the storefront comes from the API key. */
export function propertyProfileRoutes(profiles: PropertyProfilesService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'propertyProfiles.list',
      summary: "List the storefront's site profiles (by domain)",
      tags,
      auth: 'seller',
      response: z.object({ items: z.array(propertyProfileSchema), total: z.number().int() }),
      handler: async ({ principal }) => {
        const items = await profiles.list(principal);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:domain`,
      operationId: 'propertyProfiles.put',
      summary: 'Say where a site sells, whom it reaches and what it is about',
      description:
        'Every product of the site (any source kind) is ranked with it where the product says no ' +
        'countries, audience or content of its own: a buyer filtering by country leaves out a ' +
        'product of a site that sells only elsewhere, and a brief for its audience finds it.',
      tags,
      auth: 'seller',
      params: propertyProfileParams,
      body: propertyProfileBody,
      response: propertyProfileSchema,
      handler: ({ principal, params, body }) => profiles.put(principal, params.domain, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:domain`,
      operationId: 'propertyProfiles.delete',
      summary: "Delete a site's profile",
      tags,
      auth: 'seller',
      params: propertyProfileParams,
      response: z.object({ publisherDomain: z.string(), deleted: z.literal(true) }),
      handler: ({ principal, params }) => profiles.remove(principal, params.domain),
    }),
  ];
}
