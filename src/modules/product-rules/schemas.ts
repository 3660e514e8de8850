import { mediaChannels } from '../storefronts/index.js';
import { z } from 'zod';
import { domainSchema, positiveIdSchema } from '../../platform/formats.js';

export const productRuleKinds = ['include', 'exclude', 'rename', 'price', 'package'] as const;
export type ProductRuleKind = (typeof productRuleKinds)[number];

const listOf = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item)
    .min(1, `must list at least one ${what}, or be left out to match any`)
    .max(200, `must list at most 200 ${what}s`)
    .transform((values) => [...new Set(values)] as z.output<T>[]);

/** What a rule applies to: every listed criterion must hold (AND); within one list, any value (OR). */
export const productRuleMatchSchema = z
  .object({
    sourceIds: listOf(z.string().min(1).max(255), 'inventory source id').describe(
      'Inventory sources the product comes from',
    ),
    channels: listOf(
      z.enum(mediaChannels, {
        error: `must be an AdCP media channel (${mediaChannels.join(', ')})`,
      }),
      'channel',
    ).describe('The product sells on at least one of these AdCP channels'),
    formatIds: listOf(
      z
        .string()
        .max(255)
        .regex(/^[a-zA-Z0-9_-]+$/, 'must be an AdCP format id such as display_300x250'),
      'format id',
    ).describe('The product accepts at least one of these formats (matched on format_ids[].id)'),
    publisherDomains: listOf(domainSchema, 'publisher domain').describe(
      "The product's publisher_properties name at least one of these domains",
    ),
    productIds: listOf(z.string().min(1).max(512), 'product id').describe(
      "The storefront's product ids (source-namespaced, as get_products shows them)",
    ),
  })
  .partial()
  .strict()
  .describe('All optional and ANDed; an empty match matches every product');
export type ProductRuleMatch = z.infer<typeof productRuleMatchSchema>;

const noAction = z
  .strictObject(
    {},
    { error: 'include and exclude rules take no action fields: leave action out or send {}' },
  )
  .describe('include and exclude take no action fields');

/** Names the shape an action must have when it is missing or not an object. */
const actionRequired = (shape: string) => ({
  error: (issue: { code: string; input?: unknown }) =>
    issue.code === 'invalid_type' ? `must be an object ${shape} for this kind` : undefined,
});

const renameAction = z
  .object(
    {
      name: z.string().trim().min(1).max(255),
      description: z.string().trim().min(1).max(4000),
    },
    actionRequired('{name?, description?}'),
  )
  .partial()
  .strict()
  .refine((a) => a.name !== undefined || a.description !== undefined, {
    message: 'must set name, description or both',
  });

const priceAction = z
  .object(
    {
      floorCpm: z
        .number()
        .positive('must be greater than 0')
        .max(100_000, 'must be at most 100000')
        .describe("Minimum CPM, in each pricing option's own currency; raises lower cpm prices"),
      markupPercent: z
        .number()
        .min(0, 'must be between 0 and 500')
        .max(500, 'must be between 0 and 500')
        .describe('Applied to every fixed_price and floor_price before the floor'),
    },
    actionRequired('{floorCpm?, markupPercent?}'),
  )
  .partial()
  .strict()
  .refine((a) => a.floorCpm !== undefined || a.markupPercent !== undefined, {
    message: 'must set floorCpm, markupPercent or both',
  });

const packageAction = z
  .object(
    {
      productId: z
        .string()
        .regex(/^[a-z0-9_-]{2,64}$/, 'must be 2 to 64 lowercase letters, digits, - or _')
        // Source products are `${sourceId}__${upstreamId}`; a package id must never parse as one.
        .refine((id) => !id.includes('__'), 'must not contain "__" (reserved for source products)')
        .describe('The storefront product id the package is shown under'),
      name: z.string().trim().min(1).max(255),
      description: z.string().trim().min(1).max(4000).optional(),
    },
    actionRequired('{productId, name, description?}'),
  )
  .strict();

export type ProductRuleAction =
  | z.infer<typeof noAction>
  | z.infer<typeof renameAction>
  | z.infer<typeof priceAction>
  | z.infer<typeof packageAction>;

const common = {
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  active: z.boolean().default(true).describe('Inactive rules are kept but not applied'),
  priority: z
    .number()
    .int('must be an integer')
    .min(0, 'must be between 0 and 1000000')
    .max(1_000_000, 'must be between 0 and 1000000')
    .default(100)
    .describe('Lower applies first; ties by id'),
  match: productRuleMatchSchema.default({}),
};

/** POST and PUT: the whole rule; `kind` decides the shape of `action`. */
export const productRuleBody = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...common, kind: z.literal('include'), action: noAction.default({}) }).strict(),
    z.object({ ...common, kind: z.literal('exclude'), action: noAction.default({}) }).strict(),
    z.object({ ...common, kind: z.literal('rename'), action: renameAction }).strict(),
    z.object({ ...common, kind: z.literal('price'), action: priceAction }).strict(),
    z.object({ ...common, kind: z.literal('package'), action: packageAction }).strict(),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `must be one of ${productRuleKinds.join(', ')}` : undefined,
  },
);
export type ProductRuleInput = z.infer<typeof productRuleBody>;

export const productRuleParams = z.object({ ruleId: positiveIdSchema });

const stored = {
  id: z.string().describe('Global numeric id'),
  storefrontId: z.string(),
  name: z.string(),
  active: z.boolean(),
  priority: z.number().int(),
  match: z.object({
    sourceIds: z.array(z.string()).optional(),
    channels: z.array(z.string()).optional(),
    formatIds: z.array(z.string()).optional(),
    publisherDomains: z.array(z.string()).optional(),
    productIds: z.array(z.string()).optional(),
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const productRuleSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...stored, kind: z.literal('include'), action: z.object({}) }),
    z.object({ ...stored, kind: z.literal('exclude'), action: z.object({}) }),
    z.object({
      ...stored,
      kind: z.literal('rename'),
      action: z.object({ name: z.string().optional(), description: z.string().optional() }),
    }),
    z.object({
      ...stored,
      kind: z.literal('price'),
      action: z.object({
        floorCpm: z.number().optional(),
        markupPercent: z.number().optional(),
      }),
    }),
    z.object({
      ...stored,
      kind: z.literal('package'),
      action: z.object({
        productId: z.string(),
        name: z.string(),
        description: z.string().optional(),
      }),
    }),
  ])
  .meta({ id: 'ProductRule' });
export type ProductRule = z.infer<typeof productRuleSchema>;

export const productRuleListSchema = z.object({
  items: z.array(productRuleSchema),
  total: z.number().int(),
});

export const deletedProductRuleSchema = z.object({ id: z.string(), deleted: z.literal(true) });
