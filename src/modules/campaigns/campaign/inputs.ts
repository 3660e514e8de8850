import { z } from 'zod';
import { positiveIdSchema } from '../../../platform/formats.js';
import { refusingHostedFields } from '../../../platform/hosted-fields.js';
import { cursorParam } from '../../../platform/http/pagination.js';
import { campaignStatuses, mediaBuyStatuses } from '../status/statuses.js';
import { pacingPeriodsInput } from '../goals/pacing.js';
import { frequencyCapInput } from '../targeting/frequency-caps.js';
import { campaignUtmInput } from '../creatives/utm.js';
import { adcpGoalsInput, performanceConfigInput } from '../goals/optimization-goals.js';
import { audienceConfigInput, audienceConfigUpdate } from '../targeting/audience-config.js';
import {
  advertiserRef,
  applyMode,
  constraints,
  currency,
  dailyCap,
  flightDates,
  idSchema,
  money,
  packageChange,
  pacing,
  queryList,
} from '../schema-fields.js';

/** What a buyer sends to create, change, list, read and execute campaigns. */

/** Hosted campaign fields not served yet, and why (docs/hosted-compatibility.md). */
const campaignFieldsNotServed = {
  catalogId: 'is not served yet: campaigns do not attach catalogs here',
  dataDelivery: 'is not served: there is no data delivery to configure here',
};

export const createCampaignBody = refusingHostedFields(
  z.object({
    advertiserId: advertiserRef,
    name: z.string().trim().min(1).max(255),
    flightDates,
    budget: z.object({
      total: money,
      currency: currency.optional(),
      dailyCap: dailyCap.optional(),
      pacing: pacing.optional(),
    }),
    brief: z.string().max(10_000).optional(),
    constraints: constraints.optional(),
    storefrontIds: z.array(positiveIdSchema).max(100).optional(),
    discoveryId: idSchema.optional(),
    /** Periods of the flight with their weight or budget: one package per product per period. */
    pacingPeriods: pacingPeriodsInput.optional(),
    /** The campaign's own caps, replacing the advertiser's (which apply when none are set). */
    frequencyCaps: z.array(frequencyCapInput).max(20).optional(),
    /** UTM params added to creatives' click-through URLs, over the advertiser's per key. */
    utmConfig: campaignUtmInput.optional(),
    /** Only discovery campaigns are built; performance and directed ones are not (yet). */
    mode: z.literal('discovery').optional(),
    /** Optimization goals, carried to sellers on the packages whose products take them. */
    performanceConfig: performanceConfigInput.optional(),
    /** Absent: the advertiser's. */
    optimizationApplyMode: applyMode.optional(),
    audienceConfig: audienceConfigInput.optional(),
  }),
  {
    ...campaignFieldsNotServed,
    productIds:
      'is not served: select products with POST /api/v2/buyer/discovery/{discoveryId}/products',
  },
);
export type CreateCampaignInput = z.output<typeof createCampaignBody>;

/**
 * One action on a campaign's media buy (hosted updateCampaign `mediaBuys`): `update` (the
 * default) changes its name or packages as PATCH /media-buys/{id} does, `cancel` cancels it or
 * only `packageIds` at the seller, `delete` archives one nothing runs at a seller for.
 */
const mediaBuyAction = z.object({
  action: z.enum(['update', 'cancel', 'delete']).default('update'),
  mediaBuyId: idSchema,
  reason: z.string().max(1000).optional(),
  packageIds: z.array(z.string().min(1).max(255)).max(200).optional(),
  name: z.string().trim().min(1).max(255).optional(),
  packages: z.array(packageChange).max(200).optional(),
  /** AdCP goals for every package of the buy ([] clears them), as updateMediaBuy takes them. */
  optimization_goals: adcpGoalsInput.optional(),
});

export const updateCampaignBody = refusingHostedFields(
  z.object({
    name: z.string().trim().min(1).max(255).optional(),
    flightDates: flightDates.optional(),
    budget: z
      .object({
        total: money.optional(),
        currency: currency.optional(),
        dailyCap: dailyCap.optional(),
        pacing: pacing.optional(),
      })
      .optional(),
    brief: z.string().max(10_000).optional(),
    constraints: constraints.optional(),
    storefrontIds: z.array(positiveIdSchema).max(100).optional(),
    discoveryId: idSchema.optional(),
    /**
     * Only on DRAFT: appended to the campaign's periods (same mode), answering
     * pacingCascadeResult; null removes them.
     */
    pacingPeriods: pacingPeriodsInput.nullable().optional(),
    /** Replaces the campaign's caps ([] clears them: no cap, not the advertiser's); null falls back to the advertiser's. */
    frequencyCaps: z.array(frequencyCapInput).max(20).nullable().optional(),
    /** Adds or updates params; `deleteMissing: true` replaces them. */
    utmConfig: campaignUtmInput.optional(),
    /** Present for symmetry with create: a campaign's mode never changes. */
    mode: z.literal('discovery').optional(),
    /** Hosted's per-buy actions, applied in order after the campaign's own fields. */
    mediaBuys: z.array(mediaBuyAction).max(100).optional(),
    /** Replaces the campaign's goals (null removes them); buys already placed keep theirs. */
    performanceConfig: performanceConfigInput.nullable().optional(),
    /** null: back to the advertiser's. */
    optimizationApplyMode: applyMode.nullable().optional(),
    audienceConfig: audienceConfigUpdate.optional(),
  }),
  {
    ...campaignFieldsNotServed,
    refresh: 'is not served: there are no directed campaigns to refresh here',
  },
);
export type UpdateCampaignInput = z.output<typeof updateCampaignBody>;
export type MediaBuyActionInput = z.output<typeof mediaBuyAction>;

export const listCampaignsQuery = z.object({
  advertiserId: z.string().min(1).max(255).optional(),
  name: z.string().max(255).optional(),
  status: queryList(z.enum([...campaignStatuses, 'ALL'])).optional(),
  /** Who steers the campaign: every campaign here is brief-driven (`discovery`). */
  mode: queryList(z.enum(['discovery', 'performance', 'directed'])).optional(),
  /** Every campaign here is authored through the platform (`managed`); none is mirrored. */
  management: z.enum(['tracked', 'managed', 'all']).default('all'),
  mediaBuyStatus: queryList(z.enum(mediaBuyStatuses)).optional(),
  includeArchived: z.enum(['true', 'false']).default('false'),
  /** Hosted enrichment (`geo_metro_names`); there are no geo labels to add, so accepted only. */
  fields: queryList(z.string().max(64)).optional(),
  take: z.coerce.number().int().min(1).max(250).default(50),
  skip: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  /** Opaque paging from a previous answer's `nextCursor`; wins over `skip`. */
  cursor: cursorParam.optional(),
});
export type ListCampaignsQuery = z.output<typeof listCampaignsQuery>;

/**
 * Hosted getCampaign's query. `mediaBuyId` narrows the embedded media buys (the campaign itself
 * is unchanged). The rest are accepted and change nothing here: every read is from the
 * database (`fresh`), campaigns carry no property lists, embedded buys carry no product
 * format options, and there are no geo labels (`fields`).
 */
export const getCampaignQuery = z.object({
  mediaBuyId: queryList(idSchema).optional(),
  fresh: z.enum(['true', 'false']).optional(),
  includePropertyLists: z.enum(['true', 'false']).optional(),
  includeProductDetails: z.enum(['true', 'false']).optional(),
  fields: queryList(z.string().max(64)).optional(),
});
export type GetCampaignQuery = z.output<typeof getCampaignQuery>;

export const executeBody = z.object({ debug: z.boolean().optional() }).optional();
