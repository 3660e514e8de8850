import type { ServerResponse } from 'node:http';
import { catalogsApi } from './catalogs.js';
import { audienceRefusal, socialApi } from './social.js';
import type { FakeKind, FakeRedditObject, RedditState } from './state.js';
import { reply, error, page, type Request } from './http.js';

/*
 * The fake Reddit's Ads API v3 for a live token (server.ts checks it). Required fields follow
 * the v3 reference: a campaign's name (3+ characters), objective and configured_status; an ad
 * group's campaign_id, name, bid_strategy and bid_type (a bid_value for MANUAL_BIDDING), its
 * goal and, when end_time is set, start_time (its custom audiences: social.ts); a post's type,
 * headline and, for an IMAGE post, one content item with media_url and destination_url; an ad's
 * ad_group_id, name, configured_status and post_id. Money is in micro-units; lists page with
 * page.size and page.token and name the next page's full URL in pagination.next_url.
 */

type Item = Record<string, unknown>;

const statuses = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'];
const objectives = ['IMPRESSIONS', 'CLICKS', 'CONVERSIONS', 'VIDEO_VIEWABLE_IMPRESSIONS'];

function missing(item: Item, fields: string[]) {
  return fields.find((f) => item[f] === undefined || item[f] === null || item[f] === '');
}

const view = (o: FakeRedditObject) => ({ id: o.id, ad_account_id: o.accountId, ...o.fields });

export function adsApi(state: RedditState, req: Request, res: ServerResponse) {
  const { method, path, grant } = req;
  const reachable = state.accounts.filter((a) => grant.accountIds.includes(a.id));
  if (path === '/me/businesses' && method === 'GET') {
    const mine = state.businesses.filter((b) => reachable.some((a) => a.businessId === b.id));
    return page(req, res, state, mine);
  }
  const business = /^\/businesses\/([^/]+)\/ad_accounts$/.exec(path);
  if (business && method === 'GET') {
    const accounts = reachable.filter((a) => a.businessId === business[1]);
    return page(
      req,
      res,
      state,
      accounts.map(({ profileId: _p, businessId, ...a }) => ({ ...a, business_id: businessId })),
    );
  }
  if (socialApi(state, req, res, reachable)) return;
  if (catalogsApi(state, req, res, reachable)) return;
  const post = /^\/profiles\/([^/]+)\/posts$/.exec(path);
  if (post && method === 'POST') {
    const account = reachable.find((a) => a.profileId === post[1]);
    if (!account) return error(res, 403, 'Forbidden');
    const data = ((req.body as Item | undefined)?.data ?? {}) as Item;
    const lacking = missing(data, ['type', 'headline']);
    if (lacking) return error(res, 400, `${lacking} is required`);
    const content = Array.isArray(data.content) ? (data.content as Item[]) : [];
    if (
      data.type === 'IMAGE' &&
      (content.length !== 1 || !content[0]!.media_url || !content[0]!.destination_url)
    ) {
      return error(
        res,
        400,
        'An IMAGE post needs one content item with media_url and destination_url',
      );
    }
    const made = state.create('post', account.id, { ...data, profile_id: post[1] });
    return reply(res, 200, { data: view(made) });
  }
  const campaign = /^\/campaigns\/(\d+)$/.exec(path);
  if (campaign) {
    const found = state.objects.get(campaign[1]!);
    if (!found || found.kind !== 'campaign' || !grant.accountIds.includes(found.accountId)) {
      return error(res, 404, 'Campaign not found');
    }
    if (method === 'GET') return reply(res, 200, { data: view(found) });
    if (method === 'PATCH') {
      const data = ((req.body as Item | undefined)?.data ?? {}) as Item;
      if (
        data.configured_status !== undefined &&
        !statuses.includes(String(data.configured_status))
      ) {
        return error(res, 400, 'configured_status: invalid value');
      }
      Object.assign(found.fields, data);
      return reply(res, 200, { data: view(found) });
    }
  }
  const group = /^\/ad_groups\/(\d+)$/.exec(path);
  if (group && method === 'PATCH') {
    const found = state.objects.get(group[1]!);
    if (!found || found.kind !== 'ad_group' || !grant.accountIds.includes(found.accountId)) {
      return error(res, 404, 'Ad group not found');
    }
    const data = ((req.body as Item | undefined)?.data ?? {}) as Item;
    if (data.goal_value !== undefined && typeof data.goal_value !== 'number') {
      return error(res, 400, 'goal_value: must be a number');
    }
    Object.assign(found.fields, data);
    return reply(res, 200, { data: view(found) });
  }
  const match = /^\/ad_accounts\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return error(res, 404, 'Not Found');
  const account = reachable.find((a) => a.id === match[1]);
  if (!account) return error(res, 403, 'Forbidden');
  const rest = match[2] ?? '';
  if (rest === '' && method === 'GET') {
    const { profileId: _p, businessId, ...fields } = account;
    return reply(res, 200, { data: { ...fields, business_id: businessId } });
  }
  if (rest === '/profiles' && method === 'GET') {
    const profiles = account.profileId ? [{ id: account.profileId, name: account.name }] : [];
    return page(req, res, state, profiles);
  }
  if (rest === '/reports' && method === 'POST') return report(state, account.id, req, res);
  const kinds: Record<string, FakeKind> = {
    '/campaigns': 'campaign',
    '/ad_groups': 'ad_group',
    '/ads': 'ad',
  };
  const kind = kinds[rest];
  if (!kind) return error(res, 404, 'Not Found');
  if (method === 'GET') {
    const filters = ['campaign_id', 'ad_group_id'].flatMap((f) =>
      req.query.get(f) ? [[f, req.query.get(f)!] as const] : [],
    );
    const items = state
      .ofKind(kind, account.id)
      .filter((o) => filters.every(([f, v]) => o.fields[f] === v))
      .map(view);
    return page(req, res, state, items);
  }
  if (method !== 'POST') return error(res, 405, 'Method Not Allowed');
  if (account.suspension_reason) return error(res, 403, 'The ad account is suspended');
  const data = ((req.body as Item | undefined)?.data ?? {}) as Item;
  const refusal = create[kind](state, account.id, data);
  if (refusal) return error(res, 400, refusal);
  const made = state.create(kind, account.id, data);
  if (state.loseAnswerOf === rest) {
    // Made at Reddit, but the answer never arrives: the connection is cut.
    state.loseAnswerOf = undefined;
    res.socket?.destroy();
    return;
  }
  return reply(res, 200, { data: view(made) });
}

