import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import {
  createJoinLinkBody,
  joinContextSchema,
  joinLinkSchema,
  linkIdParams,
  signupBody,
  signupResultSchema,
  slugParams,
} from './schemas.js';
import type { JoinLinksService } from './service.js';

const tags = ['Join links'];

export function joinLinkRoutes(joinLinks: JoinLinksService) {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/join-links',
      operationId: 'joinLinks.create',
      summary: 'Mint a join link for one of your storefronts',
      tags,
      auth: 'seller',
      status: 201,
      body: createJoinLinkBody,
      response: joinLinkSchema,
      handler: ({ principal, body }) => joinLinks.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/join-links',
      operationId: 'joinLinks.list',
      summary: "Your organisation's active join links across its storefronts",
      tags,
      auth: 'seller',
      response: z.object({ items: z.array(joinLinkSchema), total: z.number().int() }),
      handler: ({ principal }) => joinLinks.list(principal),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v2/storefront/join-links/:linkId',
      operationId: 'joinLinks.disable',
      summary: 'Disable (soft-revoke) a join link; joined buyers keep their accounts',
      tags,
      auth: 'seller',
      params: linkIdParams,
      response: z.object({ disabled: z.literal(true), id: z.string() }),
      handler: ({ principal, params }) => joinLinks.disable(principal, params.linkId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/join-context/:slug',
      operationId: 'joinLinks.context',
      summary: 'Public, brand-safe context of a join link for the signup page (no API key)',
      description:
        'A missing, revoked, expired, exhausted or closed link answers 200 with valid: false and ' +
        'every branding field null. Never returns seller or customer identifiers.',
      tags,
      auth: 'public',
      params: slugParams,
      response: joinContextSchema,
      handler: async ({ params, reply }) => {
        reply.header('Cache-Control', 'public, max-age=30');
        return joinLinks.context(params.slug);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/join/:slug/signup',
      operationId: 'joinLinks.signup',
      summary: 'Sign up as a sponsored buyer through a join link (public)',
      description:
        'auto_approve links create an active sponsored buyer; manual_approve and invite_only ones a ' +
        'pending one. Either way the API key is returned once. Closed, revoked, expired or ' +
        'exhausted links answer 409 JOIN_LINK_UNAVAILABLE with details.reason; unknown ones 404. ' +
        'The same email joining the same storefront twice answers 409.',
      tags,
      auth: 'public',
      status: 201,
      params: slugParams,
      body: signupBody,
      response: signupResultSchema,
      handler: ({ params, body }) => joinLinks.signup(params.slug, body),
    }),
  ];
}
