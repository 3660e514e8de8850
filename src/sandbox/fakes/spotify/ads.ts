import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeKind, FakeSpotifyObject, FakeSpotifyToken, SpotifyState } from './state.js';

/*
 * The fake Spotify's Ads API v3 for a live token (server.ts checks it), from the v3.0 reference
 * (https://developer.spotify.com/documentation/ads-api/reference/v3.0): Get Ad Accounts for
 * Current User, Get an Ad Account by ID, Get Ad Categories, Create/Get/Update a Campaign, Get
 * Campaigns (name filter: case-insensitive "contains"), Create/Get Ad Sets, Create/Get Ads,
 * Create Asset, Upload Asset (multipart `media` and `asset_type`; PNG/JPEG images, MP3/OGG/WAV
 * audio, 20 MB at most) and Get Aggregate Report (rows per entity and day with
 * `stats[{field_type, field_value}]`, SPEND in the account's currency, continuation_token paging).
 * Required fields follow the reference's request schemas; a refused one answers 400, an ad
 * account the token cannot reach 403, an unknown object 404.
 */

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  raw: Buffer;
  contentType: string;
  grant: FakeSpotifyToken;
}

type Item = Record<string, unknown>;

export const spotifyError = (code: string, message: string) => ({
  error: { code, message },
  sp_trace_id: randomBytes(8).toString('hex'),
  timestamp: new Date().toISOString(),
});

export function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const view = (o: FakeSpotifyObject) => ({ id: o.id, ...o.fields });

const missing = (item: Item, fields: string[]) =>
  fields.find((f) => item[f] === undefined || item[f] === null || item[f] === '');

const utcSeconds = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v);

/** Required fields and checks of each create request, per the reference. */
const rules: Record<Exclude<FakeKind, 'asset'>, (item: Item) => string | undefined> = {
  campaign: (c) =>
    missing(c, ['name', 'objective']) ??
    (String(c.name).length < 2 || String(c.name).length > 200 ? 'name' : undefined),
  ad_set: (s) => {
    const lacking = missing(s, [
      'name',
      'campaign_id',
      'start_time',
      'budget',
      'asset_format',
      'category',
      'targets',
      'bid_strategy',
    ]);
    if (lacking) return lacking;
    if (!utcSeconds(s.start_time) || (s.end_time !== undefined && !utcSeconds(s.end_time))) {
      return 'start_time';
    }
    const budget = s.budget as Item;
    if (
      !Number.isInteger(budget.micro_amount) ||
      !['DAILY', 'LIFETIME'].includes(String(budget.type))
    )
      return 'budget';
    if (budget.type === 'LIFETIME' && !s.end_time) return 'end_time';
    const targets = s.targets as { geo_targets?: unknown; placements?: unknown };
    if (!targets.geo_targets || Array.isArray(targets.geo_targets)) return 'targets.geo_targets';
    if (!Array.isArray(targets.placements) || !targets.placements.length)
      return 'targets.placements';
    if (s.bid_strategy === 'MAX_BID' && !Number.isInteger(s.bid_micro_amount))
      return 'bid_micro_amount';
    return undefined;
  },
  ad: (a) => {
    const lacking = missing(a, [
      'name',
      'ad_set_id',
      'tagline',
      'advertiser_name',
      'assets',
      'call_to_action',
    ]);
    if (lacking) return lacking;
    if (String(a.tagline).length > 40 || String(a.advertiser_name).length > 25) return 'tagline';
    const assets = a.assets as Item;
    const cta = a.call_to_action as Item;
    return missing(assets, ['asset_id', 'logo_asset_id', 'companion_asset_id'])
      ? 'assets'
      : missing(cta, ['key', 'clickthrough_url'])
        ? 'call_to_action'
        : undefined;
  },
};

const collections: Record<string, Exclude<FakeKind, 'asset'>> = {
  campaigns: 'campaign',
  ad_sets: 'ad_set',
  ads: 'ad',
};

