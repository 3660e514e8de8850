import type { ServerResponse } from 'node:http';
import { audienceRefusal } from './social.js';
import type { ErrorOf, GraphCall, Send } from './graph-call.js';
import type { FakeObject, MetaState } from './state.js';

/*
 * The fake Meta's ad objects (meta.ts routes here first), from the Marketing API references:
 * - POST /act_{id}/campaigns|adsets|adcreatives|ads with each object's required fields (code 100
 *   naming a missing one), an ad set's location, lifetime budget with end_time, campaign and
 *   audiences, an ad's ad set; a create whose answer `loseNextAnswer` took is made, then answered
 *   500 (code 1) as if its answer was lost on the way;
 * - the lists "Ad Account, Campaigns|Ad Sets|Ads|Ad Creatives" (GET /act_{id}/…), "Ad Campaign,
 *   Ad Sets" (GET /{campaign-id}/adsets) and "Ad Set, Ads" (GET /{adset-id}/ads), cursor-paged:
 *   archived and deleted objects are left out unless `effective_status` names them, `fields`
 *   picks what is answered (id always), and `filtering` (field filtering, as the "Ad Label"
 *   reference says these edges take it the way the Insights edge does) keeps objects whose
 *   field is EQUAL / NOT_EQUAL to, CONTAINs / NOT_CONTAINs, or is IN / NOT_IN the value; an
 *   unknown operator is code 100.
 */

