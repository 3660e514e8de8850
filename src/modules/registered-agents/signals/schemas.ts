import { z } from 'zod';
import { agentEndpointUrl as endpointUrl } from '../../../upstream/agent-registration-schemas.js';
import {
  agentListQuery,
  agentSchema,
  createAgentBody,
  type AgentView,
} from '../registry/agent-schemas.js';

export const createSignalAgentBody = createAgentBody();

export const signalAgentParams = z.object({
  agentId: z
    .string()
    .regex(/^(signals-)?[1-9][0-9]{0,15}$/, 'must be a signals agent id, e.g. signals-12'),
});

export const signalAgentListQuery = agentListQuery();

export const signalAgentSchema = agentSchema({
  type: 'SIGNAL',
  agentIdDescription: 'signals-{id}: the agentId discovery and activations name',
  relationshipDescription: 'Registered by you',
  id: 'BuyerSignalAgent',
});
export type SignalAgentView = AgentView<'SIGNAL'>;

/** Hosted DiscoverSignalsInput, plus the buyer's advertiser (its brand names the account). */
export const discoverSignalsBody = z
  .object({
    /** One agent only (`signals-{id}` or `source-{id}`); omitted: every agent you may use. */
    agentId: z.string().max(255).optional(),
    signalSpec: z.string().max(5000).optional(),
    /** `{data_provider_domain}:{id}` for catalog signals, else the agent's segment id. */
    signalIds: z.array(z.string().min(1).max(255)).max(100).optional(),
    /** The advertiser whose brand the agents price and scope signals for. */
    advertiserId: z.coerce
      .string()
      .regex(/^[1-9][0-9]{0,18}$/)
      .optional(),
    /** ISO 3166-1 alpha-2 countries the signals will be used in. */
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'))
      .min(1)
      .max(250)
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type DiscoverSignalsInput = z.infer<typeof discoverSignalsBody>;

/** GET /signals: the same ask as query parameters (one country list, comma separated). */
export const listSignalsQuery = z
  .object({
    agentId: z.string().max(255).optional(),
    signalSpec: z.string().max(5000).optional(),
    advertiserId: z
      .string()
      .regex(/^[1-9][0-9]{0,18}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const agentResultSchema = z.object({
  agentId: z.string(),
  agentName: z.string(),
  success: z.boolean(),
  signalCount: z.number().int(),
  error: z.string().optional(),
  /** Additive: who registered the agent (YOU, or the storefront that offers it). */
  registeredBy: z.object({
    kind: z.enum(['BUYER', 'STOREFRONT']),
    storefrontId: z.number().int().nullable(),
  }),
  /** Additive: the AdCP error code of a failure (timeout, unreachable, tool_error …). */
  errorCode: z.string().optional(),
});

const signalSchema = z
  .object({
    signalId: z.string(),
    name: z.string(),
    description: z.string(),
    dataProvider: z.string(),
    coveragePercentage: z.number().nullable(),
    /** Additive: the agent that offers it (activate through this agent). */
    agentId: z.string(),
    agentName: z.string(),
    signalAgentSegmentId: z.string(),
    /** The AdCP signal_id (catalog or agent provenance), as the agent sent it. */
    adcpSignalId: z.record(z.string(), z.unknown()).nullable(),
    signalType: z.string().nullable(),
    valueType: z.string().nullable(),
    pricingOptions: z.array(z.record(z.string(), z.unknown())),
    deployments: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'DiscoveredSignal' });
export type DiscoveredSignal = z.infer<typeof signalSchema>;
export type AgentResult = z.infer<typeof agentResultSchema>;

export const discoverSignalsAnswer = z.object({
  agentResults: z.array(agentResultSchema),
  signals: z.array(signalSchema),
  total: z.number().int(),
});

const destinationInput = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('platform'),
      platform: z.string().min(1).max(255),
      account: z.string().max(255).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('agent'),
      agentUrl: endpointUrl,
      account: z.string().max(255).optional(),
    })
    .strict(),
]);

export const activateSignalBody = z
  .object({
    campaignId: z.string().min(1).max(64),
    /** The agent that offered the signal (`agentId` of a discovered signal). */
    agentId: z.string().min(1).max(255),
    signalAgentSegmentId: z.string().min(1).max(255),
    pricingOptionId: z.string().min(1).max(255).optional(),
    /**
     * Further destinations besides the campaign's sellers (each seller it books with is one
     * `agent` destination): DSP platforms (`{type: "platform", platform}`) or agents.
     */
    destinations: z.array(destinationInput).max(20).optional(),
    /** false: only `destinations`, not the campaign's sellers. */
    includeCampaignSellers: z.boolean().default(true),
  })
  .strict();
export type ActivateSignalInput = z.infer<typeof activateSignalBody>;

export const activationParams = z.object({ activationId: z.string().regex(/^sa_[0-9a-f]{24}$/) });
export const activationListQuery = z
  .object({ campaignId: z.string().min(1).max(64).optional() })
  .strict();

export const activationSchema = z
  .object({
    activationId: z.string(),
    campaignId: z.string(),
    agentId: z.string(),
    signalAgentSegmentId: z.string(),
    pricingOptionId: z.string().nullable(),
    status: z.enum(['PENDING', 'ACTIVATING', 'DEPLOYED', 'FAILED']),
    destinations: z.array(z.record(z.string(), z.unknown())),
    deployments: z.array(z.record(z.string(), z.unknown())),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'SignalActivation' });
export type ActivationView = z.infer<typeof activationSchema>;
