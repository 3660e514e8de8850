import { z } from 'zod';

const id = z.string().min(1).max(255);
// A customer id (an integer column).
const buyer = z.number().int().positive().max(2_147_483_647);

export const reserveBody = z
  .object({
    productId: id.optional(),
    availId: id.optional(),
    mediaBuyId: id,
    packageId: id.optional(),
    buyerCustomerId: buyer,
    requestedImpressions: z.number().int().positive().max(9_007_199_254_740_991),
    holdMinutes: z
      .number()
      .int()
      .positive()
      .max(60 * 24 * 90)
      .optional(),
  })
  .strict();

export const finalizeBody = z
  .object({
    mediaBuyId: id,
    packageId: id.optional(),
    buyerCustomerId: buyer,
    availId: id,
    campaignName: z.string().max(255).optional(),
    advertiserName: z.string().max(255).optional(),
    advertiserExternalRef: z.string().max(255).optional(),
    creative: z
      .object({
        clientCopyMasterRef: z.string().max(255).optional(),
        duration: z.string().max(50).optional(),
      })
      .optional(),
  })
  .strict();

export const releaseBody = z
  .object({ mediaBuyId: id, packageId: id.optional(), buyerCustomerId: buyer, availId: id })
  .strict();

export const bookingSchema = z
  .object({
    bookingId: z.string(),
    availId: z.string(),
    mediaBuyId: z.string(),
    packageId: z.string(),
    requestedImpressions: z.number().int(),
    status: z.enum(['HELD', 'BOOKED', 'RELEASED', 'CANCELLED']),
    buyerCustomerId: z.number().int(),
    holdExpiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ModularBooking' });
