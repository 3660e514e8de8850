import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { catalogsApi } from './catalogs.js';
import { segmentRefusal, socialApi } from './social.js';
import { stats } from './stats.js';
import type { FakeSnapObject, SnapState } from './state.js';
import { reply, snapError, type Request } from './http.js';

/*
 * The fake Snap's Marketing API for a live token (server.ts checks it). Required attributes
 * follow the attribute tables of Snap's "Campaigns", "Ad Squads", "Media", "Creatives" and
 * "Ads" pages (an ad squad's segments: social.ts); a refused object answers HTTP 400 with its
 * sub_request_status ERROR, an ad account the token cannot reach 403, an unknown object 404.
 * A campaign, ad squad or ad made while `loseAnswerOf` names its kind is made, then its
 * connection cut. An account's campaigns, a campaign's ad squads and an ad squad's ads are listed
 * as "API Patterns" describes (list). Stats: stats.ts.
 */

type Item = Record<string, unknown>;

const ok = (res: ServerResponse, plural: string, singular: string, objects: Item[]) =>
  reply(res, 200, {
    request_status: 'SUCCESS',
    request_id: randomBytes(12).toString('hex'),
    [plural]: objects.map((o) => ({ sub_request_status: 'SUCCESS', [singular]: o })),
  });

const refused = (res: ServerResponse, plural: string, reason: string) =>
  reply(res, 400, {
    ...snapError('E1001', reason),
    [plural]: [{ sub_request_status: 'ERROR', sub_request_error_reason: reason }],
  });

const view = (o: FakeSnapObject) => ({
  id: o.id,
  ...o.fields,
  ...(o.deleted && { deleted: true }),
});

function missing(item: Item, fields: string[]) {
  return fields.find((f) => item[f] === undefined || item[f] === null || item[f] === '');
}

/** True when the object just made loses its answer: the connection is cut, nothing comes back. */
function lostAnswer(state: SnapState, kind: FakeSnapObject['kind'], res: ServerResponse) {
  if (state.loseAnswerOf !== kind) return false;
  state.loseAnswerOf = undefined;
  res.socket?.destroy();
  return true;
}

/**
 * "Get Many Entities" ("API Patterns"): the live objects `of` keeps, `limit` (50-1000) a page,
 * the next page's full URL in `paging.next_link` (a cursor).
 */
function list(
  state: SnapState,
  req: Request,
  res: ServerResponse,
  plural: string,
  singular: string,
  of: (o: FakeSnapObject) => boolean,
) {
  const limit = Number(req.query.get('limit') ?? 50);
  if (!(limit >= 50 && limit <= 1000)) {
    return reply(res, 400, snapError('E1001', 'limit must be between 50 and 1000'));
  }
  const all = [...state.objects.values()].filter((o) => !o.deleted && of(o));
  const from = Number(Buffer.from(req.query.get('cursor') ?? '', 'base64url').toString() || 0);
  const next = new URL(`${req.origin}/v1${req.path}`);
  next.searchParams.set('limit', String(limit));
  next.searchParams.set('cursor', Buffer.from(String(from + limit)).toString('base64url'));
  return reply(res, 200, {
    request_status: 'SUCCESS',
    request_id: randomBytes(12).toString('hex'),
    ...(from + limit < all.length && { paging: { next_link: next.toString() } }),
    [plural]: all
      .slice(from, from + limit)
      .map((o) => ({ sub_request_status: 'SUCCESS', [singular]: view(o) })),
  });
}

/** The objects of a write's body (`{ <plural>: [...] }`), or undefined when it has none. */
function itemsOf(req: Request, plural: string): Item[] | undefined {
  try {
    const body = JSON.parse(req.raw.toString() || '{}') as Item;
    return Array.isArray(body[plural]) ? (body[plural] as Item[]) : undefined;
  } catch {
    return undefined;
  }
}

/** GET /me/organizations, with the granted ad accounts of each when asked. */
function organizations(state: SnapState, req: Request, res: ServerResponse) {
  const withAccounts = req.query.get('with_ad_accounts') === 'true';
  return ok(
    res,
    'organizations',
    'organization',
    state.organizations.map((o) => ({
      ...o,
      ...(withAccounts && {
        ad_accounts: state.accounts
          .filter((a) => a.organizationId === o.id && req.grant.accountIds.includes(a.id))
          .map(({ organizationId, ...a }) => ({ ...a, organization_id: organizationId })),
      }),
    })),
  );
}

/** What a call's handler shares: the state, the request, the answer and its helpers. */
interface Call {
  state: SnapState;
  req: Request;
  res: ServerResponse;
  /** The object of `kind` under `id` that the caller's grant reaches, not deleted. */
  mine: (kind: FakeSnapObject['kind'], id: string | undefined) => FakeSnapObject | undefined;
  items: (plural: string) => ReturnType<typeof itemsOf>;
  notFound: () => void;
}

