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

/** The ledger as its operator reads it (an Interchange addition: hosted has no such read). */
export const ledgerQuery = z.object({
  take: z.coerce.number().int().min(1).max(200).default(50).describe('Avails per page (max 200).'),
  skip: z.coerce.number().int().min(0).default(0).describe('Avails to skip (ordered by start).'),
});

const impressions = z.number().int();
const figures = {
  capacity: impressions.describe('Impressions the avail offers over its window.'),
  upstreamBooked: impressions.describe('Sold outside Interchange, as the feed says.'),
  held: impressions.describe('Held for buys awaiting confirmation (expiring).'),
  booked: impressions.describe('Booked by confirmed buys.'),
  available: impressions.describe('capacity − upstreamBooked − held − booked, never below 0.'),
};

const ledgerBooking = z.object({
  bookingId: z.string(),
  availId: z.string(),
  status: z.enum(['HELD', 'BOOKED', 'RELEASED', 'CANCELLED']),
  mediaBuyId: z.string().describe('The media buy that holds or booked it (this source’s id).'),
  packageId: z.string(),
  buyer: z.object({ customerId: z.number().int(), name: z.string().nullable() }),
  poNumber: z.string().nullable().describe('The buy’s PO, for buys placed through the storefront.'),
  brandDomain: z.string().nullable(),
  requestedImpressions: impressions,
  cpm: z
    .number()
    .nullable()
    .describe('The CPM its package was booked at: the price the buyer was shown (a deal: none).'),
  currency: z.string().nullable(),
  holdExpiresAt: z.string().nullable().describe('When a hold is released unless confirmed.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ledgerSchema = z.object({
  sourceId: z.string(),
  ledgerEnabled: z.boolean().describe('Whether the source was created with a booking ledger.'),
  avails: z.array(
    z.object({
      availId: z.string(),
      name: z.string(),
      collectionName: z.string(),
      channel: z.string().nullable(),
      startTime: z.string(),
      endTime: z.string(),
      active: z.boolean().describe('On sale; an avail off sale is listed while it holds or books.'),
      sandboxBuyerCustomerId: z
        .number()
        .int()
        .nullable()
        .describe(
          'A sandbox avail: a product this sandbox buyer seeded through the storefront’s test controller, sold to its sandbox accounts only and never delivered; null for your own avails.',
        ),
      cpm: z.number().nullable(),
      currency: z.string().nullable(),
      ...figures,
      weeks: z
        .array(
          z.object({ weekStart: z.string().describe('Monday, UTC (YYYY-MM-DD).'), ...figures }),
        )
        .describe(
          'The figures spread over the weeks of the window in proportion to its time in each; they add up to the avail’s.',
        ),
    }),
  ),
  availsTotal: z.number().int(),
  holds: z.array(ledgerBooking).describe('Every current hold, the soonest to expire first.'),
  bookings: z.array(ledgerBooking).describe('Confirmed bookings, newest first (at most 200).'),
  bookingsTotal: z.number().int(),
});

export const ledgerExportQuery = z.object({
  table: z
    .enum(['avails', 'bookings', 'work-items'])
    .describe('avails: a row per avail and week; bookings: every booking; work-items: every item.'),
});

export const ledgerExportSchema = z.object({
  downloadUrl: z
    .string()
    .describe('A signed link to the CSV; it is the credential, until expiresAt.'),
  expiresAt: z.string(),
  fileName: z.string(),
  table: z.enum(['avails', 'bookings', 'work-items']),
});
