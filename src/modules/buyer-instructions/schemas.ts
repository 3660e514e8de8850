import { z } from 'zod';
import { domainSchema, positiveIdSchema } from '../../platform/formats.js';
import { postures } from '../postures/index.js';

const discountPercent = z
  .number()
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100')
  .nullable()
  .describe('Discount off list price for matching buyers; the highest matching one applies');

const notes = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .nullable()
  .describe('Guidance fed to the Merchandising Engine when composing for matching buyers');

const countries = z
  .array(z.string().regex(/^[A-Z]{2}$/, 'must be an uppercase ISO 3166-1 alpha-2 code such as US'))
  .min(1, 'must list at least one country, or be null for every country')
  .max(250)
  .transform((codes) => [...new Set(codes)])
  .nullable()
  .describe('The instruction applies only when the buy targets one of these countries');

const posture = z
  .enum(postures)
  .nullable()
  .describe(
    'Pin the negotiation posture for matching buyers (the most specific matching pin wins); null follows the recommendation from the storefront’s history',
  );

/** POST: the five hosted fields are required (null leaves one unset); posture is optional. */
export const createBuyerInstructionBody = z
  .object({
    operatorDomain: domainSchema.nullable().describe('Buyer operator (agency) domain; null = any'),
    brandDomain: domainSchema.nullable().describe('Brand (advertiser) domain; null = any'),
    discountPercent,
    notes,
    countries,
    posture: posture.default(null),
  })
  .strict();
export type CreateBuyerInstructionInput = z.infer<typeof createBuyerInstructionBody>;

/**
 * PATCH: only the tailoring changes; null clears a field. The scope may be echoed unchanged but
 * not changed (the service says which field); anything else is refused as unknown.
 */
export const updateBuyerInstructionBody = z
  .object({
    discountPercent,
    notes,
    countries,
    posture,
    operatorDomain: domainSchema
      .nullable()
      .describe('Immutable: only the current value is accepted'),
    brandDomain: domainSchema.nullable().describe('Immutable: only the current value is accepted'),
  })
  .partial()
  .strict();
export type UpdateBuyerInstructionInput = z.infer<typeof updateBuyerInstructionBody>;

export const buyerInstructionParams = z.object({ id: positiveIdSchema });

export const buyerInstructionSchema = z
  .object({
    id: z.string().describe('Global numeric id'),
    storefrontId: z.string(),
    operatorDomain: z.string().nullable(),
    brandDomain: z.string().nullable(),
    discountPercent: z.number().nullable(),
    notes: z.string().nullable(),
    countries: z.array(z.string()).nullable(),
    posture: z.enum(postures).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    createdBy: z.string().nullable().describe('Id of the user who created it'),
  })
  .meta({ id: 'BuyerInstruction' });
export type BuyerInstruction = z.infer<typeof buyerInstructionSchema>;

export const deletedBuyerInstructionSchema = z.object({
  id: z.string(),
  deleted: z.literal(true),
});