/** /adaccounts/{id}[/campaigns|media|creatives]: an ad account the grant reaches, and its edges. */
function accountApi(
  { state, req, res, mine, items, notFound }: Call,
  id: string | undefined,
  rest: string | undefined,
) {
  const { method, grant } = req;
  const account = state.accounts.find((a) => a.id === id);
  if (!account || !grant.accountIds.includes(account.id)) {
    return reply(res, 403, snapError('E1003', 'Forbidden'));
  }
  if (!rest && method === 'GET') {
    const { organizationId, ...fields } = account;
    return ok(res, 'adaccounts', 'adaccount', [{ ...fields, organization_id: organizationId }]);
  }
  if (rest === 'campaigns' && method === 'GET') {
    return list(
      state,
      req,
      res,
      'campaigns',
      'campaign',
      (o) => o.kind === 'campaign' && o.accountId === account.id,
    );
  }
  if (rest === 'campaigns' && method === 'POST') {
    const [c] = items('campaigns') ?? [];
    const lacking = c ? missing(c, ['ad_account_id', 'name', 'status', 'start_time']) : 'campaigns';
    if (lacking) return refused(res, 'campaigns', `${lacking} is required`);
    if (!['ACTIVE', 'PAUSED'].includes(String(c!.status))) {
      return refused(res, 'campaigns', 'status must be ACTIVE or PAUSED');
    }
    const made = state.create('campaign', account.id, c!);
    if (lostAnswer(state, 'campaign', res)) return;
    return ok(res, 'campaigns', 'campaign', [view(made)]);
  }
  if (rest === 'campaigns' && method === 'PUT') {
    const [c] = items('campaigns') ?? [];
    const found = mine('campaign', String(c?.id ?? ''));
    if (!c || !found) return notFound();
    const lacking = missing(c, ['ad_account_id', 'name', 'status', 'start_time']);
    if (lacking) return refused(res, 'campaigns', `${lacking} is required`);
    Object.assign(found.fields, c);
    return ok(res, 'campaigns', 'campaign', [view(found)]);
  }
  if (rest === 'media' && method === 'POST') {
    const [m] = items('media') ?? [];
    const lacking = m ? missing(m, ['ad_account_id', 'name', 'type']) : 'media';
    if (lacking) return refused(res, 'media', `${lacking} is required`);
    const made = state.create('media', account.id, { ...m, media_status: 'PENDING_UPLOAD' });
    return ok(res, 'media', 'media', [view(made)]);
  }
  if (rest === 'creatives' && method === 'POST')
    return createCreative(state, account.id, items('creatives'), mine, res);
  return notFound();
}

export async function adsApi(state: SnapState, req: Request, res: ServerResponse) {
  if (socialApi(state, req, res)) return;
  if (catalogsApi(state, req, res)) return;
  const { method, path, grant } = req;
  const mine = (kind: FakeSnapObject['kind'], id: string | undefined) => {
    const found = id ? state.objects.get(id) : undefined;
    return found &&
      found.kind === kind &&
      grant.accountIds.includes(found.accountId) &&
      !found.deleted
      ? found
      : undefined;
  };
  const items = (plural: string) => itemsOf(req, plural);
  const notFound = () => reply(res, 404, snapError('E3003', 'Resource not found'));
  const [, first, id, rest] = /^\/([a-z_]+)\/([^/]+)(?:\/([a-z_]+))?$/.exec(path) ?? [];

  if (path === '/me/organizations' && method === 'GET') return organizations(state, req, res);
  if (first === 'adaccounts')
    return accountApi({ state, req, res, mine, items, notFound }, id, rest);
  if (first === 'campaigns') {
    const campaign =
      req.query.get('read_deleted_entities') === 'true' && method === 'GET' && !rest
        ? [...state.objects.values()].find(
            (o) => o.id === id && o.kind === 'campaign' && grant.accountIds.includes(o.accountId),
          )
        : mine('campaign', id);
    if (!campaign) return notFound();
    if (!rest && method === 'GET') return ok(res, 'campaigns', 'campaign', [view(campaign)]);
    if (!rest && method === 'DELETE') {
      campaign.deleted = true;
      return ok(res, 'campaigns', 'campaign', [view(campaign)]);
    }
    if (rest === 'adsquads' && method === 'GET') {
      return list(
        state,
        req,
        res,
        'adsquads',
        'adsquad',
        (o) => o.kind === 'adsquad' && o.fields.campaign_id === campaign.id,
      );
    }
    if (rest === 'adsquads' && method === 'POST')
      return createSquad(state, campaign, items('adsquads'), res);
    if (rest === 'adsquads' && method === 'PUT') {
      // An update replaces the squad whole: what is not sent is gone.
      const [s] = items('adsquads') ?? [];
      const squad = mine('adsquad', String(s?.id ?? ''));
      if (!s || !squad) return notFound();
      const lacking = missing(s, squadFields);
      if (lacking) return refused(res, 'adsquads', `${lacking} is required`);
      if (squad.fields.campaign_id !== campaign.id) return notFound();
      const { id: _id, ...fields } = s;
      squad.fields = fields;
      return ok(res, 'adsquads', 'adsquad', [view(squad)]);
    }
    if (rest === 'stats' && method === 'GET') return stats(state, campaign, req.query, res);
    return notFound();
  }
  if (first === 'media' && rest === 'upload' && method === 'POST') {
    const media = mine('media', id);
    if (!media) return notFound();
    const form = await new Response(req.raw, { headers: { 'content-type': req.contentType } })
      .formData()
      .catch(() => undefined);
    const file = form?.get('file');
    if (!file || typeof file === 'string' || file.size === 0) {
      return reply(res, 400, snapError('E1001', 'file is required'));
    }
    media.file = { bytes: file.size, type: file.type };
    media.fields.media_status = 'READY';
    return reply(res, 200, { request_status: 'SUCCESS', result: view(media) });
  }
  if (first === 'adsquads' && !rest && method === 'GET') {
    const squad = mine('adsquad', id);
    if (!squad) return notFound();
    return ok(res, 'adsquads', 'adsquad', [view(squad)]);
  }
  if (first === 'adsquads' && rest === 'ads' && method === 'GET') {
    const squad = mine('adsquad', id);
    if (!squad) return notFound();
    return list(
      state,
      req,
      res,
      'ads',
      'ad',
      (o) => o.kind === 'ad' && o.fields.ad_squad_id === squad.id,
    );
  }
  if (first === 'adsquads' && rest === 'ads' && method === 'POST') {
    const squad = mine('adsquad', id);
    if (!squad) return notFound();
    const [a] = items('ads') ?? [];
    const lacking = a
      ? missing(a, ['ad_squad_id', 'creative_id', 'name', 'type', 'status'])
      : 'ads';
    if (lacking) return refused(res, 'ads', `${lacking} is required`);
    if (a!.ad_squad_id !== squad.id) return refused(res, 'ads', 'ad_squad_id does not match');
    if (!mine('creative', String(a!.creative_id))) return refused(res, 'ads', 'Creative not found');
    const made = state.create('ad', squad.accountId, a!);
    if (lostAnswer(state, 'ad', res)) return;
    return ok(res, 'ads', 'ad', [view(made)]);
  }
  return notFound();
}

