import {
  createNotificationSweep,
  createNotificationWebhooks,
  type ScheduledEvents,
} from '../jobs/index.js';
import type { IdentityService } from '../modules/identity/index.js';
import type { MediaBuysService } from '../modules/orders/index.js';
import type { ModularNotices, ModularSourcesService } from '../modules/modular-sources/index.js';
import {
  createNotificationsService,
  type NotificationsService,
} from '../modules/notifications/index.js';
import type { StorefrontsService } from '../modules/storefronts/index.js';
import type { AdServersService } from '../modules/ad-servers/index.js';
import type { CreativeReviewsService } from '../modules/creative-reviews/index.js';
import type { InventorySourcesService } from '../modules/inventory-sources/index.js';
import { pendingOperationsOf } from './feeds/pending-operations.js';
import { behindPaceRatio, type StorefrontMediaBuysService } from '../modules/order-views/index.js';
import type { NotificationsConfig } from '../config.js';
import { ed25519FromSeed } from '../platform/crypto/signing-key.js';
import { sendMail } from '../platform/mail/smtp.js';
import type { Base } from './base.js';

const defaults: NotificationsConfig = {
  sweepSeconds: 300,
  holdWindowHours: 24,
  retrySeconds: 10,
  smtp: null,
};
const settingsOf = (base: Base) => base.config.notifications ?? defaults;

/**
 * Notifications, built right after identity (mail goes to users' addresses) so every area after
 * it can tell people things: webhooks signed as task pushes are, email through the operator's
 * SMTP server when one is configured.
 */
export function createNotificationsOf(
  base: Base,
  identity: Pick<IdentityService, 'userEmail'>,
  storefronts: Pick<StorefrontsService, 'findById'>,
) {
  const notifications = notificationsServiceOf(base, identity);
  return { notifications, sourceEvents: sourceNotices(notifications, storefronts) };
}

function notificationsServiceOf(base: Base, identity: Pick<IdentityService, 'userEmail'>) {
  const { db, secrets, config, jobs, options } = base;
  const smtp = settingsOf(base).smtp;
  return createNotificationsService({
    db,
    secrets,
    jobs,
    allowPrivateNetwork: config.allowPrivateNetwork,
    sendWebhook: createNotificationWebhooks({
      // The storefront agents' webhook key (wiring/merchandising.ts): one JWKS verifies both.
      signer: ed25519FromSeed(secrets.derive('interchange webhook signing v1')),
      allowPrivateNetwork: config.allowPrivateNetwork,
    }),
    sendMail: smtp ? (message) => sendMail(smtp, message) : null,
    userEmail: (userId) => identity.userEmail(userId),
    publicUrl: base.ownOrigin,
    retrySeconds: settingsOf(base).retrySeconds,
    ...(options.onError && { onError: options.onError }),
  });
}

/** What sellers hear of their sources: a probe failing after one answered, a failed compliance run. */
function sourceNotices(
  notifications: Pick<NotificationsService, 'notify'>,
  storefronts: Pick<StorefrontsService, 'findById'>,
) {
  const sellerOf = async (storefrontId: number) =>
    (await storefronts.findById(storefrontId))?.customerId;
  return {
    async sourceUnhealthy(
      row: { storefrontId: number; sourceId: string; name: string },
      reason: string,
      at: Date,
    ) {
      const customerId = await sellerOf(row.storefrontId);
      if (customerId === undefined) return;
      await notifications.notify({
        customerId,
        type: 'inventory_source.unhealthy',
        status: 'error',
        message: `${row.name} stopped answering: ${reason}`.slice(0, 1000),
        actionUrl: `/console/sources/${row.sourceId}`,
        data: { sourceId: row.sourceId, reason: 'probe_failed' },
        eventKey: `source:${row.sourceId}:unhealthy:${at.toISOString()}`,
      });
    },
    async complianceFailed(run: {
      id: number;
      storefrontId: number;
      sourceId: string;
      summary: string | null;
      status: string;
      error: string | null;
    }) {
      const customerId = await sellerOf(run.storefrontId);
      if (customerId === undefined) return;
      const why =
        run.status === 'completed'
          ? (run.summary ?? 'failed')
          : `${run.status}: ${run.error ?? ''}`;
      await notifications.notify({
        customerId,
        type: 'inventory_source.unhealthy',
        status: 'error',
        message: `Source ${run.sourceId} failed its compliance run: ${why}`.slice(0, 1000),
        actionUrl: `/console/sources/${run.sourceId}`,
        data: { sourceId: run.sourceId, reason: 'compliance_failed', complianceRunId: run.id },
        eventKey: `compliance_run:${run.id}:failed`,
      });
    },
  };
}

/**
 * What waits on a seller (GET /pending-operations) and the sweep of scheduled events, both read
 * from the modules holding them (feeds/pending-operations.ts) and modular sources' holds and delivery
 * reports.
 */
