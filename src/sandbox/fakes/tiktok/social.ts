import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ok, refuse } from './envelope.js';
import type { TikTokState } from './state.js';

/*
 * The fake TikTok's audiences and events, as the v1.3 documentation describes them: a customer
 * file uploaded (multipart: `file`, its MD5 as `file_signature`, `calculate_type`) answers a
 * `file_path`; an audience is made from file paths (/dmp/custom_audience/create/), changed by
 * more (/dmp/custom_audience/update/, APPEND or DELETE), listed, read (`audience_details`:
 * `is_valid`, `cover_num`) and deleted; a pixel is made and listed (/pixel/create/,
 * /pixel/list/); the Events API (/event/track/) takes events for a pixel code, each event_id
 * once, and refuses an event without `event`, `event_time` or `event_id` (code 40002).
 */

type Input = Record<string, unknown>;
type Handler = (
  state: TikTokState,
  advertiserId: string,
  input: Input,
  res: ServerResponse,
) => void;

const required = (res: ServerResponse, field: string) =>
  refuse(res, 40002, `${field}: Missing data for required field.`);

const audienceOf = (state: TikTokState, advertiserId: string, id: unknown) => {
  const found = state.objects.get(String(id));
  return found && found.kind === 'audience' && found.advertiserId === advertiserId
    ? found
    : undefined;
};

/** The digests of the named files, or the first unknown path. */
function digestsOf(state: TikTokState, paths: unknown): string[] | { unknown: string } {
  const list = Array.isArray(paths) ? paths.map(String) : [];
  const out: string[] = [];
  for (const path of list) {
    const lines = state.files.get(path);
    if (!lines) return { unknown: path };
    out.push(...lines);
  }
  return out;
}

/**
 * Why an ad group cannot target its audiences, or undefined when it can ("Ad group":
 * audience_ids, excluded_audience_ids; TikTok Ads Help "About Managing Custom Audiences": an
 * audience needs 1,000 matched people to be used in an ad group, and the same audience cannot be
 * both included and excluded).
 */
export function audienceRefusal(
  state: TikTokState,
  advertiserId: string,
  input: Input,
): string | undefined {
  const lists = [input.audience_ids, input.excluded_audience_ids];
  const [included, excluded] = lists.map((ids) => (Array.isArray(ids) ? ids.map(String) : []));
  for (const [field, ids] of [
    ['audience_ids', included!],
    ['excluded_audience_ids', excluded!],
  ] as const) {
    for (const id of ids) {
      const audience = audienceOf(state, advertiserId, id);
      if (!audience) return `${field}: Audience ${id} does not exist.`;
      if ((state.audienceMembers.get(audience.id)?.size ?? 0) < 1000) {
        return `${field}: Audience ${id} is not available.`;
      }
    }
  }
  if (included!.some((id) => excluded!.includes(id))) {
    return 'excluded_audience_ids: An audience cannot be included and excluded.';
  }
  return undefined;
}

