import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';

export const linkStatuses = ['PENDING', 'ACTIVE', 'REJECTED', 'REVOKED'] as const;

export const linkSchema = z
  .object({
    id: z.string().describe('Global id (numeric string) the upstream seller acts on'),
    status: z
      .enum(linkStatuses)
      .describe(
        'PENDING until the upstream seller decides; ACTIVE: products and buys flow; REJECTED ' +
          '(denied) or REVOKED (stopped later): nothing flows',
      ),
    upstream: z.object({
      storefrontId: z.number().int(),
      platformId: z.string(),
      name: z.string(),
    }),
    requester: z.object({
      customerId: z.number().int().describe('Who the downstream calls as on this instance'),
      name: z.string().nullable(),
      domain: z.string().nullable().describe('Its operator domain, as analytics attribute it'),
    }),
    downstream: z.object({
      agentUrl: z.string().describe("The downstream storefront's agent (normalized)"),
      name: z.string(),
      storefrontId: z
        .number()
        .int()
        .nullable()
        .describe('When the downstream storefront is on this instance'),
    }),
    note: z.string().nullable(),
    reason: z.string().nullable().describe('What the upstream seller said when deciding'),
    decidedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'StorefrontLink' });
export type LinkView = z.infer<typeof linkSchema>;

export const linkListSchema = z.object({ items: z.array(linkSchema), total: z.number().int() });

const statusList = z
  .union([z.enum(linkStatuses), z.array(z.enum(linkStatuses))])
  .transform((v) => (Array.isArray(v) ? v : [v]));

export const linkListQuery = z.object({ status: statusList.optional() }).strict();

export const linkIdParams = z.object({
  linkId: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a link id')
    .transform(Number),
});

export const decisionBody = z
  .object({ reason: z.string().trim().max(2000).optional() })
  .strict()
  .optional();

/** A downstream asking to sell a storefront of this instance (the requester side). */
export const linkRequestBody = z
  .object({
    storefrontId: positiveIdSchema.optional(),
    platformId: z.string().min(2).max(100).optional(),
    downstream: z
      .object({
        agentUrl: z.url({ protocol: /^https?$/ }).max(2048),
        name: z.string().trim().min(1).max(255),
        upstreams: z
          .array(z.url({ protocol: /^https?$/ }).max(2048))
          .max(100)
          .default([])
          .describe('The storefront agents the downstream already resells, directly or not'),
      })
      .strict(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((b) => (b.storefrontId === undefined) !== (b.platformId === undefined), {
    message: 'name the upstream storefront by storefrontId or platformId (one of them)',
    path: ['storefrontId'],
  });
export type LinkRequestInput = z.infer<typeof linkRequestBody>;
