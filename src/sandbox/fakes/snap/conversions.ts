import type { ServerResponse } from 'node:http';
import { reply } from './http.js';
import type { SnapState } from './state.js';

/*
 * The fake Snap's Conversions API v3 (https://developers.snap.com/api/marketing-api/
 * Conversions-API: "Using the API", "Parameters", "Verify Set Up"), served under /v3 as
 * tr.snapchat.com serves it:
 * - POST /v3/{pixel_id}/events?access_token=… with `{data: [event…]}`; POST
 *   /v3/{pixel_id}/events/validate (the Test Event Tool) takes the same and counts nothing. The
 *   token is the query's `access_token` (OAuth tokens are accepted, as "Verify Set Up" says of
 *   the test endpoints); the pixel must be of an ad account the token reaches;
 * - each event needs `event_name` (a standard name or CUSTOM_EVENT_1…5), `event_time` (epoch
 *   seconds or milliseconds, at most 37 days back), `action_source` (WEB, MOBILE_APP, OFFLINE;
 *   app events belong to a Snap App ID, not a pixel), `event_source_url` for WEB, `user_data`
 *   matching a Snapchatter (`em`, `ph`, `madid`, `sc_click_id`, or `client_ip_address` with
 *   `client_user_agent`), `em`/`ph` as SHA-256 digests ("Unhashed PII" is INVALID), and for a
 *   PURCHASE a `custom_data` value and currency ("Missing price and/or currency in Purchase
 *   events"). One invalid event refuses the request: 400 `{status: INVALID, reason}`;
 * - events are kept once per pixel and event_id (Snap deduplicates by event_id).
 */

type Item = Record<string, unknown>;

const names = new Set([
  'PAGE_VIEW',
  'VIEW_CONTENT',
  'SEARCH',
  'SHARE',
  'ADD_CART',
  'ADD_TO_WISHLIST',
  'START_CHECKOUT',
  'ADD_BILLING',
  'PURCHASE',
  'SIGN_UP',
  'SUBSCRIBE',
  'START_TRIAL',
  'RESERVE',
  'APP_INSTALL',
  'APP_OPEN',
  'LIST_VIEW',
  'SAVE',
  'LOGIN',
  'INVITE',
  'RATE',
  'COMPLETE_TUTORIAL',
  'LEVEL_COMPLETE',
  'ACHIEVEMENT_UNLOCKED',
  'SPENT_CREDITS',
  'AD_CLICK',
  'AD_VIEW',
  'CUSTOM_EVENT_1',
  'CUSTOM_EVENT_2',
  'CUSTOM_EVENT_3',
  'CUSTOM_EVENT_4',
  'CUSTOM_EVENT_5',
]);
const digest = /^[0-9a-f]{64}$/;
const maxAgeMs = 37 * 86_400_000;

const invalid = (res: ServerResponse, status: number, reason: string) =>
  reply(res, status, { status: 'INVALID', reason });

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Why Snap refuses the event, or null. */
function refusal(e: Item): string | null {
  const missing = ['event_name', 'event_time', 'action_source', 'user_data'].find(
    (f) => e[f] === undefined || e[f] === null || e[f] === '',
  );
  if (missing) return `${missing} is required`;
  if (!names.has(String(e.event_name))) return 'event_name is not a Snap event';
  const raw = Number(e.event_time);
  const ms = raw > 1e12 ? raw : raw * 1000;
  if (!Number.isFinite(ms) || ms < Date.now() - maxAgeMs || ms > Date.now() + 600_000) {
    return 'Timestamp invalid or out of range';
  }
  if (e.action_source === 'MOBILE_APP') return 'app events are sent under a Snap App ID';
  if (!['WEB', 'OFFLINE'].includes(String(e.action_source))) return 'action_source is invalid';
  if (e.action_source === 'WEB' && !e.event_source_url) return 'event_source_url is required';
  const user = e.user_data as Item;
  const hashed = [...listOf(user.em), ...listOf(user.ph)];
  if (hashed.some((v) => typeof v !== 'string' || !digest.test(v))) return 'Unhashed PII';
  const matched =
    hashed.length > 0 ||
    Boolean(user.madid) ||
    Boolean(user.sc_click_id) ||
    Boolean(user.client_ip_address && user.client_user_agent);
  if (!matched) return 'Insufficient PII';
  const custom = (e.custom_data ?? {}) as Item;
  if (e.event_name === 'PURCHASE' && (custom.value === undefined || !custom.currency)) {
    return 'Missing price and/or currency in Purchase events';
  }
  return null;
}

/** Answers a Conversions API call (path under /v3), or returns false when it is not one. */
export function conversionsApi(
  state: SnapState,
  method: string,
  path: string,
  query: URLSearchParams,
  raw: Buffer,
  res: ServerResponse,
): boolean {
  const call = /^\/([^/]+)\/events(\/validate)?$/.exec(path);
  if (!call || method !== 'POST') return false;
  const grant = state.live(query.get('access_token') ?? undefined);
  if (!grant) {
    invalid(res, 401, 'Unauthorized');
    return true;
  }
  const pixel = state.objects.get(call[1]!);
  if (!pixel || pixel.kind !== 'pixel' || !grant.accountIds.includes(pixel.accountId)) {
    invalid(res, 403, 'The token has no access to this pixel');
    return true;
  }
  let body: Item;
  try {
    body = JSON.parse(raw.toString() || '{}') as Item;
  } catch {
    invalid(res, 400, 'The body is not JSON');
    return true;
  }
  const data = Array.isArray(body.data) ? (body.data as Item[]) : [];
  if (!data.length) {
    invalid(res, 400, 'data is required');
    return true;
  }
  const refused = data.map(refusal).find((r) => r !== null);
  if (refused) {
    invalid(res, 400, refused);
    return true;
  }
  const test = Boolean(call[2]);
  for (const event of data) {
    const seen = state.events.some(
      (k) => !k.test && k.pixelId === pixel.id && k.event.event_id === event.event_id,
    );
    if (test || !seen) state.events.push({ pixelId: pixel.id, test, event });
  }
  reply(res, 200, { status: test ? 'VALID' : 'SUCCESS', reason: '' });
  return true;
}