/** A form value as Meta reads it: JSON objects and arrays, numbers, or the string (ids stay strings). */
export const json = (raw: string | undefined, key = '') => {
  if (raw === undefined) return undefined;
  if (/^[[{]/.test(raw)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return /^\d+$/.test(raw) && !key.endsWith('_id') ? Number(raw) : raw;
};

const required: Record<string, string[]> = {
  campaigns: ['name', 'objective', 'special_ad_categories', 'status'],
  adsets: ['name', 'campaign_id', 'billing_event', 'optimization_goal', 'targeting', 'status'],
  adcreatives: ['name', 'object_story_spec'],
  ads: ['name', 'adset_id', 'creative', 'status'],
};
const kindOf = {
  campaigns: 'campaign',
  adsets: 'adset',
  adcreatives: 'adcreative',
  ads: 'ad',
} as const;
type Edge = keyof typeof kindOf;
const isEdge = (name: string): name is Edge => Object.hasOwn(kindOf, name);

/** The ad account and edge of `/act_<id>/<edge>` (both groups match whenever the pattern does). */
function accountEdgeOf(path: string): { account: string; name: Edge } | undefined {
  const [, account, name] = /^\/(act_\d+)\/(campaigns|adsets|adcreatives|ads)$/.exec(path) ?? [];
  return account && name && isEdge(name) ? { account, name } : undefined;
}

/** Why the filter keeps nothing it should, or the objects it keeps. */
function filtered(objects: FakeObject[], raw: string | undefined): FakeObject[] | string {
  const filters = raw === undefined ? [] : json(raw);
  if (!Array.isArray(filters)) return '(#100) filtering must be a list of filter objects';
  let kept = objects;
  for (const f of filters as Array<{ field?: unknown; operator?: unknown; value?: unknown }>) {
    const field = String(f.field);
    const value = (o: FakeObject) => (field === 'id' ? o.id : o.fields[field]);
    const text = (v: unknown) => String(v ?? '').toLowerCase();
    const list = Array.isArray(f.value) ? f.value.map(String) : [];
    const keep: Record<string, (o: FakeObject) => boolean> = {
      EQUAL: (o) => String(value(o)) === String(f.value),
      NOT_EQUAL: (o) => String(value(o)) !== String(f.value),
      CONTAIN: (o) => text(value(o)).includes(text(f.value)),
      NOT_CONTAIN: (o) => !text(value(o)).includes(text(f.value)),
      IN: (o) => list.includes(String(value(o))),
      NOT_IN: (o) => !list.includes(String(value(o))),
    };
    const test = keep[String(f.operator)];
    if (!test) return `(#100) Filtering operator ${String(f.operator)} is not supported`;
    kept = kept.filter(test);
  }
  return kept;
}

function list(
  state: MetaState,
  of: (o: FakeObject) => boolean,
  form: Record<string, string>,
  res: ServerResponse,
  send: Send,
  graphError: ErrorOf,
  page: (items: unknown[]) => unknown,
) {
  const statuses = form.effective_status ? (json(form.effective_status) as string[]) : null;
  const visible = [...state.objects.values()].filter(
    (o) =>
      of(o) &&
      (statuses
        ? statuses.includes(String(o.fields.status))
        : !['ARCHIVED', 'DELETED'].includes(String(o.fields.status))),
  );
  const kept = filtered(visible, form.filtering);
  if (typeof kept === 'string') return send(res, 400, graphError(100, kept));
  const fields = (form.fields ?? 'id').split(',').filter(Boolean);
  const view = (o: FakeObject) =>
    Object.fromEntries([
      ['id', o.id],
      ...fields.filter((f) => f !== 'id' && o.fields[f] !== undefined).map((f) => [f, o.fields[f]]),
    ]);
  return send(res, 200, page(kept.map(view)));
}

/** Answers the request if it is one of these endpoints; false otherwise. */
export function metaAdsRoute(call: GraphCall): boolean {
  const { state, method, path, form, res, send, graphError, page } = call;
  const edge = accountEdgeOf(path);
  if (edge && method === 'GET') {
    list(
      state,
      (o) => o.account === edge.account && o.kind === kindOf[edge.name],
      form,
      res,
      send,
      graphError,
      page,
    );
    return true;
  }
  if (edge && method === 'POST') {
    create(state, path, edge.account, edge.name, form, res, send, graphError);
    return true;
  }
  const child = /^\/(\d+\w*)\/(adsets|ads)$/.exec(path);
  const parent = child && state.objects.get(child[1]!);
  if (child && parent && method === 'GET') {
    const [kind, key] = child[2] === 'adsets' ? ['adset', 'campaign_id'] : ['ad', 'adset_id'];
    if (parent.kind !== (kind === 'adset' ? 'campaign' : 'adset')) return false;
    list(
      state,
      (o) => o.kind === kind && o.fields[key] === parent.id,
      form,
      res,
      send,
      graphError,
      page,
    );
    return true;
  }
  return false;
}

function create(
  state: MetaState,
  path: string,
  account: string,
  kind: Edge,
  form: Record<string, string>,
  res: ServerResponse,
  send: Send,
  graphError: ErrorOf,
) {
  if (!state.adAccounts.some((a) => a.id === account && a.account_status === 1)) {
    return send(res, 400, graphError(100, 'Unsupported post request.'));
  }
  const missing = required[kind]!.find((f) => form[f] === undefined);
  if (missing)
    return send(res, 400, graphError(100, `(#100) The parameter ${missing} is required`));
  if (kind === 'adsets') {
    const targeting = json(form.targeting) as
      { geo_locations?: { countries?: string[] } } | undefined;
    if (!targeting?.geo_locations?.countries?.length) {
      return send(res, 400, graphError(100, '(#100) Your audience is missing a location.'));
    }
    const audiences = audienceRefusal(state, account, targeting);
    if (audiences) return send(res, 400, graphError(100, audiences));
    if (form.lifetime_budget !== undefined && form.end_time === undefined) {
      return send(res, 400, graphError(100, '(#100) end_time is required with a lifetime budget'));
    }
    if (!state.objects.get(form.campaign_id ?? '')) {
      return send(res, 400, graphError(100, 'Invalid campaign_id'));
    }
  }
  if (kind === 'ads' && !state.objects.get(form.adset_id ?? '')) {
    return send(res, 400, graphError(100, 'Invalid adset_id'));
  }
  const fields = Object.fromEntries(
    Object.entries(form)
      .filter(([k]) => k !== 'access_token')
      .map(([k, v]) => [k, json(v, k)]),
  );
  const made = state.create(kindOf[kind], account, fields);
  if (state.takeLostAnswer(path)) {
    return send(res, 500, graphError(1, 'An unknown error occurred'));
  }
  return send(res, 200, { id: made.id });
}