const mine = (state: RedditState, accountId: string, kind: FakeKind, id: unknown) => {
  const found = state.objects.get(String(id));
  return found && found.kind === kind && found.accountId === accountId ? found : undefined;
};

/** Why Reddit refuses the object, or undefined when it is made. */
const create: Record<
  FakeKind,
  (state: RedditState, accountId: string, item: Item) => string | undefined
> = {
  campaign(_state, _accountId, item) {
    const lacking = missing(item, ['name', 'objective', 'configured_status']);
    if (lacking) return `${lacking} is required`;
    if (String(item.name).length < 3) return 'name: must be at least 3 characters';
    if (!objectives.includes(String(item.objective))) return 'objective: invalid value';
    if (!statuses.includes(String(item.configured_status)))
      return 'configured_status: invalid value';
    return undefined;
  },
  ad_group(state, accountId, item) {
    const lacking = missing(item, ['campaign_id', 'name', 'bid_strategy', 'bid_type']);
    if (lacking) return `${lacking} is required`;
    if (!mine(state, accountId, 'campaign', item.campaign_id)) return 'campaign_id: not found';
    if (item.bid_strategy === 'MANUAL_BIDDING' && typeof item.bid_value !== 'number') {
      return 'bid_value is required for MANUAL_BIDDING';
    }
    if (item.goal_type !== undefined && typeof item.goal_value !== 'number') {
      return 'goal_value is required with goal_type';
    }
    if (item.end_time && !item.start_time) return 'start_time is required when end_time is set';
    const targeting = (item.targeting ?? {}) as Item;
    if (targeting.geolocations !== undefined && !Array.isArray(targeting.geolocations)) {
      return 'targeting.geolocations: must be a list';
    }
    return audienceRefusal(state, accountId, targeting);
  },
  ad(state, accountId, item) {
    const lacking = missing(item, ['ad_group_id', 'name', 'configured_status', 'post_id']);
    if (lacking) return `${lacking} is required`;
    if (!mine(state, accountId, 'ad_group', item.ad_group_id)) return 'ad_group_id: not found';
    if (!mine(state, accountId, 'post', item.post_id)) return 'post_id: not found';
    return undefined;
  },
  post: () => 'posts are made under /profiles/{id}/posts',
};

function report(state: RedditState, accountId: string, req: Request, res: ServerResponse) {
  const data = ((req.body as Item | undefined)?.data ?? {}) as Item;
  for (const field of ['starts_at', 'ends_at', 'fields']) {
    if (!data[field]) return error(res, 400, `${field} is required`);
  }
  const hourly = (v: unknown) => /T\d\d:00:00(\.000)?Z$/.test(String(v));
  if (!hourly(data.starts_at) || !hourly(data.ends_at)) {
    return error(res, 400, 'starts_at and ends_at must be whole hours');
  }
  const breakdowns = Array.isArray(data.breakdowns) ? data.breakdowns : [];
  if (!breakdowns.includes('AD_GROUP_ID')) return reply(res, 200, { data: { metrics: [] } });
  const metrics = state.ofKind('ad_group', accountId).flatMap((g) => {
    const f = state.delivered.get(g.id);
    return f
      ? [{ ad_group_id: g.id, impressions: f.impressions, clicks: f.clicks, spend: f.spendMicros }]
      : [];
  });
  return reply(res, 200, { data: { metrics }, pagination: { next_url: null } });
}
