import { z } from 'zod';
import { calendarDaySchema } from '../../../platform/formats.js';
import { count } from '../schemas.js';

/** Seller reporting: a summary or a time series of what the storefront's buys delivered. */
const booleanish = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');
export const reportingQuery = z.object({
  inventorySourceId: z.string().min(1).max(255).optional(),
  startDate: calendarDaySchema.optional(),
  endDate: calendarDaySchema.optional(),
  days: z.coerce.number().int().min(1).max(90).default(7),
  view: z.enum(['summary', 'timeseries']).default('summary'),
  download: booleanish,
  demo: booleanish,
  sourceBreakdown: booleanish,
});

const metrics = z.object({
  impressions: count,
  spend: z.number(),
  clicks: count,
  views: count,
  completedViews: count,
  conversions: count,
  leads: count,
  videoCompletions: count,
  conversionValue: z.number(),
  ecpm: z.number().nullable(),
  cpc: z.number().nullable(),
  ctr: z.number().nullable(),
  completionRate: z.number().nullable(),
  cpa: z.number().nullable(),
  roas: z.number().nullable(),
});

const summaryReportSchema = z.object({
  advertisers: z.array(
    z.object({
      advertiserId: z.string(),
      advertiserName: z.string(),
      metrics,
      mediaBuys: z.array(
        z.object({
          mediaBuyId: z.string(),
          name: z.string(),
          status: z.string(),
          budget: z.number().nullable(),
          inventorySourceId: z.string().nullable(),
          metrics,
          packages: z.array(
            z.object({
              packageId: z.string(),
              productId: z.string().nullable(),
              productName: z.string().nullable(),
              metrics,
            }),
          ),
        }),
      ),
    }),
  ),
  totals: metrics,
  periodStart: z.string(),
  periodEnd: z.string(),
});

const timeseriesReportSchema = z.object({
  timeseries: z.array(
    z.object({
      date: z.string(),
      advertiserId: z.string(),
      advertiserName: z.string(),
      mediaBuyId: z.string(),
      mediaBuyName: z.string(),
      mediaBuyStatus: z.string(),
      inventorySourceId: z.string(),
      inventorySourceIds: z.array(z.string()),
      packageId: z.string(),
      productId: z.string(),
      productName: z.string(),
      metrics,
    }),
  ),
  totals: metrics,
  periodStart: z.string(),
  periodEnd: z.string(),
});

/** download=true: where the timeseries' CSV is, until when, and how many rows it has. */
const downloadSchema = z.object({
  downloadUrl: z.url(),
  expiresAt: z.string(),
  fileName: z.string(),
  rowCount: count,
});

export const reportingSchema = z.union([
  summaryReportSchema,
  timeseriesReportSchema,
  downloadSchema,
]);
