import { AppError, invalid, notFound } from '../../platform/errors.js';

/** Another customer's notification answers the same as one that never existed. */
export const notificationNotFound = () => notFound('Notification');

export const subscriptionNotFound = () => notFound('Webhook subscription');

export const webhookUrlRefused = (reason: string) => invalid(`url rejected: ${reason}`, 'url');

/** Hosted's delivery preferences set a Slack channel; this deployment connects none. */
export const noDeliveryChannel = () =>
  new AppError(
    'conflict',
    'No Slack channel is connected to this account, so there is nothing to configure: ' +
      'notifications reach you in the inbox, by webhook (buyers) and by email when the operator ' +
      'configured SMTP',
    { code: 'DELIVERY_CHANNEL_NOT_CONNECTED' },
  );

export const tooManySubscriptions = (max: number) =>
  new AppError('conflict', `An account may hold at most ${max} webhook subscriptions`, {
    field: 'url',
  });
