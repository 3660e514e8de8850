import type { ServerResponse } from 'node:http';
import type { Request } from './http.js';
import { error, page, reply } from './http.js';
import type { FakeRedditAccount, FakeRedditAudience, RedditState } from './state.js';

/*
 * The fake Reddit's audiences, pixels and Conversions API (Ads API v3,
 * https://ads-api.reddit.com/docs/v3/: "Create Custom Audience", "List User Custom Audiences",
 * "Get Custom Audience", "Update Custom Audience Users", "Delete Custom Audience", "List Pixels
 * By Ad Account", "Post Conversion Events"; the shapes as Reddit's OpenAPI description has them
 * (read in the Stainless-generated client github.com/selalipop/reddit-ad-sdk, src/resources/
 * custom-audiences.ts, ad-accounts/custom-audiences.ts, ad-accounts/ad-accounts.ts), and the
 * Conversions API body as Reddit's own server-side tag sends it (github.com/reddit/
 * reddit-ss-gtm-template, template.tpl)):
 * - POST /ad_accounts/{id}/custom_audiences `{data: {name, type: CUSTOMER_LIST}}` makes an empty
 *   audience; GET lists them (page.size / page.token, pagination.next_url);
 * - PATCH /custom_audiences/{id}/users `{data: {action_type: ADD|REMOVE, column_order:
 *   [EMAIL_SHA256|MAID_SHA256…], user_data: [[…]]}}`, at most 2,500 rows, each value a SHA-256
 *   hex digest; answered 204;
 * - GET /custom_audiences/{id}: `status` VALID from 1,000 matched people, NOT_ENOUGH_MATCHES_ERROR
 *   below (PENDING while empty), `size_range_lower` / `size_range_upper` (here both the member
 *   count: the fake matches everyone); DELETE answers 204;
 * - GET /ad_accounts/{id}/pixels: the account's one pixel (no call makes another);
 * - POST /pixels/{id}/conversion_events `{data: {events, test_id?, partner?, partner_version?}}`:
 *   each event's event_at (epoch milliseconds), action_source (WEBSITE, APP, PHYSICAL_STORE,
 *   OTHER), type.tracking_type (custom_event_name for CUSTOM), a match key (click_id, a hashed
 *   email or phone, external_id, uuid, idfa/aaid, or ip_address with user_agent), metadata;
 *   an unknown field is refused whole (400), as Reddit does; events are kept once per pixel,
 *   conversion_id and event type; with test_id they go to the test view only. Answered
 *   `{data: {message}}`;
 * - an ad group's targeting.custom_audience_ids / excluded_custom_audience_ids (the ad group's
 *   Targeting in the same OpenAPI reading): audienceRefusal below.
 */

type Item = Record<string, unknown>;

const digest = /^[0-9a-f]{64}$/;
const columns = ['EMAIL_SHA256', 'MAID_SHA256'];
const actionSources = ['WEBSITE', 'APP', 'PHYSICAL_STORE', 'OTHER'];
const trackingTypes = [
  'PAGE_VISIT',
  'VIEW_CONTENT',
  'SEARCH',
  'ADD_TO_CART',
  'ADD_TO_WISHLIST',
  'PURCHASE',
  'LEAD',
  'SIGN_UP',
  'CUSTOM',
];
const fields = {
  request: ['events', 'test_id', 'partner', 'partner_version'],
  event: ['event_at', 'action_source', 'type', 'click_id', 'event_source_url', 'metadata', 'user'],
  user: [
    'email',
    'phone_number',
    'external_id',
    'ip_address',
    'user_agent',
    'uuid',
    'idfa',
    'aaid',
    'screen_dimensions',
    'data_processing_options',
    'opt_out',
  ],
  metadata: ['conversion_id', 'value', 'value_decimal', 'currency', 'item_count', 'products'],
};

const dataOf = (req: Request) => ((req.body as Item | undefined)?.data ?? {}) as Item;
const unknownIn = (item: Item, known: string[]) =>
  Object.keys(item).find((k) => !known.includes(k));

function audienceView(id: string, a: FakeRedditAudience) {
  const size = a.members.size;
  return {
    id,
    ad_account_id: a.accountId,
    name: a.name,
    type: 'CUSTOMER_LIST',
    status: size === 0 ? 'PENDING' : size >= 1000 ? 'VALID' : 'NOT_ENOUGH_MATCHES_ERROR',
    size_range_lower: size,
    size_range_upper: size,
    created_at: a.createdAt,
    modified_at: a.createdAt,
  };
}

