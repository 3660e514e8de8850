import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { reply, snapError, type Request } from './http.js';
import type { FakeSnapObject, SnapState } from './state.js';

/*
 * The fake Snap's customer lists and pixels (Marketing API "Customer Lists" and "Snap Pixel"
 * pages, https://developers.snap.com/api/marketing-api/Ads-API/customer-lists and …/snap-pixel):
 * - POST /adaccounts/{id}/segments takes `{segments: [{ad_account_id, name (≤ 375 characters),
 *   source_type, retention_in_days}]}`, all required; only FIRST_PARTY (customer lists) is
 *   modelled. GET lists the account's segments; GET /segments/{id} reads one, DELETE deletes it;
 * - POST /segments/{id}/users adds and DELETE removes `{users: [{schema: [EMAIL_SHA256 |
 *   PHONE_SHA256 | MOBILE_AD_ID_SHA256], data: [[…], …]}]}`: every value must be a SHA-256 hex
 *   digest (Snap matches normalised, hashed identifiers), at most 100,000 identifiers a request
 *   ("Identifiers should be grouped in batches of a maximum of 100,000 identifiers/request"), and
 *   a removal names the segment in each entry (`id`) too;
 * - a segment reports `approximate_number_users` (here: every identifier matches),
 *   `upload_status` and `targetable_status`: NOT_READY while empty, TOO_FEW_USERS under 1,000
 *   users (the minimum integrations of Snap's customer lists document), READY from 1,000;
 * - GET /adaccounts/{id}/pixels answers the account's pixel: pixels are made in Ads Manager, and
 *   the API has no call to make one;
 * - an ad squad's targeting.segments ("Targeting": a list of Customer List segment targets, each
 *   `{segment_id: […], operation: INCLUDE | EXCLUDE}`): segmentRefusal below.
 * Answers wrap objects as ads.ts does; an unknown or another account's segment is 404. Where the
 * pages we could read stop short (the users body, the removal's `id`, the batch size, the
 * 1,000-person minimum), integrations built on them were read: Segment's and RudderStack's Snap
 * audience destinations, Amperity's and Adverity's guides (docs/adapters.md says which points).
 */

type Item = Record<string, unknown>;

const schemas = new Set(['EMAIL_SHA256', 'PHONE_SHA256', 'MOBILE_AD_ID_SHA256']);
const maxIdentifiers = 100_000;
const targetable = 1000;
const digest = /^[0-9a-f]{64}$/;

const wrapped = (res: ServerResponse, plural: string, singular: string, objects: Item[]) =>
  reply(res, 200, {
    request_status: 'SUCCESS',
    request_id: randomBytes(12).toString('hex'),
    [plural]: objects.map((o) => ({ sub_request_status: 'SUCCESS', [singular]: o })),
  });

const bad = (res: ServerResponse, message: string) => reply(res, 400, snapError('E1001', message));

function bodyOf(req: Request): Item {
  try {
    return JSON.parse(req.raw.toString() || '{}') as Item;
  } catch {
    return {};
  }
}

function segmentView(state: SnapState, segment: FakeSnapObject) {
  const users = state.membersOf(segment.id);
  return {
    id: segment.id,
    ...segment.fields,
    status: 'ACTIVE',
    upload_status: users > 0 ? 'COMPLETE' : 'NO_UPLOAD',
    targetable_status: users === 0 ? 'NOT_READY' : users < targetable ? 'TOO_FEW_USERS' : 'READY',
    approximate_number_users: users,
  };
}

/**
 * Why an ad squad's targeting cannot hold its segments, or undefined when it can: each entry
 * names a list of segment ids and INCLUDE or EXCLUDE, and each id is a live segment of the ad
 * squad's ad account that is targetable now (READY: TOO_FEW_USERS and NOT_READY are refused, as
 * an unknown or another account's segment is).
 */
export function segmentRefusal(
  state: SnapState,
  accountId: string,
  targeting: Item,
): string | undefined {
  const entries = targeting.segments;
  if (entries === undefined) return undefined;
  if (!Array.isArray(entries)) return 'targeting.segments must be a list';
  for (const entry of entries as Item[]) {
    const ids = entry?.segment_id;
    if (!['INCLUDE', 'EXCLUDE'].includes(String(entry?.operation))) {
      return 'targeting.segments: operation must be INCLUDE or EXCLUDE';
    }
    if (!Array.isArray(ids) || !ids.length || ids.some((id) => typeof id !== 'string')) {
      return 'targeting.segments: segment_id must list segment ids';
    }
    for (const id of ids as string[]) {
      const segment = state.objects.get(id);
      if (
        !segment ||
        segment.kind !== 'segment' ||
        segment.deleted ||
        segment.accountId !== accountId
      ) {
        return `targeting.segments: segment ${id} not found in this ad account`;
      }
      const status = segmentView(state, segment).targetable_status;
      if (status !== 'READY') return `targeting.segments: segment ${id} is ${status}`;
    }
  }
  return undefined;
}

