import type { MediaChannel } from '@adcp/sdk/types';
import { z } from 'zod';
import { domainSchema, positiveIdSchema } from '../../platform/formats.js';
import { compositionPricingBody, compositionPricingSchema } from '../rate-cards/index.js';
import { overdeliveryBillingSchema } from './billing.js';

/** AdCP media channels (MediaChannel in the AdCP schema). */
export const mediaChannels = [
  'display',
  'olv',
  'social',
  'search',
  'ctv',
  'linear_tv',
  'radio',
  'streaming_audio',
  'podcast',
  'dooh',
  'ooh',
  'print',
  'cinema',
  'email',
  'gaming',
  'retail_media',
  'influencer',
  'affiliate',
  'product_placement',
  'sponsored_intelligence',
] as const satisfies readonly MediaChannel[];
// Fails to compile when AdCP adds a channel this list lacks.
const everyChannelListed: Exclude<MediaChannel, (typeof mediaChannels)[number]> extends never
  ? true
  : never = true;
void everyChannelListed;

export const lifecycleStatuses = [
  'UNCLAIMED',
  'VERIFICATION',
  'CONFIGURING',
  'TESTING',
  'TRANSACTING',
] as const;
export type LifecycleStatus = (typeof lifecycleStatuses)[number];

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #RRGGBB colour');
export const brandColorsSchema = z
  .object({
    primary: hexColor.optional(),
    secondary: hexColor.optional(),
    accent: hexColor.optional(),
    background: hexColor.optional(),
    text: hexColor.optional(),
  })
  .strict();
export type BrandColors = z.infer<typeof brandColorsSchema>;

/** Seed 003 businessProfile: omitted publisherDomains means unknown, never "all domains". */
export const businessProfileSchema = z
  .object({
    agentName: z
      .string()
      .trim()
      .max(80)
      .optional()
      .describe('Deprecated; prefer the storefront name'),
    agentPersonality: z.string().trim().max(1000).optional(),
    publisherDomains: z
      .array(domainSchema)
      .max(128, 'at most 128 publisher domains')
      .transform((domains) => [...new Set(domains)])
      .optional(),
  })
  .strict();
export type BusinessProfile = z.infer<typeof businessProfileSchema>;

/** The stored businessProfile as answered (already normalized; no transforms on output). */
const businessProfileViewSchema = z.object({
  agentName: z.string().optional(),
  agentPersonality: z.string().optional(),
  publisherDomains: z.array(z.string()).optional(),
});

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as USD');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR');
export const logoBackgrounds = ['dark-bg', 'light-bg', 'transparent-bg'] as const;
/** Hosted: the Business Rules sections a seller may disclose as Advertising Policies. */
export const advertisingPolicySections = ['brief_acceptance', 'creative_policy'] as const;
const language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or en-US');
export const platformIdSchema = z
  .string()
  .min(2)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, 'must be lowercase letters, digits and hyphens');

