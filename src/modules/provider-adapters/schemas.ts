import { z } from 'zod';
import { providerNames } from './providers.js';

export const createAdapterSourceBody = z.object({
  provider: z.enum(providerNames as [string, ...string[]]).describe("Seed 003's provider value"),
  name: z.string().trim().min(1).max(255),
  sourceId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/)
    .optional()
    .describe('Storefront-scoped slug; derived from the name when omitted'),
});

export const adapterParams = z.object({ sourceId: z.string().min(1).max(255) });

export const updateAdapterBody = z
  .object({
    accountId: z.string().min(1).max(100).optional(),
    pageId: z.string().min(1).max(100).optional(),
    defaultCountries: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .max(50)
      .optional()
      .describe('ISO 3166-1 alpha-2 countries a package targets when it names none'),
    adCategory: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .describe(
        "Spotify only: the ad category (an id of Spotify's GET /ad_categories, e.g. ADV_4_2) every " +
          "ad set is booked under; null goes back to the one the ad account's industry names",
      ),
  })
  .refine(
    (b) => Object.keys(b).length > 0,
    'Send accountId, pageId, defaultCountries or adCategory',
  );

export const callbackBody = z.object({
  state: z.string().min(1).max(255),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(255).optional(),
});

const account = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string().nullable(),
  status: z.string(),
});

/** A connection as its operator sees it: never a token. */
export const connectionSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  provider: z.string(),
  providerDisplayName: z.string(),
  status: z.enum(['PENDING', 'CONNECTED', 'NEEDS_RECONNECT', 'DISCONNECTED']),
  statusReason: z.string().nullable(),
  /** What the operator should do next: connect, reconnect, choose_account, or nothing. */
  action: z.enum(['connect', 'reconnect', 'choose_account']).nullable(),
  expiresAt: z.string().nullable(),
  lastRefreshedAt: z.string().nullable(),
  accounts: z.array(account),
  selectedAccount: account.nullable(),
  pageId: z.string().nullable(),
  pages: z
    .array(z.object({ id: z.string(), name: z.string() }))
    .describe('Meta: the Pages the grant may run ads as (pageId is one of them); empty otherwise'),
  defaultCountries: z.array(z.string()),
  adCategory: z
    .string()
    .nullable()
    .describe(
      "Spotify: the operator's ad category; null when the ad account's industry decides it",
    ),
  callbackUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const connectStartSchema = z.object({
  authorizationUrl: z.string(),
  expiresAt: z.string(),
  callbackUrl: z.string(),
});