/**
 * Why an ad group's targeting cannot hold its custom audiences, or undefined when it can: each
 * list holds audience ids, each a custom audience of the ad group's ad account that is VALID now
 * (one still PENDING or NOT_ENOUGH_MATCHES_ERROR is refused, as an unknown or another account's).
 */
export function audienceRefusal(
  state: RedditState,
  accountId: string,
  targeting: Item,
): string | undefined {
  for (const key of ['custom_audience_ids', 'excluded_custom_audience_ids']) {
    const ids = targeting[key];
    if (ids === undefined || ids === null) continue;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      return `targeting.${key}: must be a list of ids`;
    }
    for (const id of ids as string[]) {
      const audience = state.audiences.get(id);
      if (!audience || audience.accountId !== accountId) {
        return `targeting.${key}: custom audience ${id} not found`;
      }
      const { status } = audienceView(id, audience);
      if (status !== 'VALID') return `targeting.${key}: custom audience ${id} is ${status}`;
    }
  }
  return undefined;
}

/** Answers a social call, or returns false when the path is not one. */
export function socialApi(
  state: RedditState,
  req: Request,
  res: ServerResponse,
  reachable: FakeRedditAccount[],
): boolean {
  return route(state, req, res, reachable) !== false;
}

function route(
  state: RedditState,
  req: Request,
  res: ServerResponse,
  reachable: FakeRedditAccount[],
): false | void {
  const { method, path } = req;
  const reaches = (accountId: string) => reachable.some((a) => a.id === accountId);
  const owned = /^\/ad_accounts\/([^/]+)\/(custom_audiences|pixels)$/.exec(path);
  if (owned) {
    if (!reaches(owned[1]!)) return error(res, 403, 'Forbidden');
    const accountId = owned[1]!;
    if (owned[2] === 'pixels' && method === 'GET') {
      const pixels = state.pixels.filter((p) => p.accountId === accountId);
      return page(req, res, state, pixels);
    }
    if (owned[2] === 'custom_audiences' && method === 'GET') {
      const items = [...state.audiences.entries()]
        .filter(([, a]) => a.accountId === accountId)
        .map(([id, a]) => audienceView(id, a));
      return page(req, res, state, items);
    }
    if (owned[2] === 'custom_audiences' && method === 'POST') {
      const data = dataOf(req);
      const unknown = unknownIn(data, ['name', 'type']);
      if (unknown) return error(res, 400, `JSON error "unknown field" on field "${unknown}"`);
      if (!data.name || data.type !== 'CUSTOMER_LIST') {
        return error(res, 400, 'name and type CUSTOMER_LIST are required');
      }
      const id = state.newId();
      const audience = {
        accountId,
        name: String(data.name),
        members: new Set<string>(),
        createdAt: new Date().toISOString(),
      };
      state.audiences.set(id, audience);
      if (state.loseAnswerOf === '/custom_audiences') {
        state.loseAnswerOf = undefined;
        res.socket?.destroy();
        return;
      }
      return reply(res, 200, { data: audienceView(id, audience) });
    }
    return error(res, 405, 'Method Not Allowed');
  }
  const audience = /^\/custom_audiences\/([^/]+)(\/users)?$/.exec(path);
  if (audience) {
    const id = audience[1]!;
    const found = state.audiences.get(id);
    if (!found || !reaches(found.accountId)) return error(res, 404, 'Not Found');
    if (audience[2] && method === 'PATCH') return changeUsers(state, id, found, req, res);
    if (!audience[2] && method === 'GET') {
      return reply(res, 200, { data: audienceView(id, found) });
    }
    if (!audience[2] && method === 'DELETE') {
      state.audiences.delete(id);
      res.writeHead(204);
      res.end();
      return;
    }
    return error(res, 405, 'Method Not Allowed');
  }
  const conversions = /^\/pixels\/([^/]+)\/conversion_events$/.exec(path);
  if (conversions && method === 'POST') {
    const pixel = state.pixels.find((p) => p.id === conversions[1]);
    if (!pixel) return error(res, 404, 'Not Found');
    if (!reaches(pixel.accountId)) return error(res, 403, 'Forbidden');
    return postEvents(state, pixel.id, req, res);
  }
  return false;
}

