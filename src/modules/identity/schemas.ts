import { z } from 'zod';
import { domainSchema, positiveIdSchema } from '../../platform/formats.js';

export const customerRoleSchema = z.enum(['BUYER', 'SELLER']);
export const customerTypeSchema = z.enum(['STANDALONE', 'PARENT', 'CHILD']);
export const membershipRoleSchema = z.enum(['MEMBER', 'ADMIN', 'SUPER_ADMIN']);

const nameSchema = z.string().trim().min(1, 'is required').max(255);

/** A customer as the platform admin sees it. */
export const customerSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    company: z.string(),
    customerRole: customerRoleSchema,
    customerType: customerTypeSchema,
    parentId: z.number().int().nullable(),
    customerDomain: z.string().nullable(),
    active: z.boolean(),
    tosAcceptedVersion: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });

export const createCustomerBody = z
  .object({
    name: nameSchema,
    customerRole: customerRoleSchema,
    /** Required for a BUYER: storefronts name it as the operator of the buyer's accounts. */
    customerDomain: domainSchema.optional(),
    company: nameSchema.optional(),
    /** Email of the customer's first ADMIN user; one under the customer's domain is made up otherwise. */
    adminEmail: z.email().max(255).optional(),
  })
  .refine((b) => b.customerRole !== 'BUYER' || b.customerDomain !== undefined, {
    message: 'is required for a BUYER: storefronts name it as the operator of its accounts',
    path: ['customerDomain'],
  });

/** PUT /api/v2/accounts/current and hosted PATCH /api/v2/accounts/{customerId}/domain. */
export const customerDomainBody = z.object({ customerDomain: domainSchema.max(255) });
export const customerDomainAnswer = z.object({
  id: z.number().int(),
  customerDomain: z.string().nullable(),
  /** Hosted: verified by a member's e-mail or an administrator. Domains here are claimed, never verified. */
  customerDomainApproved: z.boolean(),
});
export const customerIdPathParams = z.object({ customerId: positiveIdSchema });

export const createApiKeyBody = z
  .object({ name: z.string().trim().min(1).max(100).optional() })
  .optional();

/** A customer's key: named, and optionally a sandbox key (its storefront accounts sandbox). */
export const createCustomerApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    sandbox: z
      .boolean()
      .optional()
      .describe(
        "A sandbox key: every account it syncs or names on a storefront is that account's sandbox account (no real spend; test-controller fixtures). Default false",
      ),
  })
  .optional();

export const apiKeyCreatedSchema = z
  .object({
    id: z.string(),
    key: z.string().describe('Shown once; only its hash is stored'),
    prefix: z.string(),
    name: z.string().nullable(),
    customerId: z.number().int().nullable(),
    userId: z.number().int().nullable(),
    sandbox: z.boolean().optional().describe('Set on a sandbox key'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ApiKeyCreated' });

export const apiKeyRevokedSchema = z.object({
  id: z.string(),
  revokedAt: z.iso.datetime(),
});

export const customerIdParams = z.object({ id: positiveIdSchema });
export const apiKeyIdParams = z.object({ id: z.string().min(1).max(64) });

export const currentAccountSchema = z
  .object({
    id: z.number().int(),
    company: z.string(),
    name: z.string(),
    role: membershipRoleSchema,
    customerRole: customerRoleSchema,
    customerType: customerTypeSchema,
    parentId: z.number().int().nullable(),
    customerDomain: z.string().nullable(),
    /**
     * Ours, for buyers: what stands between this customer and discovering and booking (a
     * missing domain), each with its fix; `ready` when nothing does.
     */
    readiness: z
      .object({
        status: z.enum(['ready', 'action_required']),
        issues: z.array(z.object({ code: z.string(), message: z.string(), fix: z.string() })),
      })
      .optional(),
    /** Set for a sponsored buyer: the one storefront it is confined to, and its standing. */
    sponsorship: z
      .object({
        storefrontId: z.number().int(),
        status: z.enum(['pending', 'active', 'suspended']),
      })
      .nullable(),
    /**
     * Hosted API: the credit line, for ADMIN and above only. Interchange extends no credit (buyers
     * and sellers settle between themselves), so creditLimit is always null.
     */
    standing: z
      .object({ creditLimit: z.number().int().nullable(), currency: z.string() })
      .optional(),
  })
  .meta({ id: 'CurrentAccount' });

export const accountSummarySchema = z.object({
  id: z.number().int(),
  company: z.string(),
  name: z.string(),
  role: membershipRoleSchema,
  customerRole: customerRoleSchema,
  customerType: customerTypeSchema,
});

export const accountListSchema = z.object({ accounts: z.array(accountSummarySchema) });

export const createChildBody = z.object({
  name: nameSchema,
  customerRole: customerRoleSchema,
  parentName: nameSchema.optional(),
  customerDomain: domainSchema.max(255).optional(),
});

export const switchAccountBody = z.object({ customerId: positiveIdSchema });

/** The user context returned by create-child and switch, as the docs print it. */
export const userContextSchema = z
  .object({
    user: z.object({
      id: z.number().int(),
      email: z.string(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      role: membershipRoleSchema,
    }),
    customer: z.object({
      id: z.number().int(),
      company: z.string(),
      name: z.string(),
      active: z.boolean(),
      customerRole: customerRoleSchema,
      customerType: customerTypeSchema,
    }),
    customers: z.array(
      z.object({
        id: z.number().int(),
        company: z.string(),
        name: z.string(),
        role: membershipRoleSchema,
        customerType: customerTypeSchema,
      }),
    ),
    showTosBox: z.boolean(),
    organizationContractMissing: z.boolean(),
    hasContract: z.boolean(),
    latestTosVersion: z.string(),
    convertedFromStandalone: z.boolean(),
  })
  .meta({ id: 'UserContext' });

export const termsSchema = z
  .object({
    version: z.string(),
    title: z.string(),
    summary: z.string(),
    accepted: z.boolean(),
    acceptedVersion: z.string().nullable(),
    acceptedAt: z.iso.datetime().nullable(),
    /** True when a child is covered by its parent organisation's acceptance. */
    acceptedByParent: z.boolean(),
  })
  .meta({ id: 'Terms' });

export const acceptTermsBody = z
  .object({ version: z.string().min(1).max(64).optional() })
  .optional();

export type CustomerView = z.infer<typeof customerSchema>;
export type CreateCustomerInput = z.infer<typeof createCustomerBody>;
export type CreateChildInput = z.infer<typeof createChildBody>;
export type UserContext = z.infer<typeof userContextSchema>;
export type Terms = z.infer<typeof termsSchema>;
