import type { GraphCall } from './graph-call.js';
import type { MetaState } from './state.js';

/*
 * The fake Meta's audiences and conversion events, from the Marketing API documentation:
 * - POST /act_{id}/customaudiences (name, subtype CUSTOM, customer_file_source required for a
 *   customer file; developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences)
 *   and GET of the same edge, paged;
 * - POST and DELETE /{audience-id}/users with `payload` {schema, data}: at most 10,000 rows,
 *   each as long as the schema, EMAIL and PHONE as SHA-256 hex digests; the answer names
 *   num_received and num_invalid_entries (…/marketing-api/reference/custom-audience/users);
 * - GET /{audience-id} with approximate_count_lower_bound, delivery_status (200 ready, 300 too
 *   small to deliver) and operation_status (…/marketing-api/reference/custom-audience); DELETE
 *   /{audience-id};
 * - POST /act_{id}/adspixels and its GET (…/reference/ad-account/adspixels);
 * - POST /{pixel-id}/events with `data` (event_name, event_time in Unix seconds no more than
 *   7 days old, action_source, user_data) and `test_event_code`, deduplicated by event_name and
 *   event_id, answering events_received (…/conversions-api/using-the-api, …/parameters).
 * - an ad set's custom_audiences / excluded_custom_audiences: audienceRefusal below.
 * Matching is the fake's own: every well-formed row counts as matched, and an audience under
 * 100 matched people is too small to deliver.
 */

const minimumDeliverable = 100;
const hex64 = /^[0-9a-f]{64}$/;

function parse(raw: string | undefined): unknown {
  try {
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

function rowsOf(payload: unknown): string[] | string {
  const p = payload as { schema?: unknown; data?: unknown } | undefined;
  if (!Array.isArray(p?.schema) || !Array.isArray(p?.data)) return 'payload needs schema and data';
  if (p.data.length > 10_000) return 'at most 10000 rows per call';
  const schema = p.schema as string[];
  const keys: string[] = [];
  for (const row of p.data as unknown[]) {
    if (!Array.isArray(row) || row.length !== schema.length)
      return 'a row does not match the schema';
    for (const [i, value] of row.entries()) {
      if (
        (schema[i] === 'EMAIL' || schema[i] === 'PHONE') &&
        value !== '' &&
        !hex64.test(String(value))
      ) {
        return `${schema[i]} must be hashed with SHA-256`;
      }
    }
    keys.push(row.join('|'));
  }
  return keys;
}

/**
 * Why an ad set's targeting cannot hold its Custom Audiences ("Advanced Targeting and Placement":
 * custom_audiences and excluded_custom_audiences as lists of {id}), or undefined when it can:
 * each must be a Custom Audience of the ad set's ad account (Meta answers code 100 otherwise).
 */
export function audienceRefusal(
  state: MetaState,
  account: string,
  targeting: Record<string, unknown>,
): string | undefined {
  for (const key of ['custom_audiences', 'excluded_custom_audiences']) {
    const list = targeting[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `(#100) ${key} must be a list`;
    for (const entry of list as Array<{ id?: unknown }>) {
      const audience = state.objects.get(String(entry?.id));
      if (!audience || audience.kind !== 'customaudience' || audience.account !== account) {
        return `(#100) Invalid parameter: custom audience ${String(entry?.id)} does not exist or is not usable by this ad account`;
      }
    }
  }
  return undefined;
}

/** Answers the request if it is one of these endpoints; false otherwise. */
export function metaSocialRoute(call: GraphCall): boolean {
  const { state, method, path, form, res, send, graphError, page } = call;
  // Both groups match whenever the pattern does.
  const [, account, name] = /^\/(act_\d+)\/(customaudiences|adspixels)$/.exec(path) ?? [];
  if (account && name) {
    const kind = name === 'customaudiences' ? 'customaudience' : 'adspixel';
    if (method === 'GET') {
      const items = state
        .ofKind(kind)
        .filter((o) => o.account === account)
        .map((o) => ({ id: o.id, name: o.fields.name }));
      send(res, 200, page(items));
      return true;
    }
    const required =
      kind === 'customaudience' ? ['name', 'subtype', 'customer_file_source'] : ['name'];
    const missing = required.find((f) => form[f] === undefined);
    if (missing) {
      send(res, 400, graphError(100, `(#100) The parameter ${missing} is required`));
      return true;
    }
    const object = state.create(kind, account, { name: form.name, description: form.description });
    if (kind === 'customaudience') state.audienceMembers.set(object.id, new Set());
    else state.pixelEvents.set(object.id, []);
    send(res, 200, { id: object.id });
    return true;
  }

  const users = /^\/(\d+\w*)\/users$/.exec(path);
  if (users) {
    const members = state.audienceMembers.get(users[1]!);
    if (!members) return false;
    const rows = rowsOf(parse(form.payload));
    if (typeof rows === 'string') {
      send(res, 400, graphError(100, `(#100) ${rows}`));
      return true;
    }
    for (const key of rows) {
      if (method === 'DELETE') members.delete(key);
      else members.add(key);
    }
    send(res, 200, {
      audience_id: users[1],
      session_id: String(Date.now()),
      num_received: rows.length,
      num_invalid_entries: 0,
      invalid_entry_samples: {},
    });
    return true;
  }

  const events = /^\/(\d+\w*)\/events$/.exec(path);
  if (events && method === 'POST') {
    const kept = state.pixelEvents.get(events[1]!);
    if (!kept) return false;
    const data = parse(form.data);
    if (!Array.isArray(data) || data.length === 0 || data.length > 1000) {
      send(res, 400, graphError(100, '(#100) data must hold 1 to 1000 events'));
      return true;
    }
    const weekAgo = Date.now() / 1000 - 7 * 86_400;
    for (const e of data as Array<Record<string, unknown>>) {
      const bad =
        typeof e.event_name !== 'string' ||
        typeof e.event_time !== 'number' ||
        typeof e.action_source !== 'string' ||
        typeof e.user_data !== 'object';
      if (bad || (e.event_time as number) < weekAgo) {
        send(
          res,
          400,
          graphError(100, '(#100) Invalid parameter: an event is malformed or too old'),
        );
        return true;
      }
    }
    for (const e of data as Array<Record<string, unknown>>) {
      const seen = kept.some(
        (k) =>
          k.event_name === e.event_name && k.event_id !== undefined && k.event_id === e.event_id,
      );
      if (!seen)
        kept.push({ ...e, ...(form.test_event_code && { test_event_code: form.test_event_code }) });
    }
    send(res, 200, { events_received: data.length, messages: [], fbtrace_id: 'AfakeTrace' });
    return true;
  }

  const node = /^\/(\d+\w*)$/.exec(path);
  const members = node ? state.audienceMembers.get(node[1]!) : undefined;
  if (node && members) {
    if (method === 'DELETE') {
      state.objects.delete(node[1]!);
      state.audienceMembers.delete(node[1]!);
      send(res, 200, { success: true });
      return true;
    }
    if (method === 'GET') {
      const object = state.objects.get(node[1]!)!;
      send(res, 200, {
        id: object.id,
        name: object.fields.name,
        approximate_count_lower_bound: members.size,
        delivery_status: members.size >= minimumDeliverable ? { code: 200 } : { code: 300 },
        operation_status: { code: 200 },
      });
      return true;
    }
  }
  return false;
}
