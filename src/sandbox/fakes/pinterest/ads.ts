import type { ServerResponse } from 'node:http';
import { catalogsApi } from './catalogs.js';
import { audienceRefusal, socialApi } from './social.js';
import type { PinterestState } from './state.js';
import { reply, type Request } from './http.js';

/*
 * The fake Pinterest's ads API for a live token (server.ts checks it): the fields each call
 * requires follow the v5 reference (CampaignCreateRequest, AdGroupCreateRequest,
 * AdCreateRequest, PinCreate, ad_groups/analytics; an ad group's audiences: social.ts). Bulk
 * writes answer HTTP 200 with a refused
 * object's `exceptions`, as Pinterest does (a create whose answer `loseNextAnswer` took is made,
 * then answered 500); an ad account the user has no role on is 403 code 29, and a write without
 * a buying role (Owner, Admin, Campaign Manager) too. Campaigns, ad groups and ads are listed
 * as "List campaigns", "List ad groups" and "List ads" describe (listObjects).
 */

type Item = Record<string, unknown>;

const noAccess = (res: ServerResponse) =>
  reply(res, 403, { code: 29, message: 'You are not permitted to access that resource.' });

const buyingRoles = ['OWNER', 'ADMIN', 'CAMPAIGN_MANAGER'];
const statuses = ['ACTIVE', 'PAUSED', 'ARCHIVED'];

function missing(item: Item, fields: string[]) {
  return fields.find((f) => item[f] === undefined || item[f] === null || item[f] === '');
}

const refused = (code: number, message: string) => ({
  data: null,
  exceptions: [{ code, message }],
});

export function adsApi(state: PinterestState, req: Request, res: ServerResponse) {
  const { method, path, grant } = req;
  if (path === '/ad_accounts' && method === 'GET') return listAccounts(state, req, res);
  if (catalogsApi(state, req, res)) return;
  if (path === '/media' && method === 'POST') {
    if ((req.body as Item | undefined)?.media_type !== 'video') {
      return reply(res, 400, { code: 1, message: 'media_type: invalid value.' });
    }
    const id = String(state.media.size + 8_000_001);
    const key = `uploads/${id}/video`;
    state.media.set(id, { key, status: 'registered', bytes: 0 });
    return reply(res, 201, {
      media_id: id,
      media_type: 'video',
      upload_url: `${req.origin}/media-upload/`,
      upload_parameters: { key, policy: 'eyJleHBpcmF0aW9uIjoi', 'x-amz-signature': 'f00d' },
    });
  }
  const media = /^\/media\/(\d+)$/.exec(path);
  if (media && method === 'GET') {
    const found = state.media.get(media[1]!);
    if (!found) return reply(res, 404, { code: 2, message: 'Media not found.' });
    // Processing ends at the next look once the file is stored.
    const status = found.status;
    if (found.status === 'processing') found.status = 'succeeded';
    return reply(res, 200, { media_id: media[1], media_type: 'video', status });
  }
  if (path === '/pins' && method === 'POST') {
    const accountId = req.query.get('ad_account_id') ?? '';
    if (!grant.accountIds.includes(accountId)) return noAccess(res);
    const pin = (req.body ?? {}) as Item;
    const source = (pin.media_source ?? {}) as Item;
    const video = source.source_type === 'video_id';
    if (video && state.media.get(String(source.media_id))?.status !== 'succeeded') {
      return reply(res, 400, { code: 1, message: 'media_source: the video is not processed.' });
    }
    if (video && !source.cover_image_url && source.cover_image_key_frame_time === undefined) {
      return reply(res, 400, { code: 1, message: 'media_source: a video needs a cover.' });
    }
    if (!video && (source.source_type !== 'image_url' || typeof source.url !== 'string')) {
      return reply(res, 400, { code: 1, message: 'media_source: image_url needs a url.' });
    }
    const made = state.create('pin', accountId, pin);
    return reply(res, 201, { id: made.id, ...pin, board_id: pin.board_id ?? null });
  }
  const match = /^\/ad_accounts\/(\d+)(\/.*)?$/.exec(path);
  if (!match) return reply(res, 404, { code: 3, message: 'Not found.' });
  const accountId = match[1]!;
  const account = state.accounts.find((a) => a.id === accountId);
  if (!account || !grant.accountIds.includes(accountId)) return noAccess(res);
  const rest = match[2] ?? '';
  if (rest === '' && method === 'GET') return reply(res, 200, account);
  if (method !== 'GET' && !account.permissions.some((r) => buyingRoles.includes(r))) {
    return noAccess(res);
  }
  if (socialApi(state, accountId, rest, req, res)) return;
  const items = Array.isArray(req.body) ? (req.body as Item[]) : [];
  if (method !== 'GET' && !items.length) {
    return reply(res, 400, { code: 1, message: 'The request body must be a list of objects.' });
  }
  const campaign = /^\/campaigns\/(\d+)$/.exec(rest);
  if (campaign && method === 'GET') {
    const found = state.objects.get(campaign[1]!);
    if (!found || found.kind !== 'campaign' || found.accountId !== accountId) {
      return reply(res, 404, { code: 2, message: 'Campaign not found.' });
    }
    return reply(res, 200, { id: found.id, type: 'campaign', ...found.fields });
  }
  const listed = lists[rest];
  if (listed && method === 'GET') return listObjects(state, accountId, listed, req, res);
  const write = writes[`${method} ${rest}`];
  if (write) {
    const answers = items.map((i) => write(state, accountId, i));
    if (method === 'POST' && state.takeLostAnswer(path)) {
      // Made at Pinterest, but the answer is lost on its way back.
      return reply(res, 500, { code: 1, message: 'Internal server error.' });
    }
    return reply(res, 200, { items: answers });
  }
  if (rest === '/ad_groups/analytics' && method === 'GET') {
    return analytics(state, accountId, req, res);
  }
  return reply(res, 404, { code: 3, message: 'Not found.' });
}

