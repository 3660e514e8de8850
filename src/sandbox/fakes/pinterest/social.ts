import type { ServerResponse } from 'node:http';
import type { Request } from './http.js';
import { reply } from './http.js';
import type { PinterestState } from './state.js';

/*
 * The fake Pinterest's audiences and conversions (API v5 reference, v5/openapi.json):
 * customer lists (POST with `name` and `records` required, GET bookmark-paged, PATCH with
 * `operation_type` ADD or REMOVE and `records`), CUSTOMER_LIST audiences on them (POST with
 * `name`, `audience_type` and `rule`, GET one or the list, PATCH `operation_type: REMOVE`),
 * conversion tags (POST `name`, GET `{items}`) and the Conversions API
 * (POST /ad_accounts/{id}/events, `data` of events with the required event_name,
 * action_source, event_time, event_id and user_data; `?test=true` records nothing). An audience
 * is READY at 100 or more records, TOO_SMALL below. Events are kept once per event_id.
 */

type Item = Record<string, unknown>;

const bad = (res: ServerResponse, message: string) => reply(res, 400, { code: 1, message });
const eventNames = [
  'add_payment_info',
  'add_to_cart',
  'add_to_wishlist',
  'app_install',
  'checkout',
  'custom',
  'initiate_checkout',
  'lead',
  'page_visit',
  'search',
  'signup',
  'subscribe',
  'view_category',
  'view_content',
  'watch_video',
];

const recordsOf = (raw: unknown) =>
  typeof raw === 'string' ? raw.split(',').filter((r) => r.length > 0) : [];

/**
 * Why an ad group's targeting_spec cannot target its audiences (TargetingSpec AUDIENCE_INCLUDE /
 * AUDIENCE_EXCLUDE: ids matching ^\d+$ of audiences in the ad account, each of at least 100
 * people), or undefined when it can. "Create audiences": an ad group references the audience.
 */
export function audienceRefusal(
  state: PinterestState,
  accountId: string,
  targeting: Item,
): string | undefined {
  for (const key of ['AUDIENCE_INCLUDE', 'AUDIENCE_EXCLUDE']) {
    const ids = targeting[key];
    if (ids === undefined || ids === null) continue;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !/^\d+$/.test(id))) {
      return `${key}: invalid value.`;
    }
    for (const id of ids as string[]) {
      const audience = state.audiences.get(id);
      if (!audience || state.objects.get(id)?.accountId !== accountId) {
        return `${key}: audience ${id} not found.`;
      }
      if ((state.listRecords.get(audience.listId)?.size ?? 0) < 100) {
        return `${key}: audience ${id} needs at least 100 people.`;
      }
    }
  }
  return undefined;
}