function changeUsers(
  state: RedditState,
  id: string,
  audience: FakeRedditAudience,
  req: Request,
  res: ServerResponse,
) {
  const data = dataOf(req);
  const order = Array.isArray(data.column_order) ? (data.column_order as unknown[]) : [];
  const rows = Array.isArray(data.user_data) ? (data.user_data as unknown[]) : [];
  if (!['ADD', 'REMOVE'].includes(String(data.action_type))) {
    return error(res, 400, 'action_type: must be ADD or REMOVE');
  }
  if (
    !order.length ||
    order.some((c) => !columns.includes(String(c))) ||
    new Set(order).size !== order.length
  ) {
    return error(res, 400, 'column_order: EMAIL_SHA256 and/or MAID_SHA256, once each');
  }
  if (!rows.length || rows.length > 2500) {
    return error(res, 400, 'user_data: between 1 and 2,500 entries');
  }
  for (const row of rows) {
    if (
      !Array.isArray(row) ||
      row.length !== order.length ||
      row.some((v) => !digest.test(String(v)))
    ) {
      return error(res, 400, 'user_data: each entry holds SHA-256 digests in column_order');
    }
  }
  for (const row of rows as string[][]) {
    for (const [i, value] of row.entries()) {
      const member = `${String(order[i])}:${value}`;
      if (data.action_type === 'ADD') audience.members.add(member);
      else audience.members.delete(member);
    }
  }
  state.audienceUploads.push({
    audienceId: id,
    action: String(data.action_type),
    columns: order.map(String),
    rows: rows.length,
  });
  res.writeHead(204);
  res.end();
}

/** Why Reddit refuses the event, or undefined. */
function refusal(event: Item): string | undefined {
  const unknown = unknownIn(event, fields.event);
  if (unknown) return `JSON error "unknown field" on field "${unknown}"`;
  if (!Number.isInteger(event.event_at) || (event.event_at as number) < 1e12) {
    return 'event_at: milliseconds since the epoch are required';
  }
  if (!actionSources.includes(String(event.action_source))) return 'invalid action_source';
  const type = (event.type ?? {}) as Item;
  if (!trackingTypes.includes(String(type.tracking_type))) return 'invalid tracking_type';
  if (type.tracking_type === 'CUSTOM' && !type.custom_event_name) {
    return 'custom_event_name is required for CUSTOM';
  }
  const user = (event.user ?? {}) as Item;
  const metadata = (event.metadata ?? {}) as Item;
  const badUser = unknownIn(user, fields.user);
  const badMeta = unknownIn(metadata, fields.metadata);
  if (badUser ?? badMeta) return `JSON error "unknown field" on field "${badUser ?? badMeta}"`;
  for (const hashed of ['email', 'phone_number']) {
    if (user[hashed] !== undefined && !digest.test(String(user[hashed]))) {
      return `user.${hashed}: a SHA-256 digest is expected`;
    }
  }
  if (metadata.value !== undefined && typeof metadata.value !== 'number') {
    return 'metadata.value: must be a number';
  }
  const keyed =
    event.click_id ||
    ['email', 'phone_number', 'external_id', 'uuid', 'idfa', 'aaid'].some((k) => user[k]) ||
    (user.ip_address && user.user_agent);
  return keyed ? undefined : 'the event has no match key';
}

function postEvents(state: RedditState, pixelId: string, req: Request, res: ServerResponse) {
  const data = dataOf(req);
  const unknown = unknownIn(data, fields.request);
  if (unknown) return error(res, 400, `JSON error "unknown field" on field "${unknown}"`);
  const events = Array.isArray(data.events) ? (data.events as Item[]) : [];
  if (!events.length || events.length > 1000) {
    return error(res, 400, 'events: between 1 and 1,000 are required');
  }
  for (const event of events) {
    const why = refusal(event);
    if (why) return error(res, 400, why);
  }
  const keyOf = (e: Item) => {
    const type = e.type as Item;
    const id = (e.metadata as Item | undefined)?.conversion_id;
    return id
      ? `${String(id)}|${String(type.tracking_type)}|${String(type.custom_event_name)}`
      : null;
  };
  for (const event of events) {
    if (typeof data.test_id === 'string' && data.test_id) {
      state.testConversions.push({ pixelId, testId: data.test_id, event });
      continue;
    }
    const key = keyOf(event);
    const seen =
      key && state.conversions.some((c) => c.pixelId === pixelId && keyOf(c.event) === key);
    if (!seen) state.conversions.push({ pixelId, event });
  }
  reply(res, 200, { data: { message: `Successfully processed ${events.length} events` } });
}
