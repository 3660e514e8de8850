import { z } from 'zod';
import { accountRef, paginationRequest } from '../schemas/tasks.js';
import { authScheme } from '../governance/schemas.js';

/*
 * AdCP 3.1.19's account-level webhook shapes the storefront reads: core/notification-config.json
 * and the entries of account/sync-accounts-request.json.
 */

/** enums/notification-type.json: every value, media-buy anchored ones included. */
export const notificationTypes = [
  'scheduled',
  'final',
  'delayed',
  'adjusted',
  'impairment',
  'creative.status_changed',
  'creative.purged',
  'product.created',
  'product.updated',
  'product.priced',
  'product.removed',
  'signal.created',
  'signal.updated',
  'signal.priced',
  'signal.removed',
  'wholesale_feed.bulk_change',
] as const;

/** The types that anchor at a media buy: never registrable on an account (the enum's rule). */
export const mediaBuyAnchored: ReadonlySet<string> = new Set([
  'scheduled',
  'final',
  'delayed',
  'adjusted',
  'impairment',
]);

/** The wholesale feed webhooks a storefront emits (its product feed; it has no signals feed). */
export const feedEventTypes = [
  'product.created',
  'product.updated',
  'product.priced',
  'product.removed',
  'wholesale_feed.bulk_change',
] as const;

/** core/notification-config.json (with the request's rule: credentials when authentication). */
export const notificationConfig = z
  .object({
    subscriber_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
    url: z.string().min(1).max(2048),
    event_types: z.array(z.enum(notificationTypes)).min(1),
    authentication: z
      .object({
        schemes: z.array(authScheme).min(1).max(1),
        credentials: z.string().min(32).max(4096),
      })
      .strict()
      .optional(),
    active: z.boolean().default(true),
    ext: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type NotificationConfig31 = z.infer<typeof notificationConfig>;

/**
 * A subscriber as kept: `held` when it was sent active but is kept inactive until its proof of
 * control (webhook.challenge) comes ('pending', a job proves it) or because that proof failed.
 */
export type HeldConfig = NotificationConfig31 & {
  held?: { proof: 'pending' | 'refused'; reason: string };
};

/** One sync_accounts entry: provisioning (brand, operator, billing) or settings-update (account). */
export const syncAccountsEntry = z
  .object({
    account: accountRef.optional(),
    brand: z
      .object({ domain: z.string().min(1).max(253) })
      .loose()
      .optional(),
    operator: z.string().min(1).max(253).optional(),
    billing: z.string().max(64).optional(),
    payment_terms: z.string().max(64).optional(),
    sandbox: z.boolean().optional(),
    // Read apart, entry by entry: a bad config fails its account, not the request.
    notification_configs: z.array(z.unknown()).max(16).optional(),
  })
  .loose();
export type SyncAccountsEntry = z.infer<typeof syncAccountsEntry>;

export const syncAccountsRequest = z
  .object({
    accounts: z.array(syncAccountsEntry).min(1).max(100),
    dry_run: z.boolean().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

/** enums/account-status.json. */
export const accountStatus = z.enum([
  'active',
  'pending_approval',
  'rejected',
  'payment_required',
  'suspended',
  'closed',
]);

/**
 * account/list-accounts-request.json (3.0.6, and 3.1.19's `account` filter, taken from every
 * caller: 3.0.6 allows additional properties).
 */
export const listAccountsRequest = z
  .object({
    adcp_major_version: z.number().int().min(1).max(99).optional(),
    account: accountRef.optional(),
    status: accountStatus.optional(),
    sandbox: z.boolean().optional(),
    pagination: paginationRequest.optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    ext: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type ListAccountsRequest = z.infer<typeof listAccountsRequest>;
