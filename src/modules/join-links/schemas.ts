import { z } from 'zod';
import { domainSchema, positiveIdSchema } from '../../platform/formats.js';

export const approvalPolicies = [
  'auto_approve',
  'manual_approve',
  'invite_only',
  'closed',
] as const;
export const slugSchema = z
  .string()
  .min(2, 'must be 2-64 characters')
  .max(64, 'must be 2-64 characters')
  .regex(/^[a-z0-9-]+$/, 'must be lowercase letters, numbers and hyphens');

export const createJoinLinkBody = z
  .object({
    storefrontId: positiveIdSchema,
    approvalPolicy: z.enum(approvalPolicies).default('manual_approve'),
    slug: slugSchema.optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((v) => Date.parse(v) > Date.now(), 'must be in the future')
      .optional(),
    maxUses: z.number().int().positive().max(1_000_000_000).optional(),
  })
  .strict();
export type CreateJoinLinkInput = z.infer<typeof createJoinLinkBody>;

export const joinLinkSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    joinPath: z.string(),
    sellerCustomerId: z.number().int(),
    storefrontId: z.number().int(),
    role: z.literal('BUYER'),
    posture: z.literal('prepay'),
    approvalPolicy: z.enum(approvalPolicies),
    active: z.boolean(),
    uses: z.number().int(),
    maxUses: z.number().int().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'JoinLink' });
export type JoinLinkView = z.infer<typeof joinLinkSchema>;

export const linkIdParams = z.object({ linkId: positiveIdSchema });
export const slugParams = z.object({ slug: slugSchema });

const colorsSchema = z.record(z.string(), z.string());

export const joinContextSchema = z
  .object({
    slug: z.string(),
    valid: z.boolean(),
    storefrontName: z.string().nullable(),
    operatorDomain: z.string().nullable(),
    logoUrl: z.string().nullable(),
    brandColors: colorsSchema.nullable(),
    defaultCurrency: z.string().nullable(),
    supportedLanguages: z.array(z.string()).nullable(),
  })
  .meta({ id: 'JoinLinkContext' });
export type JoinContext = z.infer<typeof joinContextSchema>;

export const signupBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(255),
    email: z.email('must be an email address').max(254).toLowerCase(),
    brandDomain: domainSchema,
    company: z.string().trim().min(1).max(255).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO-3166 alpha-2 code such as US')
      .optional(),
    acceptTerms: z.literal(true, 'you must accept the terms of service'),
  })
  .strict();
export type SignupInput = z.infer<typeof signupBody>;

export const signupResultSchema = z
  .object({
    status: z.enum(['active', 'pending']),
    buyerCustomerId: z.number().int(),
    storefrontName: z.string(),
    apiKey: z.string().describe('Shown once; keep it. Pending accounts can read until approved.'),
    message: z.string(),
  })
  .meta({ id: 'JoinSignupResult' });
export type SignupResult = z.infer<typeof signupResultSchema>;
