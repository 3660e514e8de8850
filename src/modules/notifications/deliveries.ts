import { z } from 'zod';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import { SmtpError, type MailMessage } from '../../platform/mail/smtp.js';
import * as deliveries from './delivery-store.js';
import { findNotification, type NotificationRow } from './store.js';
import { webhookPayloadOf } from './views.js';

/** One webhook post's outcome, as the sender (src/jobs/notifications/webhooks.ts) saw it. */
export interface WebhookAttempt {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  /** Worth another try later: no answer, a 5xx or a 429 (a 4xx is the receiver's final word). */
  retryable: boolean;
}

/** Posts one signed notification; the same operationId on every attempt of one delivery. */
export type WebhookSender = (request: {
  url: string;
  payload: Record<string, unknown>;
  operationId: string;
  secret: string;
}) => Promise<WebhookAttempt>;

export type MailSender = (message: MailMessage) => Promise<void>;

export interface DeliveryDeps {
  db: Db;
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  secrets: Pick<SecretBox, 'open'>;
  sendWebhook: WebhookSender;
  /** Absent when the operator configured no SMTP server. */
  sendMail: MailSender | null;
  userEmail: (userId: number) => Promise<string | null>;
  publicUrl: () => string;
  /** The first retry's delay (INTERCHANGE_NOTIFICATIONS_RETRY_SECONDS), doubling after. */
  retrySeconds?: number;
}

export const secretContext = (subscriptionId: string) => `webhook-subscription:${subscriptionId}`;
export const retryLimit = 6;

/**
 * Webhook and email deliveries, each a row of the delivery log worked by a durable job: any
 * instance runs it, a failure is retried with backoff (retryLimit times), and a delivery that
 * reached its target is never sent again (the job finds it delivered). Deliveries the queue
 * never got (recorded while it was stopped, or lost with an instance) are re-queued by the sweep.
 */
export function createDeliveries(deps: DeliveryDeps) {
  const { db, jobs } = deps;

  const job = defineJob({
    name: 'notifications.deliver',
    payload: z.object({ deliveryId: z.string().min(1) }),
    singleton: 'queued-and-running',
    retry: { limit: retryLimit, delaySeconds: deps.retrySeconds ?? 10, backoff: true },
    timeoutSeconds: 120,
    handler: async ({ deliveryId }, context) => {
      const delivery = await deliveries.findDelivery(db, deliveryId);
      if (!delivery || delivery.status !== 'pending') return;
      const notification = await findNotification(db, delivery.notificationId);
      const outcome = notification
        ? await attempt(delivery, notification)
        : { delivered: false, statusCode: null, error: 'notification gone', retryable: false };
      const final = outcome.delivered || !outcome.retryable || context.retryCount >= retryLimit;
      await deliveries.recordAttempt(db, deliveryId, { ...outcome, final });
      if (!final) throw new Error(`delivery ${deliveryId} not yet delivered: ${outcome.error}`);
    },
  });
  jobs.define(job);

  async function attempt(
    delivery: deliveries.DeliveryRow,
    notification: NotificationRow,
  ): Promise<WebhookAttempt> {
    if (delivery.channel === 'webhook') {
      const subscription = await deliveries.findSubscription(db, delivery.target);
      if (!subscription || subscription.customerId !== delivery.customerId) {
        return {
          delivered: false,
          statusCode: null,
          error: 'subscription deleted',
          retryable: false,
        };
      }
      const result = await deps.sendWebhook({
        url: subscription.url,
        payload: webhookPayloadOf(notification),
        operationId: `notification.${notification.id}.${subscription.id}`,
        secret: deps.secrets.open(subscription.secretSealed, secretContext(subscription.id)),
      });
      await deliveries.recordSubscriptionOutcome(db, subscription.id, result.delivered);
      return result;
    }
    return mail(delivery, notification);
  }

  async function mail(
    delivery: deliveries.DeliveryRow,
    notification: NotificationRow,
  ): Promise<WebhookAttempt> {
    const none = (error: string) => ({
      delivered: false,
      statusCode: null,
      error,
      retryable: false,
    });
    if (!deps.sendMail) return none('SMTP is not configured');
    const to = await deps.userEmail(Number(delivery.target.replace(/^user:/, '')));
    if (!to) return none('the user has no email address');
    const link = notification.actionUrl ? `\n\n${deps.publicUrl()}${notification.actionUrl}` : '';
    try {
      await deps.sendMail({
        to,
        subject: `[Interchange] ${notification.message.slice(0, 120)}`,
        text: `${notification.message}${link}\n\n(${notification.type}, event ${notification.eventKey})`,
        messageId: `${notification.id}.${delivery.id}@interchange`,
      });
      return { delivered: true, statusCode: null, error: null, retryable: false };
    } catch (error) {
      const permanent = error instanceof SmtpError && error.permanent;
      const message = error instanceof Error ? error.message : String(error);
      return { delivered: false, statusCode: null, error: message, retryable: !permanent };
    }
  }

  return {
    /** Queues the deliveries now when the queue runs; otherwise the sweep will. */
    async enqueue(ids: string[]): Promise<void> {
      if (!jobs.isStarted()) return;
      for (const deliveryId of ids)
        await jobs.send(job, { deliveryId }, { singletonKey: deliveryId });
    },
    /** Re-queues deliveries still pending a while after they were recorded. */
    async requeueStalled(now: Date): Promise<number> {
      const stalled = await deliveries.pendingBefore(db, new Date(now.getTime() - 60_000), 500);
      await this.enqueue(stalled.map((d) => d.id));
      return stalled.length;
    },
  };
}

export type Deliveries = ReturnType<typeof createDeliveries>;