export const socialWrites: Record<string, Handler> = {
  'POST /dmp/custom_audience/file/upload'(state, _a, input, res) {
    const file = input.file as { name?: string; text?: string } | undefined;
    if (!file?.text) return required(res, 'file');
    if (input.calculate_type !== 'EMAIL_SHA256' && input.calculate_type !== 'PHONE_SHA256') {
      return required(res, 'calculate_type');
    }
    if (input.file_signature !== createHash('md5').update(file.text).digest('hex')) {
      return refuse(res, 40002, 'file_signature: The file signature does not match.');
    }
    const path = `dmp/${createHash('sha1').update(file.text).digest('hex')}.txt`;
    state.files.set(path, file.text.split('\n').filter(Boolean));
    ok(res, { file_path: path });
  },
  'POST /dmp/custom_audience/create'(state, advertiserId, input, res) {
    if (!input.custom_audience_name) return required(res, 'custom_audience_name');
    if (!input.calculate_type) return required(res, 'calculate_type');
    const digests = digestsOf(state, input.file_paths);
    if (!Array.isArray(digests) || !digests.length) return required(res, 'file_paths');
    const made = state.create('audience', advertiserId, input);
    state.audienceMembers.set(made.id, new Set(digests));
    ok(res, { custom_audience_id: made.id });
  },
  'POST /dmp/custom_audience/update'(state, advertiserId, input, res) {
    const audience = audienceOf(state, advertiserId, input.custom_audience_id);
    if (!audience) return refuse(res, 40002, 'custom_audience_id: Audience does not exist.');
    const digests = digestsOf(state, input.file_paths);
    if (!Array.isArray(digests)) return refuse(res, 40002, 'file_paths: File not found.');
    const members = state.audienceMembers.get(audience.id)!;
    if (input.action === 'APPEND') for (const d of digests) members.add(d);
    else if (input.action === 'DELETE') for (const d of digests) members.delete(d);
    else return required(res, 'action');
    ok(res, {});
  },
  'GET /dmp/custom_audience/list'(state, advertiserId, _input, res) {
    const list = state.ofKind('audience', advertiserId).map((a) => ({
      custom_audience_id: a.id,
      name: a.fields.custom_audience_name,
    }));
    ok(res, {
      list,
      page_info: { page: 1, page_size: 100, total_number: list.length, total_page: 1 },
    });
  },
  'GET /dmp/custom_audience/get'(state, advertiserId, input, res) {
    const ids = Array.isArray(input.custom_audience_ids) ? input.custom_audience_ids : [];
    const list = ids.flatMap((id) => {
      const audience = audienceOf(state, advertiserId, id);
      if (!audience) return [];
      const size = state.audienceMembers.get(audience.id)?.size ?? 0;
      return [
        {
          audience_details: {
            custom_audience_id: audience.id,
            name: audience.fields.custom_audience_name,
            is_valid: true,
            cover_num: size,
          },
        },
      ];
    });
    ok(res, { list });
  },
  'POST /dmp/custom_audience/delete'(state, advertiserId, input, res) {
    const ids = Array.isArray(input.custom_audience_ids) ? input.custom_audience_ids : [];
    for (const id of ids) {
      const audience = audienceOf(state, advertiserId, id);
      if (!audience) return refuse(res, 40002, 'custom_audience_ids: Audience does not exist.');
      state.objects.delete(audience.id);
      state.audienceMembers.delete(audience.id);
    }
    ok(res, {});
  },
  'POST /pixel/create'(state, advertiserId, input, res) {
    if (!input.pixel_name) return required(res, 'pixel_name');
    const made = state.create('pixel', advertiserId, input);
    ok(res, { pixel_id: made.id, pixel_code: `C${made.id}`, pixel_name: input.pixel_name });
  },
  'GET /pixel/list'(state, advertiserId, _input, res) {
    const pixels = state.ofKind('pixel', advertiserId).map((p) => ({
      pixel_id: p.id,
      pixel_code: `C${p.id}`,
      pixel_name: p.fields.pixel_name,
    }));
    ok(res, {
      list: pixels,
      page_info: { page: 1, page_size: 20, total_number: pixels.length, total_page: 1 },
    });
  },
};

/** The Events API: no advertiser_id; the pixel names the advertiser. */
export function trackEvents(
  state: TikTokState,
  advertiserIds: string[],
  input: Input,
  res: ServerResponse,
) {
  const pixel = state
    .ofKind('pixel')
    .find((p) => `C${p.id}` === input.event_source_id && advertiserIds.includes(p.advertiserId));
  if (input.event_source !== 'web' || !pixel) {
    return refuse(res, 40002, 'event_source_id: Pixel does not exist.');
  }
  const data = Array.isArray(input.data) ? (input.data as Input[]) : [];
  if (!data.length) return required(res, 'data');
  for (const e of data) {
    const lacking = ['event', 'event_time', 'event_id'].find((f) => e[f] === undefined);
    if (lacking) return required(res, `data.${lacking}`);
  }
  const kept = state.pixelEvents.get(`C${pixel.id}`) ?? [];
  if (!input.test_event_code) {
    for (const e of data) if (!kept.some((k) => k.event_id === e.event_id)) kept.push(e);
  }
  state.pixelEvents.set(`C${pixel.id}`, kept);
  ok(res, {});
}
