import type { AdapterContext, HashedMember, ProviderEvent, ProviderSocial } from '../contract.js';
import { conversionsUserData } from '../shared/conversions-api.js';
import type { Graph } from './graph.js';

/*
 * Meta's side of sales-social, from the Marketing API documentation:
 * - Custom Audiences from a customer file (POST /act_{id}/customaudiences with subtype CUSTOM
 *   and customer_file_source; developers.facebook.com/docs/marketing-api/audiences/guides/
 *   custom-audiences), members added by POST and removed by DELETE on /{audience-id}/users with
 *   a `payload` of a multi-key schema and rows of SHA-256 digests, at most 10,000 rows a call
 *   (…/marketing-api/reference/custom-audience/users); the audience's state from its
 *   approximate_count_lower_bound, delivery_status and operation_status fields
 *   (…/marketing-api/reference/custom-audience);
 * - event sources as Meta Pixels (POST /act_{id}/adspixels; …/marketing-api/reference/
 *   ad-account/adspixels) and events by the Conversions API (POST /{pixel-id}/events with
 *   `data` and `test_event_code`; …/marketing-api/conversions-api/using-the-api and
 *   …/conversions-api/parameters), which deduplicates by event_name and event_id.
 */

/** Matched people from which Meta delivers to a Custom Audience (below: delivery_status 300). */
const minimumDeliverable = 100;

/** Rows per Custom Audience Users call (Meta: at most 10,000). */
const membersPerCall = 10_000;

/** AdCP event types Meta has a standard event for (Conversions API "Standard Events"). */
const standardEvents: Record<string, string> = {
  page_view: 'PageView',
  view_content: 'ViewContent',
  search: 'Search',
  add_to_cart: 'AddToCart',
  add_to_wishlist: 'AddToWishlist',
  initiate_checkout: 'InitiateCheckout',
  add_payment_info: 'AddPaymentInfo',
  purchase: 'Purchase',
  lead: 'Lead',
  complete_registration: 'CompleteRegistration',
  subscribe: 'Subscribe',
  start_trial: 'StartTrial',
  contact: 'Contact',
  schedule: 'Schedule',
  donate: 'Donate',
  submit_application: 'SubmitApplication',
};

/** AdCP action sources in the Conversions API's words. */
const actionSources: Record<string, string> = {
  website: 'website',
  app: 'app',
  email: 'email',
  phone_call: 'phone_call',
  chat: 'chat',
  in_store: 'physical_store',
  offline: 'physical_store',
  system_generated: 'system_generated',
};

const schema = ['EMAIL', 'PHONE', 'MADID'];

/** The users payload: one row per member, an empty string where it has no such identifier. */
const payloadOf = (members: HashedMember[]) =>
  JSON.stringify({
    schema,
    data: members.map((m) => [m.email ?? '', m.phone ?? '', m.maid ?? '']),
  });

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function serverEvent(event: ProviderEvent) {
  const { user } = event;
  return {
    event_name: event.name,
    event_time: event.time,
    event_id: event.eventId,
    action_source: actionSources[event.actionSource] ?? 'other',
    ...(event.sourceUrl && { event_source_url: event.sourceUrl }),
    user_data: {
      ...conversionsUserData(user),
      // The click id as Meta's fbc parameter (fb.1.{creation time ms}.{fbclid}).
      ...(user.clickId && { fbc: `fb.1.${event.time * 1000}.${user.clickId}` }),
    },
    custom_data: {
      ...(event.value !== null && { value: event.value }),
      ...(event.currency && { currency: event.currency.toLowerCase() }),
      ...(event.orderId && { order_id: event.orderId }),
      ...(event.contentIds.length > 0 && { content_ids: event.contentIds }),
    },
  };
}

export function metaSocial(graph: Graph): ProviderSocial {
  const act = (ctx: AdapterContext) =>
    ctx.account.id.startsWith('act_') ? ctx.account.id : `act_${ctx.account.id}`;

  async function findByName(ctx: AdapterContext, edge: string, name: string) {
    const found = await graph.list<{ id: string; name?: string }>(
      `${act(ctx)}/${edge}`,
      ctx.accessToken,
      { fields: 'id,name', limit: '100' },
      5000,
    );
    return found.find((o) => o.name === name)?.id ?? null;
  }

  return {
    async createAudience(ctx, input) {
      const created = await graph.post<{ id: string }>(
        `${act(ctx)}/customaudiences`,
        ctx.accessToken,
        {
          name: input.name,
          description: input.description ?? undefined,
          subtype: 'CUSTOM',
          customer_file_source: 'USER_PROVIDED_ONLY',
        },
      );
      return created.id;
    },

    // An empty Custom Audience can be made: its members follow in batches.
    membersAtCreate: false,
    // Ad sets target them (buy.ts); Meta delivers to one of 100 matched people or more.
    audienceTargeting: {
      identifierTypes: ['hashed_email', 'hashed_phone'],
      uidTypes: ['maid'],
      minimumSize: minimumDeliverable,
    },
    findAudience: (ctx, name) => findByName(ctx, 'customaudiences', name),

    async changeMembers(ctx, audienceId, change) {
      for (const batch of chunks(change.add, membersPerCall)) {
        await graph.post(`${audienceId}/users`, ctx.accessToken, { payload: payloadOf(batch) });
      }
      for (const batch of chunks(change.remove, membersPerCall)) {
        await graph.delete(`${audienceId}/users`, ctx.accessToken, { payload: payloadOf(batch) });
      }
    },

    async deleteAudience(ctx, audienceId) {
      await graph.delete(audienceId, ctx.accessToken);
    },

    async audienceState(ctx, audienceId) {
      const audience = await graph.get<{
        approximate_count_lower_bound?: number;
        delivery_status?: { code?: number };
        operation_status?: { code?: number };
      }>(audienceId, ctx.accessToken, {
        fields: 'approximate_count_lower_bound,delivery_status,operation_status',
      });
      const count = audience.approximate_count_lower_bound;
      const matched = typeof count === 'number' && count >= 0 ? count : null;
      if (audience.delivery_status?.code === 300) return { status: 'too_small', matched };
      const ready =
        audience.delivery_status?.code === 200 && audience.operation_status?.code === 200;
      return { status: ready ? 'ready' : 'processing', matched };
    },

    async createEventSource(ctx, name) {
      const created = await graph.post<{ id: string }>(`${act(ctx)}/adspixels`, ctx.accessToken, {
        name,
      });
      return created.id;
    },

    findEventSource: (ctx, name) => findByName(ctx, 'adspixels', name),

    async sendEvents(ctx, pixelId, events, testCode) {
      const answer = await graph.post<{ events_received?: number }>(
        `${pixelId}/events`,
        ctx.accessToken,
        {
          data: events.map(serverEvent),
          ...(testCode && { test_event_code: testCode }),
        },
      );
      return { received: answer.events_received ?? 0 };
    },

    // "event_time can be up to 7 days before you send an event" (Conversions API parameters).
    eventWindowSeconds: 7 * 86_400,
    eventName: (type) => standardEvents[type] ?? null,
  };
}