/** What an ad squad must carry, at creation and in a whole update. */
const squadFields = [
  'campaign_id',
  'name',
  'type',
  'placement_v2',
  'optimization_goal',
  'billing_event',
  'targeting',
];

function createSquad(
  state: SnapState,
  campaign: FakeSnapObject,
  list: Item[] | undefined,
  res: ServerResponse,
) {
  const [s] = list ?? [];
  const lacking = s ? missing(s, squadFields) : 'adsquads';
  if (lacking) return refused(res, 'adsquads', `${lacking} is required`);
  if (s!.campaign_id !== campaign.id) return refused(res, 'adsquads', 'campaign_id does not match');
  if (typeof s!.lifetime_budget_micro !== 'number' && typeof s!.daily_budget_micro !== 'number') {
    return refused(
      res,
      'adsquads',
      'one of daily_budget_micro or lifetime_budget_micro must be set',
    );
  }
  if (typeof s!.lifetime_budget_micro === 'number' && !s!.end_time) {
    return refused(res, 'adsquads', 'end_time is required with a lifetime budget');
  }
  if (s!.bid_strategy !== 'AUTO_BID' && typeof s!.bid_micro !== 'number') {
    return refused(res, 'adsquads', 'bid_micro is required');
  }
  const geos = (s!.targeting as { geos?: Array<{ country_code?: unknown }> }).geos ?? [];
  if (
    !geos.length ||
    geos.some((g) => typeof g.country_code !== 'string' || !/^[a-z]{2}$/.test(g.country_code))
  ) {
    return refused(res, 'adsquads', 'targeting.geos needs lower-case country codes');
  }
  const segments = segmentRefusal(state, campaign.accountId, s!.targeting as Item);
  if (segments) return refused(res, 'adsquads', segments);
  const made = state.create('adsquad', campaign.accountId, s!);
  if (lostAnswer(state, 'adsquad', res)) return;
  return ok(res, 'adsquads', 'adsquad', [view(made)]);
}

function createCreative(
  state: SnapState,
  accountId: string,
  list: Item[] | undefined,
  mine: (kind: FakeSnapObject['kind'], id: string | undefined) => FakeSnapObject | undefined,
  res: ServerResponse,
) {
  const [c] = list ?? [];
  const lacking = c
    ? missing(c, ['ad_account_id', 'name', 'type', 'headline', 'top_snap_media_id'])
    : 'creatives';
  if (lacking) return refused(res, 'creatives', `${lacking} is required`);
  if (String(c!.headline).length > 34) return refused(res, 'creatives', 'headline is too long');
  if (typeof c!.brand_name === 'string' && c!.brand_name.length > 32) {
    return refused(res, 'creatives', 'brand_name is too long');
  }
  const media = mine('media', String(c!.top_snap_media_id));
  if (!media || media.fields.media_status !== 'READY') {
    return refused(res, 'creatives', 'top_snap_media_id is not READY media of this account');
  }
  if (c!.type === 'WEB_VIEW' && !(c!.web_view_properties as { url?: unknown } | undefined)?.url) {
    return refused(res, 'creatives', 'web_view_properties.url is required for WEB_VIEW');
  }
  return ok(res, 'creatives', 'creative', [view(state.create('creative', accountId, c!))]);
}
