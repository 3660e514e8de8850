import { parseLossless, stringifyLossless } from '../../../platform/lossless-json.js';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AmazonState, FakeAmazonObject, FakeAmazonToken, FakeKind } from './state.js';

/*
 * The fake Amazon Ads API for a live token (server.ts checks it and the scope). Required fields
 * follow the Sponsored Display requests of Amazon's Postman collection and reference
 * (campaigns: name, budgetType daily, budget, startDate YYYYMMDD, costType cpc|vcpm, tactic,
 * state; ad groups: name, campaignId, defaultBid, bidOptimization — reach for vcpm; product ads
 * to an off-Amazon landing page: landingPageURL, landingPageType OFF_AMAZON_LINK, adName, one per
 * ad group; creatives: headline, brandLogo and rectCustomImage naming registered assets). Writes
 * answer 207 with one `{code, <kind>Id, description}` per object. Reporting v3 queues a report,
 * answers it PENDING for `reportPollsUntilReady` polls, then COMPLETED with a file URL; an
 * identical request while one is not yet completed answers 425 naming it.
 */

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  raw: Buffer;
  grant: FakeAmazonToken;
  /** The Amazon-Advertising-API-Scope profile, checked against the grant. */
  scope: number | null;
}

type Item = Record<string, unknown>;

export const amazonError = (code: string, details: string) => ({ code, details });

export function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(stringifyLossless(wire(body)));
}

const idField: Record<FakeKind, string> = {
  campaign: 'campaignId',
  adGroup: 'adGroupId',
  productAd: 'adId',
  creative: 'creativeId',
};
const collection: Record<string, FakeKind> = {
  '/sd/campaigns': 'campaign',
  '/sd/adGroups': 'adGroup',
  '/sd/productAds': 'productAd',
  '/sd/creatives': 'creative',
};

/** Ids go out as JSON numbers (int64), exactly: digit strings under an id's name become bigints. */
const wire = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(wire);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      /Id$/.test(k) && typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : wire(v),
    ]),
  );
};

const view = (o: FakeAmazonObject) => ({ [idField[o.kind]]: o.id, ...o.fields });
const isDay = (v: unknown) => typeof v === 'string' && /^\d{8}$/.test(v);
const isIsoDay = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