/** Answers a social call, or returns false when the path is not one. */
export function socialApi(
  state: PinterestState,
  accountId: string,
  rest: string,
  req: Request,
  res: ServerResponse,
): boolean {
  const { method } = req;
  const body = (req.body ?? {}) as Item;
  const audienceView = (id: string) => {
    const a = state.audiences.get(id)!;
    const size = state.listRecords.get(a.listId)?.size ?? 0;
    return {
      id,
      ad_account_id: accountId,
      name: a.name,
      audience_type: 'CUSTOMER_LIST',
      rule: { customer_list_id: a.listId },
      size,
      status: size >= 100 ? 'READY' : 'TOO_SMALL',
    };
  };
  if (rest === '/customer_lists' && method === 'POST') {
    const records = recordsOf(body.records);
    if (!body.name || !records.length) {
      bad(res, 'name and records are required.');
      return true;
    }
    const made = state.create('customer_list', accountId, body);
    state.listRecords.set(made.id, new Set(records));
    reply(res, 200, { id: made.id, ad_account_id: accountId, name: body.name });
    return true;
  }
  if (rest === '/customer_lists' && method === 'GET') {
    const lists = state.ofKind('customer_list', accountId).map((l) => ({
      id: l.id,
      name: l.fields.name,
    }));
    reply(res, 200, { items: lists, bookmark: null });
    return true;
  }
  const list = /^\/customer_lists\/(\d+)$/.exec(rest);
  if (list && method === 'PATCH') {
    const records = state.listRecords.get(list[1]!);
    const owned = state.objects.get(list[1]!)?.accountId === accountId;
    if (!records || !owned) {
      reply(res, 404, { code: 2, message: 'Customer list not found.' });
      return true;
    }
    const given = recordsOf(body.records);
    if (!given.length || !['ADD', 'REMOVE'].includes(String(body.operation_type))) {
      bad(res, 'operation_type and records are required.');
      return true;
    }
    for (const r of given) {
      if (body.operation_type === 'ADD') records.add(r);
      else records.delete(r);
    }
    reply(res, 200, { id: list[1], ad_account_id: accountId });
    return true;
  }
  if (rest === '/audiences' && method === 'POST') {
    const rule = (body.rule ?? {}) as Item;
    const listId = String(rule.customer_list_id ?? '');
    if (!body.name || body.audience_type !== 'CUSTOMER_LIST' || !state.listRecords.has(listId)) {
      bad(
        res,
        'name, audience_type CUSTOMER_LIST and an existing rule.customer_list_id are required.',
      );
      return true;
    }
    const made = state.create('audience', accountId, body);
    state.audiences.set(made.id, { name: String(body.name), listId });
    reply(res, 200, audienceView(made.id));
    return true;
  }
  if (rest === '/audiences' && method === 'GET') {
    const items = [...state.audiences.keys()]
      .filter((id) => state.objects.get(id)?.accountId === accountId)
      .map(audienceView);
    reply(res, 200, { items, bookmark: null });
    return true;
  }
  const audience = /^\/audiences\/(\d+)$/.exec(rest);
  if (audience) {
    const id = audience[1]!;
    if (!state.audiences.has(id) || state.objects.get(id)?.accountId !== accountId) {
      reply(res, 404, { code: 2, message: 'Audience not found.' });
      return true;
    }
    if (method === 'GET') {
      reply(res, 200, audienceView(id));
      return true;
    }
    if (method === 'PATCH' && body.operation_type === 'REMOVE') {
      const view = audienceView(id);
      state.audiences.delete(id);
      state.objects.delete(id);
      reply(res, 200, { ...view, status: 'REMOVED' });
      return true;
    }
  }
  return conversionsApi(state, accountId, rest, req, res);
}

/** Conversion tags (created, listed) and the Conversions API's events (deduplicated by event_id). */
function conversionsApi(
  state: PinterestState,
  accountId: string,
  rest: string,
  req: Request,
  res: ServerResponse,
): boolean {
  const { method } = req;
  const body = (req.body ?? {}) as Item;
  if (rest === '/conversion_tags' && method === 'POST') {
    if (!body.name) {
      bad(res, 'name is required.');
      return true;
    }
    const made = state.create('conversion_tag', accountId, body);
    reply(res, 200, { id: made.id, ad_account_id: accountId, name: body.name, status: 'ACTIVE' });
    return true;
  }
  if (rest === '/conversion_tags' && method === 'GET') {
    const items = state
      .ofKind('conversion_tag', accountId)
      .map((t) => ({ id: t.id, name: t.fields.name }));
    reply(res, 200, { items });
    return true;
  }
  if (rest === '/events' && method === 'POST') {
    const data = Array.isArray(body.data) ? (body.data as Item[]) : [];
    if (!data.length) {
      bad(res, 'data is required.');
      return true;
    }
    const test = req.query.get('test') === 'true';
    const results = data.map((e) => {
      const missing = ['event_name', 'action_source', 'event_time', 'event_id', 'user_data'].find(
        (f) => e[f] === undefined,
      );
      if (missing) return { status: 'failed', error_message: `${missing} is required.` };
      if (!eventNames.includes(String(e.event_name))) {
        return { status: 'failed', error_message: 'event_name: invalid value.' };
      }
      const seen = state.events.some(
        (k) => k.accountId === accountId && k.event.event_id === e.event_id,
      );
      if (!test && !seen) state.events.push({ accountId, event: e });
      return { status: 'processed' };
    });
    reply(res, 200, {
      num_events_received: data.length,
      num_events_processed: results.filter((r) => r.status === 'processed').length,
      events: results,
    });
    return true;
  }
  return false;
}
