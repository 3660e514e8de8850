import type { ServerResponse } from 'node:http';
import { ok, refuse } from './envelope.js';
import type { FakeTikTokObject, TikTokState } from './state.js';
import type { Handler } from './writes.js';

/*
 * The fake TikTok's lists of an advertiser's ad objects ("Get campaigns", docs?id=1739315828649986;
 * "Get ad groups", docs?id=1739314558673922; "Get ads", docs?id=1735735588640770): numbered pages
 * (`page`, `page_size` up to 1000, `page_info`), deleted objects left out, and `filtering` (a
 * JSON object in the query) by ids (`campaign_ids`, `adgroup_ids`, `ad_ids`, at most 100 each)
 * and, for campaigns and ad groups, by name (`campaign_name`, `adgroup_name`: a fuzzy match,
 * here a case-insensitive "contains").
 */

type Input = Record<string, unknown>;

const ids = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);

function paged(res: ServerResponse, input: Input, list: unknown[]) {
  const size = Number(input.page_size ?? 10);
  const page = Number(input.page ?? 1);
  if (!(size >= 1 && size <= 1000)) return refuse(res, 40002, 'page_size: must be 1-1000.');
  ok(res, {
    list: list.slice((page - 1) * size, page * size),
    page_info: {
      page,
      page_size: size,
      total_number: list.length,
      total_page: Math.max(1, Math.ceil(list.length / size)),
    },
  });
}

/** The advertiser's objects of `kind` the filter keeps, or why TikTok refuses the filter. */
function filtered(
  state: TikTokState,
  advertiserId: string,
  kind: FakeTikTokObject['kind'],
  input: Input,
  keep: Record<string, (o: FakeTikTokObject, value: unknown) => boolean>,
): FakeTikTokObject[] | string {
  const filtering = (input.filtering ?? {}) as Input;
  if (typeof filtering !== 'object' || Array.isArray(filtering)) {
    return 'filtering: Not a valid mapping type.';
  }
  let list = state.ofKind(kind, advertiserId).filter((o) => o.fields.operation_status !== 'DELETE');
  for (const [field, value] of Object.entries(filtering)) {
    const test = keep[field];
    if (!test) continue;
    if (Array.isArray(value) && value.length > 100) return `filtering.${field}: at most 100.`;
    list = list.filter((o) => test(o, value));
  }
  return list;
}

const inIds = (of: (o: FakeTikTokObject) => unknown) => (o: FakeTikTokObject, value: unknown) =>
  ids(value)?.includes(String(of(o))) ?? true;
const named = (field: string) => (o: FakeTikTokObject, value: unknown) =>
  String(o.fields[field] ?? '')
    .toLowerCase()
    .includes(String(value).toLowerCase());

export const lists: Record<string, Handler> = {
  'GET /campaign/get'(state, advertiserId, input, res) {
    const found = filtered(state, advertiserId, 'campaign', input, {
      campaign_ids: inIds((o) => o.id),
      campaign_name: named('campaign_name'),
    });
    if (typeof found === 'string') return refuse(res, 40002, found);
    paged(
      res,
      input,
      found.map((c) => ({
        campaign_id: c.id,
        advertiser_id: advertiserId,
        campaign_name: c.fields.campaign_name,
        objective_type: c.fields.objective_type,
        operation_status: c.fields.operation_status,
        secondary_status:
          c.fields.operation_status === 'DISABLE'
            ? 'CAMPAIGN_STATUS_DISABLE'
            : 'CAMPAIGN_STATUS_ENABLE',
      })),
    );
  },
  'GET /adgroup/get'(state, advertiserId, input, res) {
    const found = filtered(state, advertiserId, 'adgroup', input, {
      campaign_ids: inIds((o) => o.fields.campaign_id),
      adgroup_ids: inIds((o) => o.id),
      adgroup_name: named('adgroup_name'),
    });
    if (typeof found === 'string') return refuse(res, 40002, found);
    paged(
      res,
      input,
      found.map((g) => ({
        adgroup_id: g.id,
        advertiser_id: advertiserId,
        campaign_id: g.fields.campaign_id,
        adgroup_name: g.fields.adgroup_name,
        budget: g.fields.budget,
        operation_status: g.fields.operation_status,
      })),
    );
  },
  'GET /ad/get'(state, advertiserId, input, res) {
    const groupOf = (o: FakeTikTokObject) => state.objects.get(String(o.fields.adgroup_id));
    const found = filtered(state, advertiserId, 'ad', input, {
      campaign_ids: inIds((o) => groupOf(o)?.fields.campaign_id),
      adgroup_ids: inIds((o) => o.fields.adgroup_id),
      ad_ids: inIds((o) => o.id),
    });
    if (typeof found === 'string') return refuse(res, 40002, found);
    paged(
      res,
      input,
      found.map((a) => ({
        ad_id: a.id,
        advertiser_id: advertiserId,
        adgroup_id: a.fields.adgroup_id,
        campaign_id: groupOf(a)?.fields.campaign_id,
        ad_name: a.fields.ad_name,
        operation_status: a.fields.operation_status ?? 'ENABLE',
      })),
    );
  },
};
