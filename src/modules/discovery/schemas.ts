import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';
import { refusingHostedFields } from '../../platform/hosted-fields.js';

/** Hosted pricing models (AdCP's), and the channels the hosted discover body accepts. */
export const pricingModels = [
  'cpm',
  'vcpm',
  'cpc',
  'cpcv',
  'cpv',
  'cpp',
  'cpa',
  'flat_rate',
  'time',
] as const;

const discoveryIdSchema = z.string().min(1).max(64);
const productIdSchema = z.string().min(1).max(255);
const agentIdSchema = z.string().min(1).max(255);
const money = z.number().min(0).max(1e12);
const queryList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
    z.array(item).max(100),
  );

/** Seed 004 advertiser ids are numeric strings; the hosted body sends an integer. */
const advertiserRef = z.union([positiveIdSchema, z.string().regex(/^\d{1,10}$/)]).transform(String);

const flightDates = z
  .object({
    startDate: z.iso.datetime({ offset: true }),
    endDate: z.iso.datetime({ offset: true }),
  })
  .refine((f) => Date.parse(f.endDate) > Date.parse(f.startDate), {
    message: 'endDate must be after startDate',
    path: ['endDate'],
  });

const paging = {
  groupLimit: z.coerce.number().int().min(1).max(10).default(10),
  groupOffset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  productsPerGroup: z.coerce.number().int().min(1).max(15).default(10),
  productOffset: z.coerce.number().int().min(0).max(1000).default(0),
};

const filters = {
  publisherDomain: z.string().min(1).max(253).optional(),
  pricingModel: z.enum(pricingModels).optional(),
};

/** Hosted refine entries (AdCP get_products `refine`, with hosted's `id` for the item's id). */
const refineItem = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('request'), ask: z.string().min(1).max(2000) }),
  z.object({
    scope: z.literal('product'),
    id: z.string().min(1).max(255),
    action: z.enum(['include', 'omit', 'more_like_this']),
    ask: z.string().max(2000).optional(),
  }),
  z.object({
    scope: z.literal('proposal'),
    id: z.string().min(1).max(255),
    action: z.enum(['include', 'omit', 'finalize']),
    ask: z.string().max(2000).optional(),
  }),
]);
export type RefineItem = z.output<typeof refineItem>;

export const discoverBody = refusingHostedFields(
  z.object({
    advertiserId: advertiserRef,
    discoveryId: discoveryIdSchema.optional(),
    campaignId: z.string().min(1).max(64).optional(),
    brief: z.string().max(10_000).optional(),
    channels: z.array(z.string().min(1).max(40)).max(30).optional(),
    countries: z
      .array(z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'))
      .max(250)
      .optional(),
    budget: money.optional(),
    flightDates: flightDates.optional(),
    storefrontIds: z.array(positiveIdSchema).max(100).optional(),
    storefrontNames: z.array(z.string().min(1).max(200)).max(100).optional(),
    /** Ours: limit the agents asked to these `storefront-{platformId}` ids. */
    salesAgentIds: z.array(agentIdSchema).max(100).optional(),
    /** Caps the total wait below the configured budget (hosted: seconds, 1–210). */
    waitSeconds: z.number().int().min(1).max(210).optional(),
    waitMode: z.enum(['quick', 'long']).optional(),
    debug: z.boolean().optional(),
    proposalCode: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        'A proposal code a seller issued to this buyer: only its storefront is asked, and it answers the products and proposal the seller saved',
      ),
    /** Asks the session's agents again in AdCP buying_mode refine (needs discoveryId). */
    refine: z.array(refineItem).min(1).max(100).optional(),
    /** Accepted: every answer here is complete (it waits for each agent within its budget). */
    progressive: z.boolean().optional(),
    ...filters,
    ...paging,
  }),
  {
    screening: 'is not served: there is no proposal evaluation engine here',
    evaluation: 'is not served: there is no proposal evaluation engine here',
  },
);
export type DiscoverInput = z.output<typeof discoverBody>;

