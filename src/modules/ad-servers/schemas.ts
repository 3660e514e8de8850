import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';
import { checkProductMedia, productMediaFields } from './media-schema.js';

/*
 * The hosted ad-server source shapes (storefront OpenAPI: GamAdServerConfig, EsaConnection,
 * EsaTestConnectionResponse, EsaTenantStatus, EsaSyncHistoryResponse, EsaRefreshResult), with
 * our additions marked: the publisher's own service-account key, as an alternative to the
 * instance's service account (hosted's platform_service_account: connections/gam-account.ts), and the
 * publisher's product rules and rate card.
 */

export const adServerParams = z.object({ sourceId: z.string().min(1).max(255) });

const serviceAccountKey = z
  .object({
    type: z.string().optional(),
    client_email: z.string().email().max(320),
    private_key: z.string().min(64).max(16_384),
    private_key_id: z.string().max(128).optional(),
  })
  .passthrough()
  .describe(
    'Interchange addition: the JSON key of a Google service account of the publisher’s own, added as an API user in Ad Manager. Sealed at rest; never returned. Without it the source acts as the instance’s service account (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE), whose email the connection’s serviceAccountEmail names; a source saved with a key keeps it until a save with authenticationMethod platform_service_account.',
  );

const productRule = z
  .object({
    productId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
      .describe('Product id buyers see (namespaced by the source on the storefront)'),
    name: z.string().min(1).max(255),
    description: z.string().max(2000).optional(),
    placementIds: z.array(z.string().regex(/^\d+$/)).max(500).default([]),
    adUnitIds: z.array(z.string().regex(/^\d+$/)).max(500).default([]),
    /** Custom targeting by key name: values by name (synced keys and values). */
    keyValues: z
      .record(z.string().min(1).max(64), z.array(z.string().min(1).max(128)).min(1).max(100))
      .default({}),
    cpm: z.number().positive().max(10_000),
    currency: z.string().length(3).optional(),
    minSpend: z.number().nonnegative().optional(),
    ...productMediaFields,
  })
  .superRefine(checkProductMedia);
export type ProductRule = z.infer<typeof productRule>;

const rateCard = z.object({
  defaultCpm: z.number().positive().max(10_000),
  currency: z.string().length(3).default('USD'),
  minSpend: z.number().nonnegative().optional(),
});

export const gamConfigBody = z.object({
  type: z.literal('google_ad_manager'),
  connectionContract: z
    .object({
      id: z
        .string()
        .regex(/^[a-z][a-z0-9_-]*$/)
        .max(128),
      version: z.number().int().min(1),
      authenticationMethod: z
        .string()
        .describe(
          'platform_service_account: act as the instance’s service account (drops a key the source held)',
        ),
    })
    .optional(),
  networkCode: z.string().regex(/^[0-9]{1,32}$/, 'networkCode is 1-32 digits'),
  name: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Interchange addition: the source name when the call creates it'),
  serviceAccountKey: serviceAccountKey.optional(),
  publisherDomain: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i)
    .max(253)
    .optional()
    .describe(
      'Interchange addition: the domain the inventory is on (else the storefront’s publisher domain)',
    ),
  defaultAdvertiserId: z
    .string()
    .regex(/^\d+$/)
    .optional()
    .describe(
      'Interchange addition: the Ad Manager advertiser orders are placed under (else one per buyer brand)',
    ),
  rateCard: rateCard
    .optional()
    .describe('Interchange addition: the price of products made from placements'),
  products: z
    .array(productRule)
    .max(500)
    .optional()
    .describe('Interchange addition: the publisher’s own products over synced inventory'),
});

/**
 * The hosted SpringServeAdServerConfig: the API user's email and password (or a pre-minted token),
 * sealed at rest and never returned; plus the Interchange additions the GAM body has.
 */
export const springServeConfigBody = z
  .object({
    type: z.literal('springserve'),
    connectionContract: gamConfigBody.shape.connectionContract,
    email: z
      .string()
      .max(255)
      .regex(
        /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/,
        'email is not an email address',
      )
      .optional()
      .describe('SpringServe login email of the API user (with password)'),
    password: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .describe('SpringServe password. Write-only: sealed at rest, never returned.'),
    apiToken: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe(
        'Pre-minted SpringServe API token, used when no email and password are given. Write-only.',
      ),
    environment: z.enum(['production']).default('production'),
    defaultDemandPartnerId: positiveIdSchema
      .optional()
      .describe('The demand partner campaigns are placed under (else one per buyer brand)'),
    rateCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional()
      .describe('Currency of campaign and demand tag rates'),
    name: gamConfigBody.shape.name,
    publisherDomain: gamConfigBody.shape.publisherDomain,
    rateCard: gamConfigBody.shape.rateCard,
    products: gamConfigBody.shape.products,
  })
  .refine((body) => !body.password || body.email, {
    message: 'email is required with password',
    path: ['email'],
  });

/**
 * The hosted FreeWheelAdServerConfig: the OAuth client (or the legacy username and password, or a
 * pre-minted token); the secret parts sealed at rest and never returned; plus the Interchange
 * additions the GAM body has.
 */
export const freeWheelConfigBody = z
  .object({
    type: z.literal('freewheel'),
    connectionContract: gamConfigBody.shape.connectionContract,
    clientId: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('FreeWheel Publisher API client ID (client-credentials grant, with clientSecret)'),
    clientSecret: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('FreeWheel client secret. Write-only: sealed at rest, never returned.'),
    username: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('Legacy FreeWheel API username (password grant, with password)'),
    password: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .describe('Legacy FreeWheel API password. Write-only: sealed at rest, never returned.'),
    apiToken: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('Pre-minted FreeWheel token (lasts seven days), for testing. Write-only.'),
    environment: z.enum(['production', 'staging', 'sandbox']).default('production'),
    defaultAdvertiserId: z
      .string()
      .regex(/^\d+$/, 'defaultAdvertiserId is a FreeWheel id (digits)')
      .max(64)
      .optional()
      .describe('The FreeWheel advertiser orders are placed under (else one per buyer brand)'),
    executionCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional()
      .describe('Currency of placement prices'),
    name: gamConfigBody.shape.name,
    publisherDomain: gamConfigBody.shape.publisherDomain,
    rateCard: gamConfigBody.shape.rateCard,
    products: gamConfigBody.shape.products,
  })
  .refine((body) => !body.clientSecret || body.clientId, {
    message: 'clientId is required with clientSecret',
    path: ['clientId'],
  })
  .refine((body) => !body.password || body.username, {
    message: 'username is required with password',
    path: ['username'],
  });

/** AdsWizz bodies are recognised so their refusal names the field. */
export const adServerConfigBody = z.discriminatedUnion('type', [
  // Ad Manager sources sell display: its video creatives are not built (docs/ad-servers.md).
  gamConfigBody.superRefine((body, ctx) => {
    for (const [i, rule] of (body.products ?? []).entries()) {
      if (rule.mediaType === 'video') {
        ctx.addIssue({
          code: 'custom',
          path: ['products', i, 'mediaType'],
          message:
            'Ad Manager products are display: video products are built for SpringServe and FreeWheel',
        });
      }
    }
  }),
  springServeConfigBody,
  freeWheelConfigBody,
  z.object({ type: z.enum(['adswizz']) }).passthrough(),
]);
export type AdServerConfigBody = z.infer<typeof adServerConfigBody>;
