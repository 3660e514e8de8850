import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderEvent } from '../contract.js';
import { ProviderError } from '../errors.js';
import { conversionsCustomData, conversionsUserData } from '../shared/conversions-api.js';
import { providerSender } from '../shared/provider-http.js';

/*
 * Snap's Conversions API v3 (https://developers.snap.com/api/marketing-api/Conversions-API:
 * "Using the API", "Parameters", "Verify Set Up"), on a host of its own (tr.snapchat.com/v3):
 * POST /{pixel_id}/events?access_token=… with `{data: [event…]}`, each event its `event_name`
 * (Snap's standard names, CUSTOM_EVENT_1…5), `event_time` (epoch seconds), `event_id` (what Snap
 * deduplicates by), `action_source` (WEB or OFFLINE at a pixel; app events go to a Snap App ID,
 * which a connection does not have), `event_source_url`, `user_data` (`em`, `ph` SHA-256 digests,
 * `client_ip_address`, `client_user_agent`, `sc_click_id`) and `custom_data` (`value`, `currency`,
 * `order_id`, `content_ids`). A test goes to POST /{pixel_id}/events/validate instead (Snap's
 * Test Event Tool: checked, shown in Events Manager, not counted). Snap documents the token in
 * the query; our outbound client logs hosts only, never a URL. Events may be 37 days old at most.
 */

/** AdCP event types in Snap's standard event names. */
export const snapEvents: Record<string, string> = {
  page_view: 'PAGE_VIEW',
  view_content: 'VIEW_CONTENT',
  search: 'SEARCH',
  share: 'SHARE',
  add_to_cart: 'ADD_CART',
  add_to_wishlist: 'ADD_TO_WISHLIST',
  initiate_checkout: 'START_CHECKOUT',
  add_payment_info: 'ADD_BILLING',
  purchase: 'PURCHASE',
  complete_registration: 'SIGN_UP',
  subscribe: 'SUBSCRIBE',
  start_trial: 'START_TRIAL',
  schedule: 'RESERVE',
  app_install: 'APP_INSTALL',
  app_launch: 'APP_OPEN',
};
const snapNames = new Set(Object.values(snapEvents));
const customName = /^custom_event_[1-5]$/i;

/** Events per call: log_event's own cap (1,000), under what Snap takes. */
const eventsPerCall = 1000;

/** Where the event happened, as a pixel takes it. */
const actionSource = (event: ProviderEvent) =>
  event.actionSource === 'website' ? 'WEB' : 'OFFLINE';

/** Why Snap would refuse the event (and with it its whole batch); null when it can be sent. */
export function snapRefusal(event: ProviderEvent): string | null {
  if (event.actionSource === 'app') {
    return 'Snap takes app events under a Snap App ID, not a pixel: send web or offline events';
  }
  if (!snapNames.has(event.name) && !customName.test(event.name)) {
    return `Snap has no ${event.name} event: send it as custom with custom_event_name CUSTOM_EVENT_1 to CUSTOM_EVENT_5`;
  }
  if (event.name === 'PURCHASE' && (event.value === null || !event.currency)) {
    return 'Snap takes a purchase only with custom_data.value and custom_data.currency';
  }
  if (actionSource(event) === 'WEB' && !event.sourceUrl) {
    return 'Snap takes a website event only with its event_source_url';
  }
  return null;
}

function snapEvent(event: ProviderEvent) {
  const { user } = event;
  return {
    event_name: customName.test(event.name) ? event.name.toUpperCase() : event.name,
    event_time: event.time,
    event_id: event.eventId,
    action_source: actionSource(event),
    ...(event.sourceUrl && { event_source_url: event.sourceUrl }),
    user_data: {
      ...conversionsUserData(user),
      ...(user.clickId && { sc_click_id: user.clickId }),
    },
    custom_data: conversionsCustomData(event),
  };
}

/** The Conversions API's answer as an error: its status (VALID, INVALID) and HTTP status only. */
function conversionsError(status: number, body: { status?: unknown }): ProviderError | null {
  if (status >= 200 && status < 300 && body.status !== 'INVALID') return null;
  if (status === 429) {
    return new ProviderError('RATE_LIMITED', 'Snap is rate limiting this app; retry shortly', {
      retryable: true,
      retryAfterSeconds: 5,
    });
  }
  if (status >= 500) {
    return new ProviderError('SERVICE_UNAVAILABLE', 'Snap is temporarily unavailable', {
      retryable: true,
    });
  }
  // The Marketing API still takes the grant; only this pixel refused it: no reconnect is asked.
  if (status === 401 || status === 403) {
    return new ProviderError(
      'AUTH_REQUIRED',
      "Snap's Conversions API refused the connection's authorization for this pixel",
    );
  }
  return new ProviderError('INVALID_REQUEST', "Snap's Conversions API refused these events");
}

export interface SnapConversions {
  /** Sends the events to the pixel (its Test Event Tool when `test`); answers how many went. */
  send(pixelId: string, token: string, events: ProviderEvent[], test: boolean): Promise<number>;
}

export function createSnapConversions(
  fetch: OutboundFetch,
  conversionsUrl: string,
  rateLimitRetryMs = 1000,
): SnapConversions {
  // A resent batch counts once: Snap deduplicates by event_id.
  const post = providerSender(fetch, {
    provider: 'Snap',
    rateLimitRetryMs,
    errorOf: (status, body) => conversionsError(status, body as { status?: unknown }),
  });
  return {
    async send(pixelId, token, events, test) {
      let sent = 0;
      for (let i = 0; i < events.length; i += eventsPerCall) {
        const batch = events.slice(i, i + eventsPerCall);
        const url = new URL(
          `${conversionsUrl}/${encodeURIComponent(pixelId)}/events${test ? '/validate' : ''}`,
        );
        url.searchParams.set('access_token', token);
        await post(url.toString(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ data: batch.map(snapEvent) }),
        });
        sent += batch.length;
      }
      return sent;
    },
  };
}