export const browseQuery = z.object({
  ...filters,
  ...paging,
  storefrontIds: queryList(positiveIdSchema).optional(),
  storefrontNames: queryList(z.string().min(1).max(200)).optional(),
  salesAgentIds: queryList(agentIdSchema).optional(),
});
export type BrowseQuery = z.output<typeof browseQuery>;

export const discoveryParams = z.object({ discoveryId: discoveryIdSchema });
export const productParams = z.object({
  discoveryId: discoveryIdSchema,
  productId: productIdSchema,
});
export const detailsQuery = z.object({ salesAgentId: agentIdSchema });

const targetingOverlay = z.record(z.string(), z.unknown());

export const addProductsBody = z.object({
  products: z
    .array(
      z.object({
        productId: productIdSchema,
        salesAgentId: agentIdSchema.optional(),
        storefrontId: z.union([positiveIdSchema, z.string().max(20)]).optional(),
        groupId: z.string().max(255).optional(),
        groupName: z.string().max(255).optional(),
        pricingOptionId: z.string().min(1).max(255).optional(),
        bidPrice: money.optional(),
        budget: money.optional(),
        targetingOverlay: targetingOverlay.optional(),
      }),
    )
    .min(1)
    .max(200),
  replace: z.boolean().optional(),
  campaignId: z.string().min(1).max(64).optional(),
});
export type AddProductsInput = z.output<typeof addProductsBody>;

export const removeProductsBody = z.object({
  productIds: z.array(productIdSchema).min(1).max(200),
});

export const applyProposalBody = z.object({
  proposalId: z.string().min(1).max(255),
  totalBudget: money.optional(),
  replace: z.boolean().optional(),
});

/** The agent's storefront; null for a remote agent the buyer registered (no storefront). */
export const storefrontIdOut = z.string().nullable();

const storefrontRef = z.object({ storefrontId: z.string(), storefrontName: z.string() });

export const productSchema = z.object({
  productId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  channel: z.string().optional(),
  channels: z.array(z.string()),
  formatTypes: z.array(z.string()),
  cpm: z.number().optional(),
  currency: z.string().optional(),
  expiresAt: z.string().optional(),
  salesAgentId: z.string(),
  salesAgentName: z.string(),
  storefrontId: storefrontIdOut,
  storefrontName: z.string(),
  deliveryType: z.enum(['guaranteed', 'non_guaranteed']).optional(),
  briefRelevance: z.string().optional(),
  pricingOptions: z.array(z.record(z.string(), z.unknown())),
  publisherProperties: z.array(z.object({ publisherDomain: z.string() })),
});

const agentResult = z.object({
  agentId: z.string(),
  agentName: z.string(),
  responseTimeMs: z.number().int().min(0),
  timedOut: z.boolean(),
  storefronts: z.array(storefrontRef),
  success: z.boolean(),
  productCount: z.number().int().min(0),
  error: z.string().optional(),
});

const budgetContext = z.object({
  sessionBudget: z.number(),
  allocatedBudget: z.number(),
  remainingBudget: z.number(),
  budgetWarning: z.string().optional(),
});