export function createNotificationFeeds(
  base: Base,
  sellers: {
    storefronts: Pick<StorefrontsService, 'requireOwn' | 'findById'>;
    modularSources: Pick<ModularSourcesService, 'notices' | 'storefrontQueue'>;
    identity: Pick<IdentityService, 'customerNames'>;
    inventorySources: Pick<InventorySourcesService, 'list'>;
    notifications: NotificationsService;
  },
  merchandising: {
    mediaBuys: Pick<MediaBuysService, 'listApprovals'>;
    creativeReviews: Pick<CreativeReviewsService, 'listReviews'>;
    storefrontMediaBuys: Pick<StorefrontMediaBuysService, 'behindPace'>;
  },
  adServers: Pick<AdServersService, 'catalog'>,
) {
  const { storefronts, modularSources, notifications } = sellers;
  const settings = settingsOf(base);
  const notices = modularSources.notices;
  const pendingOperations = pendingOperationsOf(
    base,
    { ...sellers, ...merchandising, adServers },
    { holdWindowHours: settings.holdWindowHours },
  );
  const sellerOf = async (storefrontId: number) =>
    (await storefronts.findById(storefrontId))?.customerId;
  const notificationSweep = createNotificationSweep(
    {
      notifier: notifications,
      requeueStalled: (now) => notifications.deliveries.requeueStalled(now),
      sources: [
        ...modularEvents(notices, sellerOf, settings.holdWindowHours),
        behindPaceEvents(merchandising.storefrontMediaBuys),
      ],
      intervalSeconds: settings.sweepSeconds,
    },
    base.jobs,
  );
  return { pendingOperations, notificationSweep };
}

/** The modular sources' scheduled events: holds expiring, work items opened, reports due and final. */
function modularEvents(
  notices: ModularNotices,
  sellerOf: (storefrontId: number) => Promise<number | undefined>,
  holdWindowHours: number,
): ScheduledEvents[] {
  const toSellers = async <T extends { storefrontId: number }>(
    rows: T[],
    make: (row: T, customerId: number) => Parameters<NotificationsService['notify']>[0],
  ) => {
    const out = [];
    for (const row of rows) {
      const seller = await sellerOf(row.storefrontId);
      if (seller !== undefined) out.push(make(row, seller));
    }
    return out;
  };
  return [
    async (now) =>
      toSellers(
        await notices.expiringHolds(now, new Date(now.getTime() + holdWindowHours * 3600_000)),
        (h, customerId) => ({
          customerId,
          type: 'booking_hold.expiring',
          status: 'warning',
          message: `A hold on avail ${h.availId} for media buy ${h.mediaBuyId} expires at ${h.expiresAt?.toISOString()}: confirm or release it.`,
          actionUrl: `/console/sources/${h.inventorySourceId}`,
          data: { bookingId: h.bookingId, mediaBuyId: h.mediaBuyId, availId: h.availId },
          // A hold extended to a new expiry is worth telling again.
          eventKey: `hold:${h.bookingId}:${h.expiresAt?.toISOString()}`,
        }),
      ),
    async (_now, since) =>
      toSellers(await notices.openedSince(since), (w, customerId) => ({
        customerId,
        type: 'source.action_required',
        status: 'warning',
        message: `New work item: ${w.title}`,
        actionUrl: '/console/reviews',
        data: { workItemId: w.id, kind: w.kind, mediaBuyId: w.mediaBuyId },
        eventKey: `work_item:${w.id}:opened`,
      })),
    async (now, since) =>
      toSellers(await notices.reportsDue(since, now), (b, customerId) => ({
        customerId,
        type: 'delivery_report.due',
        status: 'info',
        message: `The flight of media buy ${b.buyId} ended ${b.endTime.toISOString()}: its final delivery report is due.`,
        actionUrl: `/console/sources/${b.inventorySourceId}`,
        data: { mediaBuyId: b.buyId },
        eventKey: `buy:${b.buyId}:report_due`,
      })),
    async (_now, since) =>
      (await notices.finalizedSince(since)).map((r) => ({
        customerId: r.buyerCustomerId,
        type: 'media_buy.delivery_finalized' as const,
        status: 'success' as const,
        message: `The seller finalised the delivery report of media buy ${r.buyId}.`,
        actionUrl: '/console/inbox',
        data: { sourceMediaBuyId: r.buyId, storefrontId: r.storefrontId },
        eventKey: `buy:${r.buyId}:delivery_final`,
      })),
  ];
}

/**
 * Buyers hear that a buy delivers behind pace at most once a day per buy: the event key names the
 * buy and the UTC day, so every sweep of that day finds it again and tells nobody twice.
 */
function behindPaceEvents(buys: Pick<StorefrontMediaBuysService, 'behindPace'>): ScheduledEvents {
  return async (now) =>
    (await buys.behindPace(now)).map((b) => ({
      customerId: b.buyerCustomerId,
      type: 'media_buy.behind_pace' as const,
      status: 'warning' as const,
      message:
        `Media buy ${b.mediaBuyId} is delivering behind pace: ${b.deliveredSpend} spent of ` +
        `${b.expectedSpend} expected by now (${Math.round(b.pacingRatio * 100)}%, under ${behindPaceRatio * 100}%).`,
      actionUrl: '/console/inbox',
      data: { mediaBuyId: b.mediaBuyId, storefrontId: b.storefrontId, pacingRatio: b.pacingRatio },
      eventKey: `buy:${b.mediaBuyId}:behind_pace:${now.toISOString().slice(0, 10)}`,
    }));
}