export async function adsApi(state: SpotifyState, req: Request, res: ServerResponse) {
  const { method, path, grant, query } = req;
  const bad = (field: string) =>
    reply(res, 400, spotifyError('VALIDATION_ERROR', `Invalid value for ${field}`));
  const notFound = () => reply(res, 404, spotifyError('NOT_FOUND', 'Entity not found'));
  const body = (): Item | undefined => {
    try {
      const parsed = JSON.parse(req.raw.toString() || 'null') as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Item) : undefined;
    } catch {
      return undefined;
    }
  };
  const paged = (key: string, items: Item[]) => {
    const limit = Math.min(Number(query.get('limit') ?? 50), 50, state.pageSize);
    const offset = Number(query.get('offset') ?? 0);
    if (!(limit >= 1) || !(offset >= 0)) return bad('limit');
    return reply(res, 200, {
      paging: { page_size: limit, total_results: items.length, offset },
      [key]: items.slice(offset, offset + limit),
    });
  };

  if (path === '/ad_categories' && method === 'GET') {
    return reply(res, 200, { ad_categories: state.categories });
  }
  const mine = state.accounts.filter((a) => grant.accountIds.includes(a.id));
  if (path === '/ad_accounts' && method === 'GET')
    return paged(
      'ad_accounts',
      mine.map((a) => ({ ...a })),
    );
  const [, accountId, collection, id, action] =
    /^\/ad_accounts\/([^/]+)(?:\/([a-z_]+)(?:\/([^/]+)(?:\/([a-z]+))?)?)?$/.exec(path) ?? [];
  const account = mine.find((a) => a.id === accountId);
  if (!accountId) return notFound();
  if (!account) return reply(res, 403, spotifyError('FORBIDDEN', 'No access to ad account'));
  if (!collection && method === 'GET') return reply(res, 200, account);
  if (collection === 'aggregate_reports' && method === 'GET') return report(state, req, res);
  if (collection === 'assets') return assets(state, req, res, account.id, id, action);
  const kind = collections[collection ?? ''];
  if (!kind) return notFound();
  const own = state.ofKind(kind, account.id);
  if (!id && method === 'POST') {
    const item = body();
    const refused = item ? rules[kind](item) : 'body';
    if (refused) return bad(refused);
    if (
      kind === 'ad_set' &&
      !state.ofKind('campaign', account.id).some((c) => c.id === item!.campaign_id)
    )
      return bad('campaign_id');
    if (kind === 'ad' && !state.ofKind('ad_set', account.id).some((s) => s.id === item!.ad_set_id))
      return bad('ad_set_id');
    const status = kind === 'campaign' ? 'ACTIVE' : 'PENDING_APPROVAL';
    return reply(
      res,
      201,
      view(state.create(kind, account.id, { ...item, status, ad_account_id: account.id })),
    );
  }
  if (!id && method === 'GET') {
    const name = query.get('name')?.toLowerCase();
    const parents = query.getAll(kind === 'ad' ? 'ad_set_ids' : 'campaign_ids');
    const parentOf = (o: FakeSpotifyObject) =>
      o.fields[kind === 'ad' ? 'ad_set_id' : 'campaign_id'];
    const list = own.filter(
      (o) =>
        (!name || String(o.fields.name).toLowerCase().includes(name)) &&
        (!parents.length || kind === 'campaign' || parents.includes(String(parentOf(o)))),
    );
    return paged(collection!, list.map(view));
  }
  const found = own.find((o) => o.id === id);
  if (!found || action) return notFound();
  if (method === 'GET') return reply(res, 200, view(found));
  if (method === 'PATCH') {
    const patch = body();
    if (!patch || !Object.keys(patch).length) return bad('body');
    if (found.fields.status === 'ARCHIVED') return bad('status');
    if (patch.status !== undefined) {
      if (!['ACTIVE', 'PAUSED', 'ARCHIVED'].includes(String(patch.status))) return bad('status');
      found.statuses.push(String(patch.status));
    }
    Object.assign(found.fields, patch);
    return reply(res, 200, view(found));
  }
  return notFound();
}

