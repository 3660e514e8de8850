import { z } from 'zod';
import { apiKeyAuthSchema, jwtAuthSchema } from '../../upstream/credential-schemas.js';
import { positiveIdSchema } from '../../platform/formats.js';

export const storefrontListQuery = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  status: z.enum(['configuring', 'transacting', 'archived']).optional(),
  channel: z.string().min(1).max(64).optional(),
  region: z.string().min(1).max(64).optional(),
  visibility: z.enum(['public', 'private']).default('public'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type StorefrontListQuery = z.infer<typeof storefrontListQuery>;

const displayStatus = z.enum(['configuring', 'transacting', 'archived']);

export const storefrontSummarySchema = z
  .object({
    id: z.number().int(),
    platformId: z.string(),
    name: z.string(),
    publisherDomain: z.string().nullable(),
    displayStatus,
    channels: z.array(z.string()),
    regions: z.array(z.string()),
    supportedCampaignTypes: z.array(z.string()),
    adapterProviderType: z.string().nullable(),
    sourceCount: z.number().int(),
    connectedSourceCount: z.number().int(),
  })
  .meta({ id: 'BuyerStorefrontSummary' });

export const buyerSourceSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  agentId: z.string(),
  requiresCredentials: z.boolean(),
  connected: z.boolean(),
  supportedCampaignTypes: z.array(z.string()),
  customerAccounts: z.array(z.object({ accountIdentifier: z.string(), status: z.string() })),
});

export const buyerStorefrontSchema = storefrontSummarySchema
  .omit({ sourceCount: true, connectedSourceCount: true })
  .extend({ sources: z.array(buyerSourceSchema) })
  .meta({ id: 'BuyerStorefront' });

export const discoverItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  publisherDomain: z.string().nullable(),
  status: z.enum(['UNCLAIMED', 'VERIFICATION', 'CONFIGURING', 'TESTING', 'TRANSACTING']),
});

export const storefrontIdParams = z.object({ storefrontId: positiveIdSchema });
export const sourceParams = z.object({
  storefrontId: positiveIdSchema,
  sourceId: z.string().min(1).max(255),
});

export const interestBody = z
  .object({
    storefrontIds: z.array(positiveIdSchema).max(100, 'at most 100 storefront ids').optional(),
    notes: z.string().trim().max(4000).optional(),
  })
  .strict()
  .refine((v) => (v.storefrontIds?.length ?? 0) > 0 || (v.notes?.length ?? 0) > 0, {
    message: 'send storefrontIds, notes, or both',
    path: ['storefrontIds'],
  });

export const interestStatusSchema = z.object({
  submitted: z.boolean(),
  submittedAt: z.iso.datetime().nullable(),
});

export const buyerAuthSchema = z.discriminatedUnion('type', [apiKeyAuthSchema, jwtAuthSchema]);
export type BuyerAuthInput = z.infer<typeof buyerAuthSchema>;

export const credentialBody = z
  .object({
    accountIdentifier: z.string().trim().min(1).max(255),
    auth: buyerAuthSchema.optional(),
    marketplaceAccount: z.boolean().optional(),
  })
  .strict();
export type CredentialInput = z.infer<typeof credentialBody>;

export const accountBody = z
  .object({
    advertiserId: z
      .union([z.string().regex(/^\d+$/, 'must be a numeric id'), z.number().int().positive()])
      .transform(String),
    accountIdentifier: z.string().trim().min(1).max(255),
    auth: buyerAuthSchema.optional(),
  })
  .strict();
export type AccountInput = z.infer<typeof accountBody>;

export const credentialSchema = z
  .object({
    id: z.string(),
    accountIdentifier: z.string(),
    accountType: z.enum(['CLIENT', 'MARKETPLACE']),
    status: z.enum(['ACTIVE', 'INVALID', 'PENDING']),
    statusReason: z.string().nullable(),
    registeredBy: z.string().nullable(),
    advertiserId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sources: z.array(
      z.object({
        storefrontId: z.number().int(),
        storefrontName: z.string(),
        sourceId: z.string(),
        sourceName: z.string(),
      }),
    ),
    /**
     * Set when registering on an OAuth source: where the user consents, in the hosted API's
     * storefront/source terms, plus the agent it is for.
     */
    oauth: z
      .object({
        authorizationUrl: z.string(),
        storefrontId: z.number().int(),
        sourceId: z.string(),
        sourceName: z.string(),
        agentId: z.string(),
        agentName: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'BuyerCredential' });

export const agentParams = z.object({ agentId: z.string().min(1).max(255) });
export const authorizeBody = z
  .object({
    accountIdentifier: z.string().trim().min(1).max(255).optional(),
    /** Hosted API: where the authorization server sends the code (checked against an allow-list). */
    redirectUri: z.string().min(1).max(2048).optional(),
  })
  .strict()
  .optional();
export const oauthCallbackBody = z.object({
  code: z.string().min(1).max(4096),
  state: z.string().min(1).max(255),
});
export const credentialIdParams = z.object({ credentialId: positiveIdSchema });
export type CredentialView = z.infer<typeof credentialSchema>;

export const sellerInterestSchema = z.object({
  items: z.array(
    z.object({
      buyerCustomerId: z.number().int(),
      buyerName: z.string().nullable(),
      notes: z.string().nullable(),
      submittedAt: z.iso.datetime(),
    }),
  ),
  total: z.number().int(),
});
