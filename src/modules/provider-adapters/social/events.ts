import type {
  LogEventRequest,
  LogEventResponse,
  SyncEventSourcesRequest,
  SyncEventSourcesResponse,
} from '@adcp/sdk/types';
import type { SourceCall, SourceSocialRequest } from '../../inventory-sources/index.js';
import type { ProviderEvent, ProviderSocial } from '../contract.js';
import { ProviderError } from '../errors.js';
import { buyerOf, type BuyScope } from '../buys/scope.js';
import { providerNameOf } from './names.js';
import * as store from './store.js';

/*
 * AdCP sync_event_sources and log_event at an adapter source: a buyer's event source is an
 * event source in the connected account (Meta: a pixel), made once and recorded under the
 * buyer; events go to it server to server with their hashed identifiers. Only the buyer that
 * made an event source may send to it: another buyer's id answers REFERENCE_NOT_FOUND.
 */

type SourceItem = NonNullable<SyncEventSourcesRequest['event_sources']>[number];
type SourceResult = Extract<
  SyncEventSourcesResponse,
  { event_sources: unknown }
>['event_sources'][number];
type Event = LogEventRequest['events'][number];
type Failure = { event_id: string; code: string; message: string };

/** Events per log_event call (Meta's Conversions API takes at most 1,000 per request). */
export const maxEventsPerCall = 1000;

const sha256Hex = /^[0-9a-f]{64}$/;

function resultOf(row: store.SocialObjectRow, action: SourceResult['action']): SourceResult {
  const details = row.details as { name?: string; eventTypes?: string[] };
  return {
    event_source_id: row.buyerRef,
    ...(details.name && { name: details.name }),
    ...(row.providerId && { seller_id: row.providerId }),
    ...(details.eventTypes && { event_types: details.eventTypes }),
    managed_by: 'buyer',
    setup: {
      snippet_type: 'server_only',
      instructions: 'Send conversion events with log_event through this storefront.',
    },
    action,
  } as SourceResult;
}

async function syncOne(
  social: ProviderSocial,
  scope: BuyScope,
  owner: store.SocialOwner,
  item: SourceItem,
): Promise<SourceResult> {
  const providerName = providerNameOf(owner, 'event_source', item.event_source_id, item.name);
  const { row, created } = await store.claimSocialObject(
    scope.db,
    owner,
    'event_source',
    item.event_source_id,
    providerName,
    {},
  );
  let providerId = row.providerId;
  if (!providerId) {
    providerId =
      (await social.findEventSource(scope.ctx, row.providerName)) ??
      (await social.createEventSource(scope.ctx, row.providerName));
  }
  const details = {
    ...row.details,
    ...(item.name !== undefined && { name: item.name }),
    ...(item.event_types !== undefined && { eventTypes: item.event_types }),
    ...(item.allowed_domains !== undefined && { allowedDomains: item.allowed_domains }),
  };
  await store.updateSocialObject(scope.db, row.id, { providerId, details });
  return resultOf({ ...row, providerId, details }, created ? 'created' : 'updated');
}

export async function syncEventSources(
  social: ProviderSocial,
  scope: BuyScope,
  request: SourceSocialRequest<SyncEventSourcesRequest>,
  call: SourceCall,
): Promise<SyncEventSourcesResponse> {
  const owner = { inventorySourceId: scope.row.id, buyerCustomerId: buyerOf(call) };
  const existing = await store.socialObjectsOf(scope.db, owner, 'event_source');
  if (!request.event_sources?.length && !request.delete_missing) {
    return { event_sources: existing.map((row) => resultOf(row, 'unchanged')) };
  }
  const results: SourceResult[] = [];
  const asked = request.event_sources ?? [];
  for (const item of asked.slice(0, 100)) {
    results.push(await syncOne(social, scope, owner, item));
  }
  if (request.delete_missing) {
    // The provider's event source stays in the operator's account (Meta deletes no pixel);
    // the buyer's record goes, so it takes no more events from this buyer.
    const named = new Set(asked.map((s) => s.event_source_id));
    for (const row of existing.filter((r) => !named.has(r.buyerRef))) {
      await store.deleteSocialObject(scope.db, row.id);
      results.push({ event_source_id: row.buyerRef, action: 'deleted' } as SourceResult);
    }
  }
  return { event_sources: results };
}