const editable = {
  name: z.string().trim().min(1).max(255),
  platformId: platformIdSchema,
  description: z.string().trim().max(5000).nullable(),
  publisherDomain: domainSchema.nullable(),
  operatorDomain: domainSchema.nullable(),
  brandName: z.string().trim().max(255).nullable(),
  logoUrl: httpUrl.nullable(),
  brandColors: brandColorsSchema.nullable(),
  website: httpUrl.nullable(),
  channels: z
    .array(z.enum(mediaChannels))
    .max(20)
    .transform((v) => [...new Set(v)]),
  regions: z
    .array(z.string().trim().min(2).max(64))
    .max(250)
    .transform((v) => [...new Set(v)]),
  defaultCurrency: currency.nullable(),
  supportedLanguages: z
    .array(language)
    .min(1)
    .max(50)
    .transform((v) => [...new Set(v)]),
  storefrontType: z.enum(['composition', 'passthrough']),
  creativeApproval: z.enum(['auto', 'manual']),
  mediaBuyApproval: z.enum(['auto', 'manual']),
  businessProfile: businessProfileSchema.nullable(),
  acceptedCountries: z
    .array(country)
    .max(250)
    .transform((v) => [...new Set(v)])
    .nullable()
    .describe('Countries briefs may come from (ISO 3166-1 alpha-2); null: not confirmed'),
  acceptsAllCountries: z
    .boolean()
    .describe('true: briefs from every country (acceptedCountries is cleared)'),
  advertisingPolicyDisclosure: z
    .array(z.enum(advertisingPolicySections))
    .transform((v) => [...new Set(v)])
    .describe(
      'Business Rules sections to disclose as Advertising Policies (stored; nothing is ' +
        'disclosed yet: operating instructions have no such sections)',
    ),
  demandContactName: z.string().trim().min(1).max(255).nullable(),
  demandContactEmail: z.email().max(320).nullable(),
  paymentCurrencies: z
    .array(currency)
    .max(20)
    .transform((v) => [...new Set(v)])
    .describe('Currencies the storefront is paid in; empty falls back to defaultCurrency'),
  logoBackground: z.enum(logoBackgrounds).nullable(),
  overdeliveryBilling: overdeliveryBillingSchema,
  deliveryTolerancePercent: z
    .number()
    .min(0)
    .max(100)
    .multipleOf(0.01)
    .describe(
      'How far reported delivery may pass what a buy booked (impressions and budget), in ' +
        'percent, before the seller must confirm the overdelivery (default 10)',
    ),
  maxProducts: z
    .number()
    .int('must be a whole number')
    .min(1)
    .max(100)
    .nullable()
    .describe(
      'Answer size (Interchange addition): how many products one get_products answer shows ' +
        'when the buyer does not set pagination.max_results, best match for the brief first; ' +
        'the rest follow through the cursor. Wins over any posture. null: the posture decides ' +
        '(none: every product)',
    ),
};

/** Hosted request fields that are controls rather than stored profile (see service.update). */
const controls = {
  isPaused: z
    .boolean()
    .describe(
      'Seller intake hold: true stops discovery (get_products answers no products) and new ' +
        'buys and buy changes through the storefront agent; existing delivery is untouched',
    ),
  transacting: z
    .boolean()
    .describe('Hosted compatibility alias for the inverse of isPaused (it does not go live)'),
  capabilities: z
    .object({
      offersCreativeReview: z.boolean().describe('true: creativeApproval manual; false: auto'),
      offersCampaignApproval: z.boolean().describe('true: mediaBuyApproval manual; false: auto'),
      offersProductComposition: z
        .boolean()
        .describe('Deprecated hosted input without effect: composition follows the sources'),
    })
    .partial()
    .strict(),
  acknowledgeNoHumanReview: z
    .boolean()
    .describe('Required (true) to turn a review capability off, which approves without review'),
  compositionPricing: compositionPricingBody,
};

export const patchCapabilitiesBody = z
  .object({
    capabilities: controls.capabilities,
    acknowledgeNoHumanReview: controls.acknowledgeNoHumanReview,
  })
  .partial()
  .strict();

export const updateStorefrontBody = z
  .object({ ...editable, ...controls })
  .partial()
  .strict();
export const createStorefrontBody = z
  .object({ ...editable, name: editable.name })
  .partial()
  .required({ name: true })
  .strict();
export type StorefrontUpdate = z.infer<typeof updateStorefrontBody>;
export type StorefrontProfileUpdate = z.infer<typeof createStorefrontBody>;

export const marketplaceSchema = z.object({
  reviewStatus: z.enum(['pending_review', 'listed']),
  hidden: z.boolean(),
  /** Listed and not hidden: what public buyer discovery shows. */
  publiclyVisible: z.boolean(),
  listedAt: z.iso.datetime().nullable(),
  hiddenAt: z.iso.datetime().nullable(),
});

export const displayStatuses = ['configuring', 'transacting', 'archived', 'paused'] as const;

export const storefrontCapabilitiesSchema = z
  .object({
    offersCreativeReview: z
      .boolean()
      .describe('creativeApproval is manual: sync_creatives answers pending review'),
    offersCampaignApproval: z
      .boolean()
      .describe('mediaBuyApproval is manual: create_media_buy answers submitted until decided'),
    offersProductComposition: z
      .boolean()
      .describe('A composition storefront with an ACTIVE source that answers get_products'),
  })
  .meta({ id: 'StorefrontCapabilities' });