const assetTypes: Record<string, string[]> = {
  IMAGE: ['image/png', 'image/jpeg'],
  AUDIO: ['audio/ogg', 'audio/mp3', 'audio/wav', 'audio/mpeg', 'audio/x-wav'],
};

async function assets(
  state: SpotifyState,
  req: Request,
  res: ServerResponse,
  accountId: string,
  id: string | undefined,
  action: string | undefined,
) {
  const bad = (field: string) =>
    reply(res, 400, spotifyError('VALIDATION_ERROR', `Invalid value for ${field}`));
  if (!id && req.method === 'POST') {
    let item: Item;
    try {
      item = JSON.parse(req.raw.toString()) as Item;
    } catch {
      return bad('body');
    }
    if (!assetTypes[String(item.asset_type)]) return bad('asset_type');
    if (String(item.name ?? '').length < 2) return bad('name');
    const made = state.create('asset', accountId, { ...item, status: 'WAITING_UPLOAD' });
    return reply(res, 200, view(made));
  }
  const asset = state.ofKind('asset', accountId).find((a) => a.id === id);
  if (!asset) return reply(res, 404, spotifyError('NOT_FOUND', 'Asset not found'));
  if (action !== 'upload' || req.method !== 'POST') return reply(res, 200, view(asset));
  const form = await new Response(req.raw, { headers: { 'content-type': req.contentType } })
    .formData()
    .catch(() => undefined);
  const media = form?.get('media');
  if (!media || typeof media === 'string' || media.size === 0) return bad('media');
  if (form?.get('asset_type') !== asset.fields.asset_type) return bad('asset_type');
  if (!assetTypes[String(asset.fields.asset_type)]!.includes(media.type)) return bad('media');
  if (media.size > 20 * 1024 * 1024) return bad('media');
  asset.file = { bytes: media.size, type: media.type };
  asset.fields.status = 'READY';
  return reply(res, 200, view(asset));
}

/** Aggregate report rows per ad set and day, two rows a page to make the report page. */
function report(state: SpotifyState, req: Request, res: ServerResponse) {
  const q = req.query;
  const token = q.get('continuation_token');
  let params = q;
  let offset = 0;
  if (token) {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString()) as [string, number];
    params = new URLSearchParams(decoded[0]);
    offset = decoded[1];
  }
  const fields = params.getAll('fields');
  const required = ['entity_type', 'granularity', 'report_start', 'report_end'];
  if (!fields.length || required.some((f) => !params.get(f))) {
    return reply(res, 400, spotifyError('VALIDATION_ERROR', 'Missing report parameters'));
  }
  const midnight = (v: string | null) => v !== null && /T00:00:00Z$/.test(v);
  if (!midnight(params.get('report_start')) || !midnight(params.get('report_end'))) {
    return reply(res, 400, spotifyError('VALIDATION_ERROR', 'DAY reports take whole days'));
  }
  const ids = params.getAll('entity_ids');
  const rows = ids.flatMap((id) =>
    (state.delivered.get(id) ?? []).map((figures) => ({
      entity_type: 'AD_SET',
      entity_id: id,
      stats: fields.map((f) => ({
        field_type: f,
        field_value:
          { IMPRESSIONS: figures.impressions, CLICKS: figures.clicks, SPEND: figures.spend }[f] ??
          0,
      })),
    })),
  );
  const page = rows.slice(offset, offset + 2);
  const more = offset + 2 < rows.length;
  return reply(res, 200, {
    granularity: params.get('granularity'),
    report_start: params.get('report_start'),
    report_end: params.get('report_end'),
    rows: page,
    continuation_token: more
      ? Buffer.from(JSON.stringify([params.toString(), offset + 2])).toString('base64url')
      : null,
  });
}