export async function adsApi(state: AmazonState, req: Request, res: ServerResponse, base: string) {
  const { method, path, grant, scope, query } = req;
  if (method === 'GET' && path === '/v2/profiles') {
    return reply(
      res,
      200,
      state.profiles.filter((p) => grant.profileIds.includes(p.profileId)),
    );
  }
  const profileMatch = /^\/v2\/profiles\/(\d+)$/.exec(path);
  if (method === 'GET' && profileMatch) {
    const found = state.profiles.find(
      (p) => p.profileId === Number(profileMatch[1]) && grant.profileIds.includes(p.profileId),
    );
    return found
      ? reply(res, 200, found)
      : reply(res, 404, amazonError('NOT_FOUND', 'No such profile'));
  }
  if (scope === null) {
    return reply(
      res,
      400,
      amazonError('INVALID_ARGUMENT', 'Amazon-Advertising-API-Scope is required'),
    );
  }
  let body: unknown;
  try {
    // int64 ids read exactly (as digit strings), as Amazon's own parser reads them.
    body = parseLossless(req.raw.toString() || 'null');
  } catch {
    return reply(res, 400, amazonError('INVALID_ARGUMENT', 'Malformed JSON'));
  }
  const mine = (kind: FakeKind, id: unknown) => {
    const found = state.objects.get(String(id));
    return found && found.kind === kind && found.profileId === scope ? found : undefined;
  };
  const kind = collection[path];
  if (kind && method === 'GET') {
    const states = (query.get('stateFilter') ?? 'enabled,paused,archived').split(',');
    const filters: Array<[string, string | null]> = [
      ['name', query.get('name')],
      ['campaignId', query.get('campaignIdFilter')],
      ['adGroupId', query.get('adGroupIdFilter')],
    ];
    const listed = state
      .ofKind(kind, scope)
      .filter((o) => kind === 'creative' || states.includes(String(o.fields.state)))
      .filter((o) => filters.every(([f, v]) => v === null || String(o.fields[f]) === v));
    return reply(res, 200, listed.map(view));
  }
  if (kind && (method === 'POST' || method === 'PUT')) {
    if (!Array.isArray(body) || body.length === 0 || body.length > 100) {
      return reply(
        res,
        400,
        amazonError('INVALID_ARGUMENT', 'A list of 1 to 100 objects is required'),
      );
    }
    const answers = (body as Item[]).map((item) =>
      method === 'POST' ? create(state, kind, scope, item, mine) : update(kind, item, mine),
    );
    if (method === 'POST' && state.loseNextCreate === kind) {
      state.loseNextCreate = null;
      return res.destroy();
    }
    return reply(res, 207, answers);
  }
  const one = /^\/sd\/campaigns\/(\d+)$/.exec(path);
  if (method === 'GET' && one) {
    const found = mine('campaign', one[1]);
    return found
      ? reply(res, 200, view(found))
      : reply(res, 404, amazonError('NOT_FOUND', 'Not found'));
  }
  if (method === 'POST' && path === '/assets/upload') {
    const filename = (body as Item | null)?.filename;
    if (typeof filename !== 'string')
      return reply(res, 400, amazonError('INVALID_ARGUMENT', 'filename'));
    return reply(res, 200, {
      url: `${base}/s3/${randomUUID()}-${encodeURIComponent(filename)}?X-Amz-Expires=3600&X-Amz-Signature=${randomUUID()}`,
    });
  }
  if (method === 'POST' && path === '/assets/register') {
    const asset = (body ?? {}) as Item;
    const upload =
      typeof asset.url === 'string' ? state.uploads.get(new URL(asset.url).pathname) : undefined;
    if (!upload || asset.assetType !== 'IMAGE' || typeof asset.name !== 'string') {
      return reply(
        res,
        400,
        amazonError('INVALID_ARGUMENT', 'No uploaded file at url, or assetType'),
      );
    }
    const assetId = state.newAsset(asset.assetSubTypeList, upload);
    return reply(res, 200, { assetId, versionId: 'version_v1', failedSpecChecks: [] });
  }
  if (path.startsWith('/reporting/reports')) return reporting(state, req, body, res, base, scope);
  return reply(res, 404, amazonError('NOT_FOUND', `No resource ${path}`));
}

type Mine = (kind: FakeKind, id: unknown) => FakeAmazonObject | undefined;

function create(state: AmazonState, kind: FakeKind, profileId: number, item: Item, mine: Mine) {
  const refuse = (description: string) => ({ code: 'INVALID_ARGUMENT', description });
  if (kind === 'campaign') {
    if (
      typeof item.name !== 'string' ||
      item.budgetType !== 'daily' ||
      !(Number(item.budget) >= 1)
    ) {
      return refuse('name, budgetType daily and a budget of at least 1 are required');
    }
    if (!isDay(item.startDate) || (item.endDate !== undefined && !isDay(item.endDate))) {
      return refuse('startDate and endDate are YYYYMMDD');
    }
    if (
      !['cpc', 'vcpm'].includes(String(item.costType)) ||
      !['T00020', 'T00030'].includes(String(item.tactic))
    ) {
      return refuse('costType and tactic');
    }
  } else if (kind === 'adGroup') {
    const campaign = mine('campaign', item.campaignId);
    if (!campaign || typeof item.name !== 'string' || !(Number(item.defaultBid) > 0)) {
      return refuse('campaignId, name and defaultBid are required');
    }
    if (campaign.fields.costType === 'vcpm' && item.bidOptimization !== 'reach') {
      return refuse('vcpm campaigns optimize for reach');
    }
  } else if (kind === 'productAd') {
    const group = mine('adGroup', item.adGroupId);
    if (!group || group.fields.campaignId !== item.campaignId)
      return refuse('adGroupId and campaignId');
    if (
      item.landingPageType !== 'OFF_AMAZON_LINK' ||
      typeof item.landingPageURL !== 'string' ||
      !item.adName
    ) {
      return refuse('landingPageURL, landingPageType OFF_AMAZON_LINK and adName are required');
    }
    if (state.ofKind('productAd', profileId).some((a) => a.fields.adGroupId === item.adGroupId)) {
      return refuse('An ad group with a landing page URL takes one product ad');
    }
  } else {
    const props = (item.properties ?? {}) as Record<
      string,
      { assetId?: string } | string | undefined
    >;
    const asset = (v: unknown) =>
      typeof v === 'object' && v !== null && state.assets.has(String((v as Item).assetId));
    if (
      !mine('adGroup', item.adGroupId) ||
      typeof props.headline !== 'string' ||
      props.headline.length > 50
    ) {
      return refuse('adGroupId and a headline of at most 50 characters are required');
    }
    if (!asset(props.brandLogo) || !asset(props.rectCustomImage)) {
      return refuse('brandLogo and rectCustomImage must name registered assets');
    }
  }
  const made = state.create(kind, profileId, item);
  return { code: 'SUCCESS', [idField[kind]]: made.id };
}

