import type { ServerResponse } from 'node:http';
import { ok, refuse } from './envelope.js';
import { audienceRefusal } from './social.js';
import type { TikTokState } from './state.js';

/*
 * The fake TikTok's Marketing API calls for one advertiser the token may manage (server.ts has
 * the envelope, the token and the advertiser check). Required fields follow the v1.3 references
 * of each endpoint; a missing one is code 40002 as TikTok answers it, as is an ad group's
 * audience the advertiser does not have (social.ts).
 */

type Input = Record<string, unknown>;
export type Handler = (
  state: TikTokState,
  advertiserId: string,
  input: Input,
  res: ServerResponse,
) => void;

function missing(input: Input, fields: string[]) {
  return fields.find((f) => input[f] === undefined || input[f] === '' || input[f] === null);
}

const required = (res: ServerResponse, field: string) =>
  refuse(res, 40002, `${field}: Missing data for required field.`);

const mine = (
  state: TikTokState,
  advertiserId: string,
  kind: 'campaign' | 'adgroup',
  id: unknown,
) => {
  const found = state.objects.get(String(id));
  return found && found.kind === kind && found.advertiserId === advertiserId ? found : undefined;
};

export const writes: Record<string, Handler> = {
  'GET /tool/region'(state, _a, _input, res) {
    ok(res, {
      region_info: Object.entries(state.regions).map(([code, id]) => ({
        location_id: id,
        name: code,
        region_code: code,
        level: 'COUNTRY',
        area_type: 'ADMIN',
      })),
    });
  },
  'GET /identity/get'(state, advertiserId, _input, res) {
    const list = state.ofKind('identity', advertiserId).map((i) => ({
      identity_id: i.id,
      identity_type: 'CUSTOMIZED_USER',
      display_name: i.fields.display_name,
    }));
    ok(res, {
      identity_list: list,
      page_info: { page: 1, page_size: 100, total_number: list.length, total_page: 1 },
    });
  },
  'POST /identity/create'(state, advertiserId, input, res) {
    const lacking = missing(input, ['display_name']);
    if (lacking) return required(res, lacking);
    ok(res, { identity_id: state.create('identity', advertiserId, input).id });
  },
  'POST /file/image/ad/upload'(state, advertiserId, input, res) {
    if (input.upload_type !== 'UPLOAD_BY_URL' || !input.image_url)
      return required(res, 'image_url');
    const image = state.create('image', advertiserId, input);
    ok(res, { image_id: image.id, material_id: image.id, image_url: input.image_url });
  },
  'POST /file/video/ad/upload'(state, advertiserId, input, res) {
    if (input.upload_type !== 'UPLOAD_BY_URL' || !input.video_url)
      return required(res, 'video_url');
    const video = state.create('video', advertiserId, input);
    ok(res, [
      { video_id: video.id, material_id: video.id, duration: 15, width: 1080, height: 1920 },
    ]);
  },
  'POST /campaign/create'(state, advertiserId, input, res) {
    const lacking = missing(input, ['campaign_name', 'objective_type', 'budget_mode']);
    if (lacking) return required(res, lacking);
    const fields = { operation_status: 'ENABLE', ...input };
    ok(res, { campaign_id: state.create('campaign', advertiserId, fields).id });
  },
  'POST /campaign/status/update'(state, advertiserId, input, res) {
    const ids = Array.isArray(input.campaign_ids) ? input.campaign_ids.map(String) : [];
    if (!ids.length) return required(res, 'campaign_ids');
    if (!['ENABLE', 'DISABLE', 'DELETE'].includes(String(input.operation_status))) {
      return refuse(res, 40002, 'operation_status: Invalid enum value.');
    }
    const found = ids.map((id) => mine(state, advertiserId, 'campaign', id));
    if (found.some((c) => !c)) return refuse(res, 40002, 'Campaign not found');
    for (const c of found) c!.fields.operation_status = input.operation_status;
    ok(res, { campaign_ids: ids, status: input.operation_status });
  },
  'POST /adgroup/create'(state, advertiserId, input, res) {
    const lacking = missing(input, [
      'campaign_id',
      'adgroup_name',
      'placement_type',
      'location_ids',
      'budget_mode',
      'schedule_type',
      'schedule_start_time',
      'optimization_goal',
      'billing_event',
    ]);
    if (lacking) return required(res, lacking);
    if (!mine(state, advertiserId, 'campaign', input.campaign_id)) {
      return refuse(res, 40002, 'campaign_id: Campaign does not exist.');
    }
    if (input.placement_type === 'PLACEMENT_TYPE_NORMAL' && !Array.isArray(input.placements)) {
      return required(res, 'placements');
    }
    if (input.budget_mode === 'BUDGET_MODE_TOTAL' && input.schedule_type !== 'SCHEDULE_START_END') {
      return refuse(res, 40002, 'A lifetime budget needs schedule_type SCHEDULE_START_END.');
    }
    if (input.bid_type === 'BID_TYPE_CUSTOM' && typeof input.bid_price !== 'number') {
      return required(res, 'bid_price');
    }
    const known = new Set(Object.values(state.regions));
    const locations = Array.isArray(input.location_ids) ? input.location_ids.map(String) : [];
    if (!locations.length || locations.some((l) => !known.has(l))) {
      return refuse(res, 40002, 'location_ids: Invalid location.');
    }
    const audiences = audienceRefusal(state, advertiserId, input);
    if (audiences) return refuse(res, 40002, audiences);
    ok(res, { adgroup_id: state.create('adgroup', advertiserId, input).id });
  },
  'POST /adgroup/update'(state, advertiserId, input, res) {
    const lacking = missing(input, ['adgroup_id']);
    if (lacking) return required(res, lacking);
    const group = mine(state, advertiserId, 'adgroup', input.adgroup_id);
    if (!group) return refuse(res, 40002, 'adgroup_id: Ad group does not exist.');
    if (input.budget !== undefined && typeof input.budget !== 'number') {
      return refuse(res, 40002, 'budget: must be a number.');
    }
    for (const field of ['budget', 'schedule_start_time', 'schedule_end_time']) {
      if (input[field] !== undefined) group.fields[field] = input[field];
    }
    ok(res, { adgroup_id: group.id });
  },
  'POST /ad/create'(state, advertiserId, input, res) {
    if (!mine(state, advertiserId, 'adgroup', input.adgroup_id)) {
      return refuse(res, 40002, 'adgroup_id: Ad group does not exist.');
    }
    const creatives = Array.isArray(input.creatives) ? (input.creatives as Input[]) : [];
    if (!creatives.length) return required(res, 'creatives');
    for (const c of creatives) {
      const lacking = missing(c, [
        'ad_name',
        'identity_type',
        'identity_id',
        'ad_format',
        'ad_text',
      ]);
      if (lacking) return required(res, lacking);
      if (c.ad_format === 'SINGLE_VIDEO' && (!c.video_id || !Array.isArray(c.image_ids))) {
        return required(res, c.video_id ? 'image_ids' : 'video_id');
      }
    }
    const ids = creatives.map(
      (c) => state.create('ad', advertiserId, { ...c, adgroup_id: input.adgroup_id }).id,
    );
    ok(res, { ad_ids: ids });
  },
  'GET /report/integrated/get'(state, advertiserId, input, res) {
    const lacking = missing(input, [
      'report_type',
      'data_level',
      'dimensions',
      'start_date',
      'end_date',
    ]);
    if (lacking) return required(res, lacking);
    const filters = Array.isArray(input.filtering)
      ? (input.filtering as Array<{ field_name?: string; filter_value?: string }>)
      : [];
    const campaigns = filters.find((f) => f.field_name === 'campaign_ids');
    const wanted = campaigns ? (JSON.parse(campaigns.filter_value ?? '[]') as string[]) : null;
    const rows = state
      .ofKind('adgroup', advertiserId)
      .filter((g) => !wanted || wanted.includes(String(g.fields.campaign_id)))
      .flatMap((g) => {
        const f = state.delivered.get(g.id);
        return f
          ? [
              {
                dimensions: { adgroup_id: g.id },
                metrics: {
                  impressions: String(f.impressions),
                  clicks: String(f.clicks),
                  spend: f.spend.toFixed(2),
                },
              },
            ]
          : [];
      });
    const size = Math.min(Number(input.page_size ?? 10), state.maxPageSize);
    const page = Number(input.page ?? 1);
    ok(res, {
      list: rows.slice((page - 1) * size, page * size),
      page_info: {
        page,
        page_size: size,
        total_number: rows.length,
        total_page: Math.max(1, Math.ceil(rows.length / size)),
      },
    });
  },
};