/** Why a users body is refused, or its identifiers by schema. */
function usersOf(
  body: Item,
  segmentId: string,
  removing: boolean,
): string | Array<[string, string[]]> {
  const entries = Array.isArray(body.users) ? (body.users as Item[]) : [];
  if (!entries.length) return 'users is required';
  const out: Array<[string, string[]]> = [];
  let count = 0;
  for (const entry of entries) {
    const schema = Array.isArray(entry.schema) ? (entry.schema as unknown[]) : [];
    const data = Array.isArray(entry.data) ? (entry.data as unknown[]) : [];
    if (!schema.length || schema.some((s) => !schemas.has(String(s)))) {
      return 'schema must list EMAIL_SHA256, PHONE_SHA256 or MOBILE_AD_ID_SHA256';
    }
    if (!data.length) return 'data is required';
    if (removing && entry.id !== segmentId) return 'id must name the segment';
    for (const row of data) {
      if (!Array.isArray(row) || row.length !== schema.length) {
        return 'each data row needs one value per schema';
      }
      if (row.some((v) => typeof v !== 'string' || !digest.test(v))) {
        return 'identifiers must be normalised and SHA-256 hashed';
      }
    }
    count += data.length * schema.length;
    schema.forEach((s, i) => out.push([String(s), data.map((row) => (row as string[])[i]!)]));
  }
  if (count > maxIdentifiers) return `at most ${maxIdentifiers} identifiers per request`;
  return out;
}

/** Answers a customer-list or pixel call, or returns false when the path is not one. */
export function socialApi(state: SnapState, req: Request, res: ServerResponse): boolean {
  const { method, path, grant } = req;
  const refuse = (message: string) => {
    bad(res, message);
    return true;
  };
  const account = /^\/adaccounts\/([^/]+)\/(segments|pixels)$/.exec(path);
  if (account) {
    const accountId = account[1]!;
    if (!state.accounts.some((a) => a.id === accountId) || !grant.accountIds.includes(accountId)) {
      reply(res, 403, snapError('E1003', 'Forbidden'));
      return true;
    }
    const live = (kind: FakeSnapObject['kind']) =>
      state.ofKind(kind, accountId).filter((o) => !o.deleted);
    if (account[2] === 'pixels' && method === 'GET') {
      const pixels = live('pixel').map((p) => ({
        id: p.id,
        ad_account_id: accountId,
        effective_status: p.fields.status,
        ...p.fields,
      }));
      wrapped(res, 'pixels', 'pixel', pixels);
      return true;
    }
    if (account[2] === 'segments' && method === 'GET') {
      wrapped(
        res,
        'segments',
        'segment',
        live('segment').map((s) => segmentView(state, s)),
      );
      return true;
    }
    if (account[2] === 'segments' && method === 'POST') {
      const body = bodyOf(req);
      const [s] = Array.isArray(body.segments) ? (body.segments as Item[]) : [];
      const lacking = ['ad_account_id', 'name', 'source_type', 'retention_in_days'].find(
        (f) => s?.[f] === undefined || s[f] === null || s[f] === '',
      );
      if (!s || lacking) return refuse(`${lacking ?? 'segments'} is required`);
      if (s.ad_account_id !== accountId) return refuse('ad_account_id does not match');
      if (s.source_type !== 'FIRST_PARTY') return refuse('source_type must be FIRST_PARTY');
      if (String(s.name).length > 375) return refuse('name is over 375 characters');
      const made = state.create('segment', accountId, s);
      if (state.loseAnswerOf === 'segment') {
        // Made at Snap, but the answer never arrives: the connection is cut.
        state.loseAnswerOf = undefined;
        res.socket?.destroy();
        return true;
      }
      wrapped(res, 'segments', 'segment', [segmentView(state, made)]);
      return true;
    }
    return false;
  }
  const one = /^\/segments\/([^/]+)(\/users)?$/.exec(path);
  if (!one) return false;
  const found = state.objects.get(one[1]!);
  if (
    !found ||
    found.kind !== 'segment' ||
    found.deleted ||
    !grant.accountIds.includes(found.accountId)
  ) {
    reply(res, 404, snapError('E3003', 'Resource not found'));
    return true;
  }
  if (!one[2] && method === 'GET') {
    wrapped(res, 'segments', 'segment', [segmentView(state, found)]);
    return true;
  }
  if (!one[2] && method === 'DELETE') {
    found.deleted = true;
    state.segmentUsers.delete(found.id);
    wrapped(res, 'segments', 'segment', [{ id: found.id, ...found.fields }]);
    return true;
  }
  if (one[2] && (method === 'POST' || method === 'DELETE')) {
    const users = usersOf(bodyOf(req), found.id, method === 'DELETE');
    if (typeof users === 'string') return refuse(users);
    const sets = state.segmentUsers.get(found.id) ?? new Map<string, Set<string>>();
    state.segmentUsers.set(found.id, sets);
    let uploaded = 0;
    for (const [schema, values] of users) {
      const set = sets.get(schema) ?? new Set<string>();
      sets.set(schema, set);
      for (const v of values) {
        if (method === 'POST') set.add(v);
        else set.delete(v);
      }
      uploaded += values.length;
    }
    wrapped(res, 'users', 'user', [{ number_uploaded_users: uploaded }]);
    return true;
  }
  return false;
}
