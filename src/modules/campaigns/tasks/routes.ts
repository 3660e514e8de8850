import { defineRoute } from '../../../platform/http/route.js';
import {
  pushNotificationAnswer,
  pushNotificationParams,
  taskAnswer,
  taskParams,
} from '../buys/schemas.js';
import type { CampaignsService } from '../service.js';

/** Where sellers push notifications about a buy; built from INTERCHANGE_PUBLIC_URL. */
export const pushNotificationPath = (mediaBuyId: string) =>
  `/api/v2/buyer/webhooks/adcp/media-buys/${encodeURIComponent(mediaBuyId)}`;

/** Buyer tasks (hosted getTask) and the receiver of sellers' AdCP push notifications. */
export function taskRoutes(campaigns: CampaignsService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/buyer/tasks/:taskId',
      operationId: 'getTask',
      summary: 'Get task status',
      description:
        'A seller operation that did not settle in its answer (a create or update the seller took ' +
        'as a task, e.g. awaiting the publisher’s approval) is a task: submitted, working, ' +
        'input-required, completed or failed. Status sync and the seller’s push notifications ' +
        'move it on; poll no faster than retryAfterSeconds.',
      tags: ['Tasks'],
      auth: 'customer',
      params: taskParams,
      response: taskAnswer,
      handler: ({ principal, params }) => campaigns.getTask(principal, params.taskId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/buyer/webhooks/adcp/media-buys/:mediaBuyId',
      operationId: 'receiveMediaBuyNotification',
      summary: 'Receive a seller’s AdCP push notification about a media buy',
      description:
        'Not called with an API key: the notification is authenticated by its RFC 9421 signature ' +
        '(AdCP webhook profile) under the key the buy’s sales agent publishes. An unsigned, ' +
        'forged, replayed or unrelated notification answers 401 and changes nothing.',
      tags: ['Tasks'],
      auth: 'public',
      params: pushNotificationParams,
      response: pushNotificationAnswer,
      handler: ({ params, request }) =>
        campaigns.receivePushNotification(params.mediaBuyId, {
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: request.rawBody ?? '',
        }),
    }),
  ];
}
