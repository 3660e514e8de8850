import { z } from 'zod';
import { limitOffsetQuery } from '../../platform/http/pagination.js';
import { maxIntegerId, positiveIdSchema } from '../../platform/formats.js';

/*
 * The wire contract of storefront proposal codes (hosted storefront.json createStorefrontProposal,
 * getStorefrontProposal, listStorefrontProposals, updateStorefrontProposal,
 * revokeStorefrontProposal).
 */

const dateTime = z.iso.datetime({ offset: true });

const operatorRefDomain = z
  .object({
    domain: z.string().min(1).max(255).describe('Buyer brand domain; the buyer must buy for it'),
  })
  .strict();
const operatorRefCustomer = z
  .object({
    customerId: z
      .number()
      .int()
      .min(1)
      .max(maxIntegerId)
      .describe('Buyer customer id, for a buyer without an advertiser brand domain'),
  })
  .strict();

export const operatorRefSchema = z
  .union([operatorRefDomain, operatorRefCustomer])
  .describe('Who may redeem the code: prefer { domain }; { customerId } as a fallback');

export const createCodeBody = z.object({
  operatorId: z
    .union([z.string().min(1).max(255), operatorRefSchema])
    .describe(
      'Buyer identity: { "domain": "brand.example" }, { "customerId": 123 }, or a string (a domain, or customer:<id>)',
    ),
  label: z.string().min(1).max(255).describe("Seller's internal label for the proposal"),
  notes: z.string().max(4000).optional().describe('Free-form notes about the offline RFP'),
  expiresAt: dateTime.describe(
    "When the code expires; no later than the underlying proposal's own expiry",
  ),
  discoveryId: z
    .string()
    .min(1)
    .max(255)
    .describe('The discovery session the proposal was seen in (kept for traceability)'),
  proposalId: z
    .string()
    .min(1)
    .max(255)
    .describe('A proposal_id this storefront answered in get_products (AdCP `proposals`)'),
});
export type CreateCodeInput = z.output<typeof createCodeBody>;

export const updateCodeBody = z.object({
  label: z.string().min(1).max(255).optional(),
  notes: z.string().max(4000).optional(),
  expiresAt: dateTime.optional(),
});
export type UpdateCodeInput = z.output<typeof updateCodeBody>;

export const codeStatus = z.enum(['active', 'redeemed', 'expired', 'revoked']);

export const listCodesQuery = z.object({
  status: codeStatus.optional().describe('Filter by status'),
  operatorId: z.string().min(1).max(255).optional().describe('Filter by buyer operator'),
  ...limitOffsetQuery({ defaultLimit: 20, maxLimit: 100 }).shape,
});
export type ListCodesQuery = z.output<typeof listCodesQuery>;

export const codeParams = z.object({ id: positiveIdSchema });

const proposalCodeSummary = z.object({
  id: z.number().int(),
  proposalCode: z.string().describe('Short shareable handle; buyers pass it to discoverProducts'),
  operatorId: z.string().describe('The buyer identity encoded: a domain, or customer:<id>'),
  operatorRef: operatorRefSchema,
  label: z.string(),
  notes: z.string().nullable(),
  status: codeStatus,
  expiresAt: z.iso.datetime(),
  proposalId: z.string(),
  discoverySessionId: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  firstViewedAt: z.iso.datetime().nullable(),
  lastViewedAt: z.iso.datetime().nullable(),
  redeemedAt: z.iso.datetime().nullable(),
  redeemedInMediaBuyId: z.string().nullable(),
  holderCustomerId: z
    .number()
    .int()
    .nullable()
    .describe(
      'Interchange: the buyer customer the code belongs to: the one it names, or the first buyer for its brand domain to open it with the code; only that buyer can see, book or finalize it',
    ),
});

export const proposalCodeSummarySchema = proposalCodeSummary;
export const proposalCodeListSchema = z.array(proposalCodeSummary);
export const proposalCodeSchema = proposalCodeSummary.extend({
  snapshot: z
    .object({
      products: z.array(z.record(z.string(), z.unknown())),
      proposals: z.array(z.record(z.string(), z.unknown())),
    })
    .describe('The frozen AdCP products and proposal a buyer redeeming the code is shown'),
});
