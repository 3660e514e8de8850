import { z } from 'zod';
import { mediaBuyStatus } from './envelope.js';

/*
 * AdCP 3.1.19's media-buy action discovery and buy health, written from the spec's JSON schemas
 * (reference/adcp-3.1/schemas: enums/media-buy-valid-action.json, enums/media-buy-action-mode.json,
 * enums/action-not-allowed-reason.json, enums/media-buy-health.json,
 * enums/impairment-offline-state.json, enums/impairment-reason-code.json,
 * core/product-allowed-action.json, core/media-buy-available-action.json, core/impairment.json,
 * error-details/action-not-allowed.json). `sla` (core/sla-window.json) is carried through as the
 * source gave it, never made up here.
 */

/** The fine-grained actions 3.1 adds; a buyer SDK dispatches update_media_buy by them. */
export const fineMediaBuyActions = [
  'pause',
  'resume',
  'cancel',
  'extend_flight',
  'shorten_flight',
  'update_flight_dates',
  'increase_budget',
  'decrease_budget',
  'reallocate_budget',
  'update_targeting',
  'update_pacing',
  'update_frequency_caps',
  'replace_creative',
  'update_creative_assignments',
  'remove_creative',
  'add_packages',
  'remove_packages',
] as const;

/** 3.0's coarse actions, kept (deprecated) through 3.x: each rolls up finer ones. */
export const coarseMediaBuyActions = [
  'update_budget',
  'update_dates',
  'update_packages',
  'sync_creatives',
] as const;

/** enums/media-buy-valid-action.json. */
export const mediaBuyValidAction = z.enum([...fineMediaBuyActions, ...coarseMediaBuyActions]);
export type MediaBuyValidAction = z.infer<typeof mediaBuyValidAction>;
export type FineMediaBuyAction = (typeof fineMediaBuyActions)[number];

/** enums/media-buy-action-mode.json (extensible: an unknown mode is kept as given). */
export const mediaBuyActionMode = z.enum([
  'self_serve',
  'conditional_self_serve',
  'requires_approval',
]);
export type MediaBuyActionMode = z.infer<typeof mediaBuyActionMode>;

/** core/sla-window.json, as far as this agent reads it: passed through. */
const slaWindow = z.record(z.string(), z.unknown());

/** core/product-allowed-action.json: a product's advisory action template. */
export const productAllowedAction = z.strictObject({
  action: mediaBuyValidAction,
  modes: z.array(mediaBuyActionMode).min(1),
  allowed_statuses: z.array(mediaBuyStatus).min(1).optional(),
  sla: slaWindow.optional(),
  terms_ref: z.string().optional(),
});
export type ProductAllowedAction = z.infer<typeof productAllowedAction>;

/** core/media-buy-available-action.json: an action open on a buy right now, in one mode. */
export const mediaBuyAvailableAction = z.strictObject({
  action: mediaBuyValidAction,
  mode: mediaBuyActionMode,
  sla: slaWindow.optional(),
  terms_ref: z.string().optional(),
});
export type MediaBuyAvailableAction = z.infer<typeof mediaBuyAvailableAction>;

/** enums/action-not-allowed-reason.json. */
export const actionNotAllowedReason = z.enum([
  'wrong_status',
  'not_supported_on_product',
  'not_supported_on_buy',
  'mode_mismatch',
]);
export type ActionNotAllowedReason = z.infer<typeof actionNotAllowedReason>;

/** error-details/action-not-allowed.json. */
export const actionNotAllowedDetails = z.object({
  attempted_action: mediaBuyValidAction,
  reason: actionNotAllowedReason,
  currently_available_actions: z.array(mediaBuyAvailableAction).optional(),
});
export type ActionNotAllowedDetails = z.infer<typeof actionNotAllowedDetails>;

/** enums/media-buy-health.json. */
export const mediaBuyHealth = z.enum(['ok', 'impaired']);

/** core/impairment.json. */
export const impairment = z.looseObject({
  impairment_id: z.string(),
  resource_type: z.enum(['audience', 'creative', 'catalog_item', 'event_source', 'property']),
  resource_id: z.string(),
  package_ids: z.array(z.string()).min(1),
  transition: z.strictObject({
    from: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional(),
    to: z.enum(['suspended', 'rejected', 'withdrawn', 'insufficient', 'depublished']),
  }),
  reason_code: z.enum([
    'policy_violation',
    'consent_expired',
    'ttl_expired',
    'pii_audit_failed',
    'seller_removed',
    'content_rejected',
    'identity_authorization_revoked',
    'identity_authorization_expired',
    'source_private',
    'source_offline',
    'property_depublished',
  ]),
  reason: z.string().max(500).optional(),
  observed_at: z.iso.datetime({ offset: true }),
  remediation: z.string().max(500).optional(),
});
export type Impairment = z.infer<typeof impairment>;
