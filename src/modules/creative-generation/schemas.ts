import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';
import { advertiserParams } from '../advertisers/index.js';
import { uploadedAssetSchema } from '../creatives/index.js';

export { advertiserParams };

/** The hosted list of generation providers; only audiostack is built (others: 400 by name). */
const providerTypes = ['audiostack', 'elevenlabs', 'fal', 'gemini', 'openai', 'veo'] as const;

/** Hosted ConnectBuyerModelCredentialBody. */
export const connectCredentialBody = z.object({
  providerType: z.enum(providerTypes),
  apiKey: z.string().min(1).max(512),
  label: z.string().trim().min(1).max(120),
});

/** Hosted updateCreativeModelCredential body. */
export const updateCredentialBody = z.object({
  apiKey: z.string().min(1).max(512).optional(),
  label: z.string().trim().min(1).max(120).optional(),
  advertiserIds: z.array(positiveIdSchema).max(1000).optional(),
  isDefault: z.boolean().optional(),
});

export const credentialParams = z.object({
  id: z.string().regex(/^[1-9]\d{0,14}$/, 'must be a credential id'),
});

/** Hosted BuyerModelCredential: never the key, a masked hint. */
export const credentialSchema = z.object({
  id: z.string(),
  customerId: z.number().int(),
  advertiserIds: z.array(z.string()),
  isDefault: z.boolean(),
  providerType: z.string(),
  providerDisplayName: z.string(),
  label: z.string(),
  status: z.enum(['ACTIVE', 'REVOKED', 'ERROR']),
  maskedKey: z.string().nullable(),
  connectedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Hosted AdvertiserModelCredential: where it applies, and whether it is the one used. */
export const advertiserCredentialListSchema = z.array(
  credentialSchema.extend({
    assignment: z.enum(['advertiser', 'default']),
    effective: z.boolean(),
  }),
);

/** Ours (the hosted documents have no production endpoint): an audio creative to make. */
export const createProductionBody = z.object({
  name: z.string().trim().min(1).max(120),
  /** The words to speak (AudioStack's script syntax and SSML are passed through). */
  script: z.string().trim().min(1).max(10_000),
  /** An AudioStack voice alias, e.g. "sara". */
  voice: z.string().trim().min(1).max(100),
  /** An AudioStack sound template (music bed); none: the voice alone. */
  soundTemplate: z.string().trim().min(1).max(100).optional(),
  /** AudioStack's mastering preset; "balanced" unless given. */
  masteringPreset: z.string().trim().min(1).max(100).optional(),
});

export const productionParams = advertiserParams.extend({
  productionId: z.string().regex(/^aud_[0-9a-f]{24}$/, 'must be an audio production id'),
});

export const productionSchema = z.object({
  id: z.string(),
  advertiserId: z.string(),
  providerType: z.literal('audiostack'),
  modality: z.literal('audio'),
  name: z.string(),
  script: z.string(),
  voice: z.string(),
  soundTemplate: z.string().nullable(),
  masteringPreset: z.string(),
  credentialId: z.string(),
  status: z.enum(['QUEUED', 'PROCESSING', 'READY', 'FAILED']),
  /** The AudioStack step reached: script, speech, mix, encode, download. */
  step: z.string(),
  /** The finished MP3 as a creative asset (hosted asset shape), once READY. */
  asset: uploadedAssetSchema.nullable(),
  /** Why it failed, or the last problem met while it is still being retried. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
});

export const productionListSchema = z.array(productionSchema);
