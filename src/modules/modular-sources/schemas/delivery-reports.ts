import { z } from 'zod';

export const deliveryReportParams = z.object({
  sourceId: z.string().min(1).max(255),
  mediaBuyId: z.string().min(1).max(255).describe("The source's media buy id (work items name it)"),
});

const figure = z.number().nonnegative().max(1e12);

/** The seller's explicit confirmation of an overdelivery, naming the figures it stands by. */
export const overdeliveryConfirmations = z
  .array(
    z
      .object({
        packageId: z
          .string()
          .min(1)
          .max(255)
          .optional()
          .describe('The package (optional when the buy has one)'),
        impressions: figure
          .optional()
          .describe("The package's cumulative impressions confirmed (at least the report's)"),
        spend: figure.optional().describe("The package's cumulative spend confirmed"),
        reason: z.string().max(2000).optional().describe('Why (a make-good, a bonus weight)'),
      })
      .strict(),
  )
  .max(100);

export const deliveryReportBody = z
  .object({
    rows: z
      .array(z.record(z.string(), z.unknown()))
      .max(20_000)
      .optional()
      .describe(
        'A row per UTC day (and package): date (YYYY-MM-DD), impressions, spend, clicks?, ' +
          'packageId? (optional when the buy has one package), and the viewability measured, ' +
          'if any: measurable_impressions and viewable_impressions together, viewed_seconds? ' +
          '(average in-view seconds per measurable impression), viewability_standard? (mrc, ' +
          'groupm); each is checked and a refused one named as rows[i].field',
      ),
    csvText: z
      .string()
      .max(4 * 1024 * 1024)
      .optional()
      .describe('Or the same as CSV text with a header line'),
    final: z
      .boolean()
      .default(false)
      .describe(
        'true: the final report (once the flight has ended, or the buy was canceled); later ' +
          'uploads are corrections of it. false (default): an interim report during the flight',
      ),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional()
      .describe("Defaults to the package's booked currency"),
    confirmOverdelivery: overdeliveryConfirmations
      .optional()
      .describe(
        "Confirms delivery beyond the booking and the storefront's tolerance, naming each " +
          "package's cumulative figure; recorded with the revision",
      ),
    notes: z.string().max(4000).optional().describe('Why (shown to the buyer with the revision)'),
  })
  .strict();
export type DeliveryReportBody = z.infer<typeof deliveryReportBody>;

const dayFigures = z.object({ impressions: z.number(), clicks: z.number(), spend: z.number() });

export const deliveryRevisionSchema = z
  .object({
    id: z.string(),
    mediaBuyId: z.string(),
    revision: z.number().int().describe('1, 2, … per media buy'),
    kind: z.enum(['interim', 'final']),
    adjusted: z.boolean().describe('It changed days an earlier report had given'),
    uploadedBy: z.string().describe('user:{id} of the person who sent it'),
    uploadedAt: z.string(),
    firstDay: z.string(),
    lastDay: z.string(),
    rowCount: z.number().int(),
    addedDays: z.number().int().describe('Days (per package) no report had given before'),
    currency: z.string(),
    totalsBefore: dayFigures,
    totalsAfter: dayFigures,
    changes: z
      .array(
        z.object({
          packageId: z.string(),
          date: z.string(),
          before: dayFigures,
          after: dayFigures,
        }),
      )
      .describe('Each day it changed, before and after'),
    overdelivery: z.array(z.record(z.string(), z.unknown())),
    notes: z.string().nullable(),
    workItemId: z.string().nullable(),
  })
  .meta({ id: 'ModularDeliveryRevision' });

const deliveryTotals = z.object({
  impressions: z.number(),
  clicks: z.number(),
  spend: z.number(),
  currency: z.string().nullable(),
});

export const deliveryReportAnswer = z.object({
  revision: deliveryRevisionSchema,
  delivery: deliveryTotals.extend({ isFinal: z.boolean() }),
});

export const deliveryHistoryAnswer = z.object({
  mediaBuyId: z.string(),
  isFinal: z.boolean().describe('A final report came (AdCP is_final for the buyer)'),
  totals: deliveryTotals,
  revisions: z.array(deliveryRevisionSchema),
});
