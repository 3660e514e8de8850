import { z } from 'zod';
import { capabilityStates } from '../../sources/capabilities.js';
import {
  apiKeyAuthSchema,
  basicAuthSchema,
  jwtAuthSchema,
} from '../../upstream/credentials/schemas.js';
import { agentDescriptor, linkedStorefrontDescriptor } from '../../source-kinds/descriptors.js';

export const sourceStatuses = ['PENDING', 'ACTIVE', 'DISABLED'] as const;
export const authenticationTypes = ['NO_AUTH', 'API_KEY', 'JWT', 'OAUTH', 'BASIC_AUTH'] as const;
export type AuthenticationType = (typeof authenticationTypes)[number];
export const sourceTypes = ['SALES', 'SIGNAL', 'CREATIVE', 'OUTCOME'] as const;
// What a source can do is the sources' shared record (src/sources/capabilities.ts).
export { capabilityStates } from '../../sources/capabilities.js';
export type { CachedCapabilities, CapabilityState } from '../../sources/capabilities.js';

export const sourceIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, - or _');

/** For OAUTH sources: the client buyers' consent flows use (buyers bring their own tokens). */
const oauthClientAuth = z.object({
  type: z.literal('oauth'),
  clientId: z.string().min(1).max(255),
  clientSecret: z.string().min(1).max(4096).optional(),
  scope: z.string().max(2048).optional(),
  /** Issuer URL; when omitted it is discovered from the agent's protected-resource metadata. */
  authorizationServerUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});
export const sourceAuthSchema = z.discriminatedUnion('type', [
  apiKeyAuthSchema,
  jwtAuthSchema,
  oauthClientAuth,
  basicAuthSchema,
]);
export type SourceAuthInput = z.infer<typeof sourceAuthSchema>;

/** Hosted clients send `auth: {}` with NO_AUTH: an empty object means no credential. */
const sourceAuthOrNone = z
  .union([sourceAuthSchema, z.object({}).strict()])
  .transform((auth): SourceAuthInput | undefined =>
    'type' in auth ? (auth as SourceAuthInput) : undefined,
  );

/** The kinds of source a seller registers (the source registry's executionTypes). */
export const executionTypes = [
  agentDescriptor.executionType,
  linkedStorefrontDescriptor.executionType,
] as const;

const endpointUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);

export const createSourceBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    sourceId: sourceIdSchema.optional(),
    executionType: z
      .enum(executionTypes)
      .default(agentDescriptor.executionType)
      .describe(
        'AGENT: an AdCP sales agent. LINKED_STOREFRONT: another storefront’s Merchandising ' +
          'Agent, whose seller approved your link request (docs/federation.md)',
      ),
    type: z.enum(sourceTypes).default('SALES'),
    /** Omitted: the source is a draft (readiness flags it) until PUT gives it an endpoint. */
    endpointUrl: endpointUrl.optional(),
    protocol: z.enum(['MCP', 'A2A']).default('MCP'),
    authenticationType: z.enum(authenticationTypes).default('NO_AUTH'),
    auth: sourceAuthOrNone.optional(),
    requiresCredentials: z.boolean().default(false),
    description: z.string().max(2000).optional(),
  })
  .strict();
export type CreateSourceInput = z.infer<typeof createSourceBody>;

export const updateSourceBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    executionType: z.enum(executionTypes),
    type: z.enum(sourceTypes),
    status: z.enum(sourceStatuses),
    description: z.string().max(2000).nullable(),
    endpointUrl,
    protocol: z.enum(['MCP', 'A2A']),
    authenticationType: z.enum(authenticationTypes),
    auth: sourceAuthOrNone,
    requiresCredentials: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateSourceInput = z.infer<typeof updateSourceBody>;

export const sourceParams = z.object({ sourceId: z.string().min(1).max(255) });

export interface ProbeErrorRecord {
  code: string;
  message: string;
  at: string;
  /**
   * A kind Interchange serves reported that its credentials are missing or refused (readiness'
   * agent_auth); an agent's probe says so with the code `unauthorized`.
   */
  credentials?: boolean;
}

/**
 * The last failure of a storefront agent's call to the source (seen by the operator only:
 * buyers get the source's id, name and a code, never hosts or exception text).
 */
export interface CallErrorRecord extends ProbeErrorRecord {
  /** The AdCP tool that failed, e.g. get_products. */
  tool: string;
}

const capabilityState = z.enum(capabilityStates);

export const capabilitiesSchema = z.object({
  syntheticManifest: z.boolean(),
  adcpVersion: z.string().nullable(),
  agentName: z.string().nullable(),
  tools: z.array(z.string()),
  products: capabilityState,
  createMediaBuy: capabilityState,
  updateMediaBuy: capabilityState,
  signals: capabilityState,
  wholesaleProducts: capabilityState,
  channels: z.array(z.string()),
  countries: z.array(z.string()).optional(),
  publisherDomains: z.array(z.string()),
  pricingModels: z.array(z.string()),
  billing: z.array(z.string()),
  authTypes: z.array(z.string()),
  specialisms: z.array(z.string()),
  creativeHasCreativeLibrary: z
    .boolean()
    .nullable()
    .describe('AdCP creative.has_creative_library: true, false, or null when unknown'),
});

export const healthSchema = z.object({
  status: z.enum(['healthy', 'failing', 'unknown']),
  lastProbeAt: z.iso.datetime().nullable(),
  lastSuccessAt: z.iso.datetime().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.iso.datetime() }).nullable(),
  latencyMs: z.number().int().nullable(),
});

export const sourceSchema = z
  .object({
    id: z.string().describe('Global numeric id'),
    sourceId: z.string(),
    storefrontId: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    executionType: z.string(),
    type: z.enum(sourceTypes),
    status: z.enum(sourceStatuses),
    role: z.enum(['ingredient', 'upstream']),
    agentId: z.string().nullable().describe('Null while the source is a draft'),
    endpointUrl: z.string().nullable().describe('Null for a draft (created with a name only)'),
    draft: z.boolean().describe('No endpoint yet: never called, cannot become ACTIVE'),
    protocol: z.enum(['MCP', 'A2A']).nullable().describe('Null for kinds other than AGENT'),
    authenticationType: z.enum(authenticationTypes),
    authConfigured: z.boolean(),
    requiresCredentials: z.boolean(),
    isAdapterSource: z
      .boolean()
      .describe('True for a wired provider adapter’s source (executionType PROVIDER_ADAPTER)'),
    reportingType: z.null(),
    reportingPollingCadence: z.null(),
    capabilities: capabilitiesSchema.nullable(),
    health: healthSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'InventorySource' });
export type SourceView = z.infer<typeof sourceSchema>;

/** A product a source answered that AdCP's product schema refuses, so buyers are not shown it. */
export const productIssueSchema = z.object({
  productId: z.string().describe("The source's own product id"),
  field: z
    .string()
    .describe('The first refused field, a JSON pointer inside the product (e.g. /channels/0)'),
  message: z.string().describe('What AdCP requires there'),
  firstSeenAt: z.iso.datetime().describe("Left out of buyers' answers since"),
  lastSeenAt: z.iso.datetime().describe('Last seen refused (written at most once a minute)'),
});
export type ProductIssue = z.infer<typeof productIssueSchema>;