export const discoveryPageSchema = z.object({
  discoveryId: z.string(),
  productGroups: z.array(
    z.object({
      groupId: z.string(),
      groupName: z.string(),
      storefrontId: storefrontIdOut,
      storefrontName: z.string(),
      products: z.array(productSchema),
      productCount: z.number().int().min(0),
      totalProducts: z.number().int().min(0),
      hasMoreProducts: z.boolean(),
    }),
  ),
  totalGroups: z.number().int().min(0),
  hasMoreGroups: z.boolean(),
  summary: z.object({
    totalProducts: z.number().int().min(0),
    publishersCount: z.number().int().min(0),
    priceRange: z
      .object({
        min: z.number(),
        max: z.number(),
        avg: z.number(),
        currency: z.string().optional(),
      })
      .optional(),
  }),
  budgetContext: budgetContext.optional(),
  proposals: z.array(
    z.object({
      proposalId: z.string(),
      name: z.string(),
      description: z.string().optional(),
      salesAgentId: z.string(),
      salesAgentName: z.string(),
      storefrontId: storefrontIdOut,
      storefrontName: z.string(),
      allocations: z.array(
        z.object({
          productId: z.string(),
          allocationPercentage: z.number(),
          pricingOptionId: z.string().optional(),
        }),
      ),
    }),
  ),
  incompleteAgents: z.array(
    z.object({
      agentId: z.string(),
      agentName: z.string(),
      storefronts: z.array(storefrontRef),
      reason: z.literal('timeout'),
      responseTimeMs: z.number().int().min(0),
      waitSeconds: z.number().int().min(1),
    }),
  ),
  agentResults: z.array(agentResult),
  /** Always empty: a discovery answers once every agent answered or ran out of time. */
  pendingAgents: z.array(z.object({ agentId: z.string(), agentName: z.string() })),
  progress: z.object({
    respondedStorefrontCount: z.number().int().min(0),
    totalStorefrontCount: z.number().int().min(0),
    waitSeconds: z.number().int().min(1),
  }),
  /** An agent ran out of time: asking again (with discoveryId) may hear from it. */
  retryWithLongerWaitAvailable: z.boolean(),
  revision: z.number().int().min(0),
  resultsComplete: z.boolean(),
  /** Hosted: the next step in words (here, the fix for what is blocking discovery). */
  guidance: z.string().optional(),
  /** Ours: what stands between the buyer and the products it should see, with the fix. */
  warnings: z
    .array(z.object({ code: z.string(), message: z.string(), fix: z.string() }))
    .optional(),
  /**
   * Hosted ConnectionIssue, widened: every storefront, buyer's agent or inventory source that
   * gave no answer (providerType storefront, sales_agent or inventory_source), why (`reason`,
   * the source's `code`), and the fix where known (`suggestion`); `customer_domain_missing`
   * when the buyer has no domain. Empty when everything answered.
   */
  connectionIssues: z.array(
    z.object({
      providerType: z.string(),
      storefrontId: z.string().optional(),
      storefrontName: z.string().optional(),
      salesAgentId: z.string().optional(),
      sourceId: z.string().optional(),
      sourceName: z.string().optional(),
      reason: z.string(),
      code: z.string().optional(),
      message: z.string(),
      suggestion: z.string().optional(),
    }),
  ),
  /** Hosted: each refine ask's outcome, by position in the request's refine array. */
  refinementApplied: z
    .array(
      z.object({
        scope: z.enum(['request', 'product', 'proposal']).optional(),
        id: z.string().optional(),
        status: z.enum(['applied', 'partial', 'unable']),
        notes: z.string().optional(),
      }),
    )
    .optional(),
});

export const selectionSchema = z.object({
  productId: z.string(),
  storefrontId: storefrontIdOut,
  selectionId: z.string(),
  salesAgentId: z.string(),
  pricingOptionId: z.string(),
  bidPrice: z.number().optional(),
  budget: z.number().optional(),
  targetingOverlay: z.record(z.string(), z.unknown()).optional(),
  selectedAt: z.string(),
  groupId: z.string(),
  groupName: z.string(),
});

export const selectionsSchema = z.object({
  discoveryId: z.string(),
  products: z.array(selectionSchema),
  totalProducts: z.number().int().min(0),
  budgetContext: budgetContext.optional(),
  campaignBound: z.boolean(),
  /** Hosted: said only when campaignBound is false, with what to do. */
  campaignWarning: z.string().optional(),
});

export const applyProposalSchema = selectionsSchema.extend({
  proposal: z.object({ proposalId: z.string(), name: z.string(), salesAgentName: z.string() }),
  totalBudgetUsed: z.number(),
  productsApplied: z.number().int().min(0),
  productsSkipped: z.array(z.string()),
});

export const productDetailsSchema = z.object({
  productId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  channel: z.string().optional(),
  deliveryType: z.enum(['guaranteed', 'non_guaranteed']).optional(),
  salesAgentId: z.string(),
  salesAgentName: z.string(),
  storefrontId: storefrontIdOut,
  storefrontName: z.string(),
  cpm: z.number().optional(),
  currency: z.string().optional(),
  pricingOptions: z.array(z.record(z.string(), z.unknown())),
  formatTypes: z.array(z.string()),
  publisherProperties: z.array(z.object({ publisherDomain: z.string() })),
});