const provenance = z.enum(['operator', 'registry', 'upstream_capabilities', 'unknown']);
const coverageState = z.enum(['declared', 'partial', 'unknown']);
export const discoveryCardSchema = z
  .object({
    storefrontId: z.string(),
    platformId: z.string(),
    storefrontKind: z.enum(['managed', 'external_pass_through']),
    displayName: z.string(),
    logoUrl: z.string().nullable(),
    logoBackground: z.enum(logoBackgrounds).nullable(),
    description: z.string().nullable(),
    website: z.string().nullable(),
    brandColors: z.record(z.string(), z.string()).nullable(),
    channels: z.array(z.string()),
    countries: z.array(z.string()),
    acceptsAllCountries: z.boolean(),
    coverageDeclarations: z.array(
      z.object({
        channels: z.array(z.string()),
        countries: z.array(z.string()),
        acceptsAllCountries: z.boolean(),
      }),
    ),
    advertisingPolicies: z.string().nullable(),
    coverage: z.object({ channels: coverageState, countries: coverageState }),
    provenance: z.object({
      identity: z.object({
        displayName: provenance,
        logoUrl: provenance,
        description: provenance,
        website: provenance,
        brandColors: provenance,
      }),
      coverage: z.object({ channels: provenance, countries: provenance }),
      advertisingPolicies: provenance,
    }),
  })
  .meta({ id: 'DiscoveryCard' });
export type DiscoveryCard = z.infer<typeof discoveryCardSchema>;

export const storefrontSchema = z
  .object({
    id: z.number().int(),
    storefrontId: z.string().describe('Hosted API: the same id as a string'),
    platformId: z.string(),
    agentId: z.string().describe('The Merchandising Agent id: storefront-{platformId}'),
    name: z.string(),
    description: z.string().nullable(),
    publisherDomain: z.string().nullable(),
    operatorDomain: z.string().nullable(),
    brandName: z.string().nullable(),
    logoUrl: z.string().nullable(),
    brandColors: brandColorsSchema.nullable(),
    website: z.string().nullable(),
    channels: z.array(z.string()),
    regions: z.array(z.string()),
    defaultCurrency: z.string().nullable(),
    supportedLanguages: z.array(z.string()),
    storefrontType: z.enum(['composition', 'passthrough']),
    creativeApproval: z.enum(['auto', 'manual']),
    mediaBuyApproval: z.enum(['auto', 'manual']),
    deliveryTolerancePercent: z
      .number()
      .describe('Reported delivery past the booking by more than this needs confirming (percent)'),
    overdeliveryBilling: overdeliveryBillingSchema,
    maxProducts: z
      .number()
      .int()
      .nullable()
      .describe('Answer size of get_products (PUT maxProducts); null: the posture decides'),
    businessProfile: businessProfileViewSchema.nullable(),
    acceptedCountries: z.array(z.string()).nullable(),
    acceptsAllCountries: z.boolean(),
    advertisingPolicyDisclosure: z.array(z.enum(advertisingPolicySections)),
    demandContactName: z.string().nullable(),
    demandContactEmail: z.string().nullable(),
    paymentCurrencies: z.array(z.string()),
    logoBackground: z.enum(logoBackgrounds).nullable(),
    status: z.enum(lifecycleStatuses),
    displayStatus: z.enum(displayStatuses),
    isPaused: z.boolean().describe('Seller intake hold (PUT isPaused)'),
    pausedAt: z.iso.datetime().nullable(),
    transacting: z.boolean().describe('Live (activated), not paused and not archived'),
    operatorDomainVerified: z
      .boolean()
      .describe('Always false: this deployment does not verify operator domains'),
    advertisedChannels: z
      .array(z.string())
      .describe("Union of the ACTIVE sources' declared primary channels (AdCP portfolio)"),
    advertisedCountries: z
      .array(z.string())
      .describe("Union of the ACTIVE sources' declared primary countries (AdCP portfolio)"),
    capabilities: storefrontCapabilitiesSchema,
    compositionPricing: compositionPricingSchema
      .optional()
      .describe("The seller's rate card (pricing facts); on the seller's own storefront answers"),
    discoveryCard: discoveryCardSchema,
    marketplace: marketplaceSchema,
    customerId: z.number().int(),
    activatedAt: z.iso.datetime().nullable(),
    archivedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Storefront' });
export type StorefrontView = z.infer<typeof storefrontSchema>;

export const marketplaceActionBody = z.object({ action: z.enum(['list', 'hide', 'unhide']) });
export const storefrontIdParams = z.object({ id: positiveIdSchema });
export const adminStorefrontQuery = z.object({
  review: z.enum(['pending_review', 'listed', 'hidden']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
