import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';

/** The fields and path parameters the campaign and media-buy schemas share. */

export const idSchema = z.string().min(1).max(64);
export const money = z.number().min(0).max(1e12);
export const instant = z.iso.datetime({ offset: true });
/** Seed 004 advertiser ids are numeric strings; the hosted body sends an integer. */
export const advertiserRef = z
  .union([positiveIdSchema, z.string().regex(/^\d{1,10}$/)])
  .transform(String);
export const queryList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item));

export const flightDates = z
  .object({ startDate: instant, endDate: instant })
  .refine((f) => Date.parse(f.endDate) > Date.parse(f.startDate), {
    message: 'endDate must be after startDate',
    path: ['endDate'],
  });
export const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code')
  .transform((c) => c.toUpperCase());
export const pacing = z.enum(['EVEN', 'ASAP', 'FRONTLOADED']);
/** Hosted: above 0. Most a campaign may spend in a UTC day. */
export const dailyCap = z.number().gt(0, 'must be above 0').max(1e12);
export const constraints = z.record(z.string(), z.unknown());

export const campaignParams = z.object({ campaignId: idSchema });
export const mediaBuyParams = z.object({ mediaBuyId: idSchema });
export const advertiserMediaBuyParams = z.object({
  advertiserId: z.string().min(1).max(255),
  mediaBuyId: idSchema,
});
export const advertiserParams = z.object({ advertiserId: z.string().min(1).max(255) });

/** Whether optimization suggestions apply themselves (AUTO) or wait for the buyer (MANUAL). */
export const applyMode = z.enum(['AUTO', 'MANUAL']);

export const packageChange = z.object({
  packageId: z.string().min(1).max(255),
  budget: money.optional(),
  bidPrice: money.optional(),
});
