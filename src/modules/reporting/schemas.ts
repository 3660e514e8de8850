import { z } from 'zod';
import { calendarDaySchema as day, maxIntegerId } from '../../platform/formats.js';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** GET /reporting/metrics (hosted getReportingMetrics; seed 004 filters). */
export const reportingQuery = z.object({
  advertiserId: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a numeric advertiser id')
    .refine((v) => Number(v) <= maxIntegerId, 'must be a numeric advertiser id')
    .optional(),
  campaignId: z.string().min(1).max(64).optional(),
  mediaBuyId: z.string().min(1).max(64).optional(),
  startDate: day.optional(),
  endDate: day.optional(),
  days: z.coerce.number().int().min(0).max(90).default(7),
  view: z.enum(['summary', 'timeseries']).default('summary'),
  displayCurrency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code')
    .transform((c) => c.toUpperCase())
    .optional(),
  download: flag.default(false),
  /** Hosted: generated demo data. Not built: accepted, and only `false` is served. */
  demo: flag.default(false),
});
export type ReportingQuery = z.output<typeof reportingQuery>;

const count = z.number().int().min(0);
const ratio = z.number().nullable();

/** The hosted metrics block; money is null where the figures are in several currencies. */
export const metricsSchema = z.object({
  impressions: count,
  spend: z.number().nullable(),
  clicks: count,
  views: count,
  completedViews: count,
  conversions: count,
  leads: count,
  videoCompletions: count,
  conversionValue: z.number().nullable(),
  ecpm: ratio,
  cpc: ratio,
  ctr: ratio,
  completionRate: ratio,
  cpa: ratio,
  roas: ratio,
});
export type MetricsView = z.infer<typeof metricsSchema>;

/** Ours: the money of a level per currency (never summed across currencies). */
const byCurrency = z.array(
  z.object({ currency: z.string(), spend: z.number(), conversionValue: z.number() }),
);

/** Ours: conversions from the advertiser's own events (docs/reporting.md: attribution rule). */
const eventConversions = z.object({
  count: count,
  values: z.array(z.object({ currency: z.string(), value: z.number() })),
});

const packageSchema = z.object({
  packageId: z.string(),
  productId: z.string().nullable(),
  productName: z.string().nullable(),
  currency: z.string().nullable(),
  metrics: metricsSchema,
  totals: metricsSchema,
  byCurrency,
});

const mediaBuySchema = z.object({
  mediaBuyId: z.string(),
  name: z.string(),
  status: z.string(),
  budget: z.number().nullable(),
  currency: z.string().nullable(),
  metrics: metricsSchema,
  totals: metricsSchema,
  byCurrency,
  deliveryFxConversion: z.null(),
  packages: z.array(packageSchema),
});

const campaignSchema = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  name: z.string(),
  management: z.enum(['tracked', 'managed']),
  currency: z.string().nullable(),
  metrics: metricsSchema,
  totals: metricsSchema,
  byCurrency,
  eventConversions,
  mediaBuys: z.array(mediaBuySchema),
});

const advertiserSchema = z.object({
  advertiserId: z.string(),
  advertiserName: z.string(),
  name: z.string(),
  currency: z.string().nullable(),
  metrics: metricsSchema,
  totals: metricsSchema,
  byCurrency,
  eventConversions,
  campaigns: z.array(campaignSchema),
});

const consolidatedSchema = z.object({
  totals: metricsSchema,
  byAdvertiser: z.array(
    z.object({ advertiserId: z.string(), currency: z.string(), spend: z.number().nullable() }),
  ),
  conversionInfo: z.object({
    displayCurrency: z.string(),
    asOf: z.string(),
    /** 'none': no exchange-rate source is configured; only equal currencies are consolidated. */
    rateSource: z.enum(['none']),
    rateBasis: z.literal('as-of'),
    rates: z.array(z.object({ pair: z.string(), rate: z.number() })),
    unconverted: z.array(z.string()),
    estimate: z.literal(true),
  }),
});

export const summarySchema = z.object({
  advertisers: z.array(advertiserSchema),
  totals: metricsSchema,
  totalsCurrency: z.string().nullable(),
  totalsByCurrency: byCurrency,
  eventConversions,
  consolidated: consolidatedSchema.nullable(),
  periodStart: z.string(),
  periodEnd: z.string(),
});

export const timeseriesRowSchema = z.object({
  date: z.string(),
  advertiserId: z.string(),
  advertiserName: z.string(),
  currency: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  management: z.enum(['tracked', 'managed']),
  mediaBuyId: z.string(),
  mediaBuyName: z.string(),
  mediaBuyStatus: z.string(),
  packageId: z.string(),
  productId: z.string().nullable(),
  productName: z.string().nullable(),
  metrics: metricsSchema,
});
export type TimeseriesRow = z.infer<typeof timeseriesRowSchema>;

export const timeseriesSchema = z.object({
  timeseries: z.array(timeseriesRowSchema),
  totals: metricsSchema,
  totalsCurrency: z.string().nullable(),
  totalsByCurrency: byCurrency,
  /** Ours: the advertiser's own conversion events per day and campaign (null: unattributed). */
  eventConversions: z.array(
    z.object({
      date: z.string(),
      advertiserId: z.string(),
      campaignId: z.string().nullable(),
      count,
      values: z.array(z.object({ currency: z.string(), value: z.number() })),
    }),
  ),
  periodStart: z.string(),
  periodEnd: z.string(),
});

export const exportSchema = z.object({
  downloadUrl: z.url(),
  expiresAt: z.string(),
  fileName: z.string(),
  rowCount: count,
});

export const reportingAnswer = z.union([summarySchema, timeseriesSchema, exportSchema]);
