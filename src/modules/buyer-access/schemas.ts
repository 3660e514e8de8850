import { z } from 'zod';
import {
  apiKeyAuthSchema,
  basicAuthSchema,
  jwtAuthSchema,
} from '../../upstream/credentials/schemas.js';
import { domainSchema, positiveIdSchema } from '../../platform/formats.js';
import { discoveryCardSchema, displayStatuses } from '../storefronts/index.js';

export const storefrontListQuery = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  status: z
    .enum([...displayStatuses, 'neutral'])
    .optional()
    .describe(
      'paused: isPaused; neutral: not paused; configuring / transacting: not paused, before or ' +
        'after go-live; archived',
    ),
  channel: z.string().min(1).max(64).optional(),
  region: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('A country the storefront accepts briefs from (ISO 3166-1 alpha-2), or a region'),
  publisherDomain: domainSchema
    .optional()
    .describe('Storefronts whose publisher coverage includes this domain or a subdomain of it'),
  visibility: z.enum(['public', 'private']).default('public'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type StorefrontListQuery = z.infer<typeof storefrontListQuery>;

const displayStatus = z.enum(displayStatuses);

export const storefrontSummarySchema = z
  .object({
    id: z.number().int(),
    platformId: z.string(),
    name: z.string(),
    publisherDomain: z.string().nullable(),
    brandName: z.string().nullable(),
    logoUrl: z.string().nullable(),
    logoBackground: z.string().nullable(),
    description: z.string().nullable(),
    website: z.string().nullable(),
    brandColors: z.record(z.string(), z.string()).nullable(),
    discoveryCard: discoveryCardSchema,
    displayStatus,
    channels: z.array(z.string()),
    regions: z.array(z.string()),
    supportedCampaignTypes: z.array(z.string()),
    supportedRoutingTypes: z
      .array(z.enum(['DECISIONED', 'ROUTED']))
      .describe('Hosted placeholder: both legacy values, always'),
    adapterProviderType: z.string().nullable(),
    adapterSourceKind: z.null().describe('Always null: no ad-server adapter storefronts here'),
    adapterConnection: z.null().describe('Always null: no ad-server adapter storefronts here'),
    creativeCapabilities: z.null().describe('Always null: no creative adapter storefronts here'),
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

export const adcpCapabilitiesSchema = z.object({
  supportsUpdateMediaBuy: z.boolean(),
  supportsCreateMediaBuy: z.boolean(),
  supportsGetReporting: z.boolean(),
  supportsSandbox: z.boolean().describe('Always true: storefront agents serve sandbox accounts'),
  extensions: z.array(z.string()),
  protocols: z.array(z.string()),
  publisherDomains: z.array(z.string()),
  channels: z.array(z.string()),
  countries: z.array(z.string()),
  countriesComplete: z.boolean(),
  channelsComplete: z.boolean(),
  version: z.string().nullable(),
  reportingDeliveryMethods: z.array(z.string()).nullable(),
  offlineDeliveryProtocols: z.array(z.string()).nullable(),
  capabilitiesCachedAt: z.iso.datetime().nullable(),
});

export const buyerStorefrontSchema = storefrontSummarySchema
  .omit({ sourceCount: true, connectedSourceCount: true })
  .extend({
    connected: z.boolean().describe('Every source that needs your credentials has an ACTIVE one'),
    requiresCredentials: z.boolean().describe('A source needs credentials you bring'),
    customerAccounts: z
      .array(z.object({ accountIdentifier: z.string(), status: z.string() }))
      .describe('Your accounts across its sources, one per accountIdentifier'),
    readiness: z.object({
      canTransact: z.boolean(),
      effectiveStatus: z.enum(['archived', 'paused', 'blocked', 'live']),
      blockerIds: z.array(z.string()),
    }),
    discoveryPerformance: z
      .object({
        sampleCount: z.number().int(),
        successCount: z.number().int().describe('Runs where every source answered'),
        timeoutCount: z
          .number()
          .int()
          .describe('Always 0: the agent answers within its budget, leaving slow sources out'),
        avgResponseTimeMs: z.number().int().nullable(),
        maxResponseTimeMs: z.number().int().nullable(),
        lastResponseTimeMs: z.number().int().nullable(),
        lastDiscoveryAt: z.iso.datetime().nullable(),
      })
      .describe("Buyers' get_products on this storefront over the last 30 days"),
    adcpCapabilities: adcpCapabilitiesSchema
      .nullable()
      .describe("From the ACTIVE sources' cached capability probes; null before any"),
    demandContact: z
      .object({ name: z.string(), email: z.string() })
      .nullable()
      .describe("The seller's contact for buyer inquiries (RFPs, briefs)"),
    sources: z.array(buyerSourceSchema),
  })
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

export const buyerAuthSchema = z.discriminatedUnion('type', [
  apiKeyAuthSchema,
  jwtAuthSchema,
  basicAuthSchema,
]);
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
      .union([z.string().regex(/^\d+$/, 'must be a numeric id'), positiveIdSchema])
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

export const storefrontCapabilitiesSchema = z.object({
  storefrontId: z.number().int(),
  agents: z.array(
    z.object({
      sourceId: z.string(),
      sourceName: z.string().nullable(),
      executionType: z.string(),
      agentName: z.string().nullable(),
      requiresCredentials: z.boolean().nullable(),
      probeable: z.boolean(),
      probeStatus: z.enum(['reachable', 'unreachable', 'not_applicable', 'unavailable']),
      message: z.string().nullable(),
      capabilities: z
        .object({
          version: z.string(),
          tools: z.array(z.string()),
          protocols: z.array(z.string()),
          features: z.record(z.string(), z.unknown()),
          publisherDomains: z.array(z.string()),
          channels: z.array(z.string()),
          countries: z.array(z.string()).optional(),
          accountResolution: z.enum(['explicit_account_id', 'implicit_from_sync']).nullable(),
          requireOperatorAuth: z.boolean(),
          defaultBilling: z.string().nullable(),
          supportedBillings: z.array(z.string()),
          reportingDeliveryMethods: z.array(z.string()).nullable(),
          sandboxSupported: z.boolean(),
          synthetic: z.boolean(),
        })
        .nullable(),
    }),
  ),
});
