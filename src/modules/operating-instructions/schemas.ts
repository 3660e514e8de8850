import { z } from 'zod';
import { postures } from '../postures/index.js';

const pinnedPosture = z
  .enum(postures)
  .nullable()
  .describe(
    'The negotiation posture this version pins (Interchange addition): while the version is ' +
      'active, get_products takes it over any posture history recommends (buyer instructions ' +
      'of a buyer still win); null pins none',
  );

export const createOperatingInstructionsBody = z
  .object({
    content: z
      .string()
      .min(1, 'must not be empty')
      .max(50_000, 'must be at most 50000 characters')
      .refine((s) => s.trim().length > 0, 'must not be blank')
      .describe('The markdown rulebook the Merchandising Engine follows when composing products'),
    notes: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .nullable()
      .optional()
      .describe('Internal notes on this version; never shown to buyers'),
    posture: pinnedPosture.optional(),
    activate: z
      .boolean()
      .optional()
      .describe('When true, save and activate this version in one transaction (default false)'),
  })
  .strict();
export type CreateOperatingInstructionsInput = z.infer<typeof createOperatingInstructionsBody>;

export const versionParams = z.object({
  version: z.coerce
    .number()
    .int('must be a positive integer')
    .positive('must be a positive integer')
    .max(2_147_483_647, 'is too large'),
});

export const operatingInstructionsSchema = z
  .object({
    id: z.string().describe('Global numeric id'),
    storefrontId: z.string(),
    version: z.number().int().describe('Numbered per storefront from 1 upward, never reused'),
    content: z.string(),
    notes: z.string().nullable(),
    posture: pinnedPosture,
    isActive: z.boolean().describe('At most one version per storefront is active'),
    createdAt: z.iso.datetime(),
    createdBy: z.string().nullable().describe('Id of the user who saved this version'),
  })
  .meta({ id: 'OperatingInstructionsResponse' });
export type OperatingInstructions = z.infer<typeof operatingInstructionsSchema>;