function update(kind: FakeKind, item: Item, mine: Mine) {
  const found = mine(kind, item[idField[kind]]);
  if (!found) return { code: 'NOT_FOUND', description: 'No such object' };
  if (found.fields.state === 'archived')
    return { code: 'INVALID_ARGUMENT', description: 'Archived' };
  if (item.state !== undefined && !['enabled', 'paused', 'archived'].includes(String(item.state))) {
    return { code: 'INVALID_ARGUMENT', description: 'state' };
  }
  if (item.budget !== undefined && !(Number(item.budget) >= 1)) {
    return { code: 'INVALID_ARGUMENT', description: 'budget' };
  }
  for (const day of ['startDate', 'endDate']) {
    if (item[day] !== undefined && !isDay(item[day])) {
      return { code: 'INVALID_ARGUMENT', description: day };
    }
  }
  Object.assign(found.fields, item);
  return { code: 'SUCCESS', [idField[kind]]: found.id };
}

function reporting(
  state: AmazonState,
  req: Request,
  body: unknown,
  res: ServerResponse,
  base: string,
  profileId: number,
) {
  const got = /^\/reporting\/reports\/([0-9a-f-]+)$/.exec(req.path);
  if (req.method === 'GET' && got) {
    const report = state.reports.get(got[1]!);
    if (!report || report.profileId !== profileId)
      return reply(res, 404, { code: '404', detail: 'Not found' });
    report.polls += 1;
    if (report.pollsLeft > 0) report.pollsLeft -= 1;
    else report.done = true;
    const done = report.done;
    return reply(res, 200, {
      reportId: report.reportId,
      status: done ? 'COMPLETED' : 'PENDING',
      url: done ? `${base}/report-files/${report.reportId}.json.gz` : null,
      fileSize: null,
      ...report.body,
    });
  }
  if (req.method !== 'POST' || req.path !== '/reporting/reports') {
    return reply(res, 404, { code: '404', detail: 'Not found' });
  }
  const r = (body ?? {}) as Item;
  const config = (r.configuration ?? {}) as Item;
  const span = (Date.parse(String(r.endDate)) - Date.parse(String(r.startDate))) / 86_400_000;
  if (
    !isIsoDay(r.startDate) ||
    !isIsoDay(r.endDate) ||
    !(span >= 0 && span <= 30) ||
    config.adProduct !== 'SPONSORED_DISPLAY' ||
    config.reportTypeId !== 'sdAdGroup' ||
    config.format !== 'GZIP_JSON' ||
    !Array.isArray(config.columns)
  ) {
    return reply(res, 400, { code: '400', detail: 'Invalid report configuration' });
  }
  const same = [...state.reports.values()].find(
    (x) => x.profileId === profileId && JSON.stringify(x.body) === JSON.stringify(r) && !x.done,
  );
  if (same) {
    return reply(res, 425, {
      code: '425',
      detail: `The Request is a duplicate of : ${same.reportId}`,
    });
  }
  const report = state.newReport(profileId, r);
  return reply(res, 200, { reportId: report.reportId, status: 'PENDING', url: null, ...r });
}
