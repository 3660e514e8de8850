import { z } from 'zod';

/** Hosted readiness publisherDomains[] entry, with our additions after lastPushedAt. */
export const publisherDomainSchema = z.object({
  publisherDomain: z.string(),
  status: z
    .enum(['pending', 'authorized', 'unauthorized', 'unknown', 'error'])
    .describe(
      "pending: not read yet; authorized: the publisher's adagents.json lists the storefront's " +
        'agent or the source agent it resells; unauthorized: not listed, no file or an invalid ' +
        'one; unknown: listed without an authorization type; error: the file could not be read',
    ),
  adagentsStatus: z.enum(['resolved', 'no_adagents', 'invalid', 'error', 'pending']).nullable(),
  authorizationStatus: z.enum(['authorized', 'unauthorized', 'unknown']).nullable(),
  authorizationReason: z
    .enum([
      'no_file',
      'file_invalid',
      'agent_not_listed',
      'agent_untyped',
      'agent_not_property_bound',
      'authorized',
    ])
    .nullable(),
  resolvedPropertyCount: z.number().int().nullable(),
  lastSyncedAt: z.string().nullable().describe('When adagents.json was last read'),
  lastPushedAt: z.string().nullable().describe('Always null: no managed sales agent to push to'),
  declaredBySources: z
    .array(z.string())
    .describe("ACTIVE sources whose AdCP portfolio lists the domain (the source's own claim)"),
  authorizedAgents: z
    .array(z.string())
    .describe('Which of our agents the file authorizes: storefront, or a sourceId'),
  error: z.string().nullable().describe('Why the file could not be used'),
  checkedUrl: z.string().nullable().describe('Where the file was read (after redirects)'),
  expiresAt: z.string().nullable().describe('When it is read again'),
});
export type PublisherDomainReadiness = z.infer<typeof publisherDomainSchema>;