function listAccounts(state: PinterestState, req: Request, res: ServerResponse) {
  const size = Math.min(Number(req.query.get('page_size') ?? 25), state.maxPageSize);
  const from = Number(Buffer.from(req.query.get('bookmark') ?? '', 'base64').toString() || 0);
  const mine = state.accounts.filter((a) => req.grant.accountIds.includes(a.id));
  const page = mine.slice(from, from + size);
  const more = from + size < mine.length;
  return reply(res, 200, {
    items: page.map((a) => ({ ...a, owner: { username: 'acme' } })),
    bookmark: more ? Buffer.from(String(from + size)).toString('base64') : null,
  });
}

/** The lists of an ad account's objects, and the query parameter naming their parents. */
const lists: Record<string, { kind: 'campaign' | 'ad_group' | 'ad'; parent?: [string, string] }> = {
  '/campaigns': { kind: 'campaign' },
  '/ad_groups': { kind: 'ad_group', parent: ['campaign_ids', 'campaign_id'] },
  '/ads': { kind: 'ad', parent: ['ad_group_ids', 'ad_group_id'] },
};

/**
 * "List campaigns", "List ad groups", "List ads": `entity_statuses` (ACTIVE and PAUSED unless
 * named), the parents' ids, `order` by id (ASCENDING unless DESCENDING), `page_size` (1-250,
 * default 25) and a `bookmark` to the next page.
 */
function listObjects(
  state: PinterestState,
  accountId: string,
  { kind, parent }: (typeof lists)[string],
  req: Request,
  res: ServerResponse,
) {
  const q = req.query;
  const size = Number(q.get('page_size') ?? 25);
  if (!(size >= 1 && size <= 250)) {
    return reply(res, 400, { code: 1, message: 'page_size: must be 1-250.' });
  }
  const statuses = q.getAll('entity_statuses').flatMap((s) => s.split(','));
  const wanted = statuses.length ? statuses : ['ACTIVE', 'PAUSED'];
  const parents = parent ? q.getAll(parent[0]).flatMap((s) => s.split(',')) : [];
  const all = state
    .ofKind(kind, accountId)
    .filter((o) => wanted.includes(String(o.fields.status ?? 'ACTIVE')))
    .filter((o) => !parents.length || parents.includes(String(o.fields[parent![1]])))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  if (q.get('order') === 'DESCENDING') all.reverse();
  const from = Number(Buffer.from(q.get('bookmark') ?? '', 'base64').toString() || 0);
  const page = all.slice(from, from + size);
  return reply(res, 200, {
    items: page.map((o) => ({ id: o.id, ad_account_id: accountId, ...o.fields })),
    bookmark: from + size < all.length ? Buffer.from(String(from + size)).toString('base64') : null,
  });
}

const mine = (
  state: PinterestState,
  accountId: string,
  kind: 'campaign' | 'ad_group' | 'pin',
  id: unknown,
) => {
  const found = state.objects.get(String(id));
  return found && found.kind === kind && found.accountId === accountId ? found : undefined;
};

