import { z } from 'zod';

/** Interchange additions to a hosted sync-history run, for inventory runs (docs/ad-servers.md). */
export const inventoryRunFields = {
  syncMode: z
    .enum(['full', 'incremental'])
    .optional()
    .describe(
      'Interchange addition (inventory runs): full, or incremental (only what the ad server changed since the last completed run)',
    ),
  changedSince: z
    .string()
    .nullable()
    .optional()
    .describe(
      'Interchange addition (incremental runs): the high-water mark the run listed changes from',
    ),
  itemCounts: z
    .record(z.string(), z.number().int())
    .optional()
    .describe('Interchange addition (inventory runs): objects read per kind'),
  itemsRetired: z
    .number()
    .int()
    .optional()
    .describe(
      'Interchange addition (inventory runs): objects a full run dropped because the ad server no longer lists them',
    ),
};