const digests = (values: Array<string | undefined>) =>
  values.flatMap((v) => (v && sha256Hex.test(v.toLowerCase()) ? [v.toLowerCase()] : []));

/** An AdCP event as the provider takes it, or why it cannot be sent. */
function providerEvent(social: ProviderSocial, event: Event, now: Date): ProviderEvent | string {
  const ms = Date.parse(event.event_time);
  if (Number.isNaN(ms)) return 'event_time is not an ISO 8601 time';
  const window = social.eventWindowSeconds;
  if (window !== null && ms < now.getTime() - window * 1000) {
    return `event_time is more than ${Math.round(window / 86_400)} days ago: the provider takes no older events`;
  }
  const name =
    event.event_type === 'custom'
      ? event.custom_event_name
      : (social.eventName(event.event_type) ?? event.custom_event_name ?? event.event_type);
  if (!name) return 'a custom event needs custom_event_name';
  const user = event.user_match ?? {};
  const emails = digests([
    user.hashed_email,
    ...(user.uids ?? []).filter((u) => u.type === 'hashed_email').map((u) => u.value),
  ]);
  const phones = digests([user.hashed_phone]);
  const clientIp = typeof user.client_ip === 'string' ? user.client_ip : null;
  const userAgent = typeof user.client_user_agent === 'string' ? user.client_user_agent : null;
  const clickId = typeof user.click_id === 'string' ? user.click_id : null;
  if (emails.length + phones.length === 0 && !clickId && !(clientIp && userAgent)) {
    return 'user_match needs a hashed email or phone, a click id, or client_ip with client_user_agent';
  }
  const data = event.custom_data ?? {};
  const mapped: ProviderEvent = {
    eventId: event.event_id,
    name,
    time: Math.floor(ms / 1000),
    actionSource: event.action_source ?? 'website',
    sourceUrl: event.event_source_url ?? null,
    user: { emails, phones, clientIp, userAgent, clickId },
    value: typeof data.value === 'number' ? data.value : null,
    currency: typeof data.currency === 'string' ? data.currency : null,
    orderId: typeof data.order_id === 'string' ? data.order_id : null,
    contentIds: Array.isArray(data.content_ids) ? data.content_ids.map(String) : [],
  };
  return social.refuseEvent?.(mapped) ?? mapped;
}

export async function logEvent(
  social: ProviderSocial,
  scope: BuyScope,
  request: SourceSocialRequest<LogEventRequest>,
  call: SourceCall,
): Promise<LogEventResponse> {
  const owner = { inventorySourceId: scope.row.id, buyerCustomerId: buyerOf(call) };
  const source = await store.socialObject(scope.db, owner, 'event_source', request.event_source_id);
  if (!source?.providerId) {
    throw new ProviderError(
      'REFERENCE_NOT_FOUND',
      `No event source ${request.event_source_id} of yours here: sync it with sync_event_sources first`,
    );
  }
  if (request.events.length > maxEventsPerCall) {
    throw new ProviderError('INVALID_REQUEST', `At most ${maxEventsPerCall} events per call`);
  }
  const failures: Failure[] = [];
  const events: ProviderEvent[] = [];
  for (const event of request.events) {
    const mapped = providerEvent(social, event, scope.now());
    if (typeof mapped === 'string') {
      failures.push({ event_id: event.event_id, code: 'INVALID_REQUEST', message: mapped });
    } else events.push(mapped);
  }
  const { received } = events.length
    ? await social.sendEvents(scope.ctx, source.providerId, events, request.test_event_code ?? null)
    : { received: 0 };
  return {
    events_received: request.events.length,
    events_processed: received,
    ...(failures.length > 0 && { partial_failures: failures }),
  } as LogEventResponse;
}