const writes: Record<string, (state: PinterestState, accountId: string, item: Item) => unknown> = {
  'POST /campaigns'(state, accountId, item) {
    const lacking = missing(item, ['ad_account_id', 'name', 'objective_type']);
    if (lacking) return refused(1, `${lacking} is required.`);
    if (item.status !== undefined && !statuses.includes(String(item.status))) {
      return refused(1, 'status: invalid value.');
    }
    const made = state.create('campaign', accountId, { status: 'ACTIVE', ...item });
    return { data: { id: made.id, ...made.fields }, exceptions: [] };
  },
  'PATCH /campaigns'(state, accountId, item) {
    const found = mine(state, accountId, 'campaign', item.id);
    if (!found) return refused(2, 'Campaign not found.');
    if (item.status !== undefined && !statuses.includes(String(item.status))) {
      return refused(1, 'status: invalid value.');
    }
    Object.assign(found.fields, item);
    return { data: { id: found.id, ...found.fields }, exceptions: [] };
  },
  'POST /ad_groups'(state, accountId, item) {
    const lacking = missing(item, ['campaign_id', 'name', 'billable_event', 'targeting_spec']);
    if (lacking) return refused(1, `${lacking} is required.`);
    if (!mine(state, accountId, 'campaign', item.campaign_id)) {
      return refused(2, 'Campaign not found.');
    }
    if (typeof item.budget_in_micro_currency !== 'number') {
      return refused(1, 'budget_in_micro_currency is required for a campaign without CBO.');
    }
    if (item.budget_type === 'LIFETIME' && typeof item.end_time !== 'number') {
      return refused(1, 'end_time is required for a LIFETIME budget.');
    }
    if (item.bid_strategy_type === 'MAX_BID' && typeof item.bid_in_micro_currency !== 'number') {
      return refused(1, 'bid_in_micro_currency is required for MAX_BID.');
    }
    const targeting = item.targeting_spec as { LOCATION?: unknown; GEO?: unknown };
    if (!Array.isArray(targeting.LOCATION) && !Array.isArray(targeting.GEO)) {
      return refused(1, 'At least one of LOCATION or GEO must be specified.');
    }
    const audiences = audienceRefusal(state, accountId, targeting as Item);
    if (audiences) return refused(1, audiences);
    const made = state.create('ad_group', accountId, item);
    return { data: { id: made.id, type: 'adgroup', ...made.fields }, exceptions: [] };
  },
  'PATCH /ad_groups'(state, accountId, item) {
    const found = mine(state, accountId, 'ad_group', item.id);
    if (!found) return refused(2, 'Ad group not found.');
    const campaign = mine(state, accountId, 'campaign', found.fields.campaign_id);
    const end = item.end_time ?? found.fields.end_time;
    if (
      campaign &&
      typeof campaign.fields.end_time === 'number' &&
      Number(end) > campaign.fields.end_time
    ) {
      return refused(1, 'The ad group cannot end after its campaign.');
    }
    Object.assign(found.fields, item);
    return { data: { id: found.id, type: 'adgroup', ...found.fields }, exceptions: [] };
  },
  'POST /ads'(state, accountId, item) {
    const lacking = missing(item, ['ad_group_id', 'creative_type', 'pin_id']);
    if (lacking) return refused(1, `${lacking} is required.`);
    if (!mine(state, accountId, 'ad_group', item.ad_group_id)) {
      return refused(2, 'Ad group not found.');
    }
    if (!mine(state, accountId, 'pin', item.pin_id)) return refused(2, 'Pin not found.');
    const made = state.create('ad', accountId, item);
    return { data: { id: made.id, type: 'ad', ...made.fields }, exceptions: [] };
  },
};

function analytics(state: PinterestState, accountId: string, req: Request, res: ServerResponse) {
  const q = req.query;
  for (const field of ['start_date', 'end_date', 'ad_group_ids', 'columns', 'granularity']) {
    if (!q.get(field)) return reply(res, 400, { code: 1, message: `${field} is required.` });
  }
  const start = Date.parse(q.get('start_date')!);
  if (start < Date.now() - 91 * 86_400_000 || Date.parse(q.get('end_date')!) < start) {
    return reply(res, 400, { code: 1, message: 'Invalid date range.' });
  }
  const ids = q.get('ad_group_ids')!.split(',');
  if (ids.some((id) => !mine(state, accountId, 'ad_group', id))) {
    return reply(res, 400, { code: 2, message: 'Ad group not found.' });
  }
  const columns = q.get('columns')!.split(',');
  const rows = ids.flatMap((id) => {
    const f = state.delivered.get(id);
    if (!f) return [];
    const all: Record<string, number> = {
      PAID_IMPRESSION: f.impressions,
      CLICKTHROUGH_1: f.clicks,
      SPEND_IN_MICRO_DOLLAR: f.spendMicros,
    };
    return [{ AD_GROUP_ID: id, ...Object.fromEntries(columns.map((c) => [c, all[c] ?? 0])) }];
  });
  return reply(res, 200, rows);
}
