import type { MediaChannel } from '@adcp/sdk/types';
import { z } from 'zod';
import { domainSchema, positiveIdSchema } from '../../platform/formats.js';

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
};

export const updateStorefrontBody = z.object(editable).partial().strict();
export const createStorefrontBody = z
  .object({ ...editable, name: editable.name })
  .partial()
  .required({ name: true })
  .strict();
export type StorefrontUpdate = z.infer<typeof updateStorefrontBody>;

export const marketplaceSchema = z.object({
  reviewStatus: z.enum(['pending_review', 'listed']),
  hidden: z.boolean(),
  /** Listed and not hidden: what public buyer discovery shows. */
  publiclyVisible: z.boolean(),
  listedAt: z.iso.datetime().nullable(),
  hiddenAt: z.iso.datetime().nullable(),
});

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
    businessProfile: businessProfileViewSchema.nullable(),
    status: z.enum(lifecycleStatuses),
    displayStatus: z.enum(['configuring', 'transacting', 'archived']),
    transacting: z.boolean(),
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
