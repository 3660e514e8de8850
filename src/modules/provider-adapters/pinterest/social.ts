import type { AdapterContext, HashedMember, ProviderEvent, ProviderSocial } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import { conversionsCustomData, conversionsUserData } from '../shared/conversions-api.js';
import type { PinterestApi } from './api.js';

/*
 * Pinterest's side of sales-social, from the API v5 reference (github.com/pinterest/
 * api-description, v5/openapi.json) and "Conversions API" guide:
 * - an audience is a customer list (POST /ad_accounts/{id}/customer_lists: `name`, `records` as
 *   one comma-separated string of SHA-256 digests of emails and device ids, which Pinterest
 *   requires at creation) and a CUSTOMER_LIST audience on it (POST /ad_accounts/{id}/audiences,
 *   `rule: {customer_list_id}`), the audience being what campaigns target; members are added
 *   and removed by PATCH /ad_accounts/{id}/customer_lists/{id} (`operation_type` ADD or REMOVE);
 *   its state from GET …/audiences/{id} (`status` READY, INITIALIZING or TOO_SMALL under 100
 *   matched people; `size`); deleted by PATCH …/audiences/{id} with `operation_type: REMOVE`.
 *   Customer lists match emails and mobile ad ids, not phone numbers: phones are not sent;
 * - an event source is a conversion tag (POST /ad_accounts/{id}/conversion_tags, `name`);
 *   events go to the ad account's Conversions API (POST /ad_accounts/{id}/events, `?test=true`
 *   for a test), which deduplicates by event_id. Pinterest records events per ad account: the
 *   tag is the buyer's event source on our side, and names its events' source in Pinterest.
 */

/** Matched people from which Pinterest targets an audience (below: TOO_SMALL). */
const targetableSize = 100;

/** Records per customer-list call. */
const recordsPerCall = 5000;
/** Events per Conversions API call (Pinterest: up to 1,000). */
const eventsPerCall = 1000;

/** AdCP event types in Pinterest's event names (ConversionEvents `event_name`). */
const standardEvents: Record<string, string> = {
  page_view: 'page_visit',
  view_content: 'view_content',
  search: 'search',
  add_to_cart: 'add_to_cart',
  add_to_wishlist: 'add_to_wishlist',
  initiate_checkout: 'initiate_checkout',
  add_payment_info: 'add_payment_info',
  purchase: 'checkout',
  lead: 'lead',
  complete_registration: 'signup',
  subscribe: 'subscribe',
};
const pinterestNames = new Set(Object.values(standardEvents));

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const recordsOf = (members: HashedMember[]) =>
  members.flatMap((m) => [m.email, m.maid].filter((v): v is string => Boolean(v)));

/** Where the event happened, in Pinterest's four action sources. */
function actionSource(event: ProviderEvent) {
  if (event.actionSource === 'website') return 'web';
  if (event.actionSource === 'app') {
    return /iphone|ipad|ios/i.test(event.user.userAgent ?? '') ? 'app_ios' : 'app_android';
  }
  return 'offline';
}

function conversionEvent(event: ProviderEvent) {
  const { user } = event;
  const name = pinterestNames.has(event.name) ? event.name : 'custom';
  return {
    event_name: name,
    action_source: actionSource(event),
    event_time: event.time,
    event_id: event.eventId,
    ...(event.sourceUrl && { event_source_url: event.sourceUrl }),
    user_data: {
      ...conversionsUserData(user),
      ...(user.clickId && { click_id: user.clickId }),
    },
    custom_data: {
      ...conversionsCustomData(event),
      // A buyer's own event keeps its name where Pinterest has a field for it.
      ...(name === 'custom' && { content_name: event.name }),
    },
  };
}

interface Named {
  id?: string;
  name?: string;
}

export function pinterestSocial(api: PinterestApi): ProviderSocial {
  const base = (ctx: AdapterContext) => `ad_accounts/${encodeURIComponent(ctx.account.id)}`;
  const audiencePath = (ctx: AdapterContext, id: string) =>
    `${base(ctx)}/audiences/${encodeURIComponent(id)}`;

  async function findByName(ctx: AdapterContext, edge: string, name: string) {
    const found = await api.pages<Named>(`${base(ctx)}/${edge}`, ctx.accessToken, {}, 5000);
    return found.find((o) => o.name === name)?.id ?? null;
  }

  async function listOf(ctx: AdapterContext, audienceId: string) {
    const audience = await api.get<{ rule?: { customer_list_id?: unknown } }>(
      audiencePath(ctx, audienceId),
      ctx.accessToken,
    );
    const listId = audience.rule?.customer_list_id;
    if (typeof listId !== 'string' || !listId) {
      throw new ProviderError('INVALID_REQUEST', 'The Pinterest audience has no customer list');
    }
    return listId;
  }

  return {
    membersAtCreate: true,
    // Ad groups target the audience (buy.ts): emails and device ids, from 100 matched people.
    audienceTargeting: {
      identifierTypes: ['hashed_email'],
      uidTypes: ['maid'],
      minimumSize: targetableSize,
    },

    async createAudience(ctx, input) {
      const [first, ...more] = chunks(recordsOf(input.initial), recordsPerCall);
      if (!first) {
        throw new ProviderError(
          'INVALID_REQUEST',
          'Pinterest makes a customer list from its first members: send hashed emails or device ids with the audience',
        );
      }
      // A list made before a lost answer is found again by its name, not made twice.
      const listId =
        (await findByName(ctx, 'customer_lists', input.name)) ??
        idOf(
          (
            await api.post<Named>(`${base(ctx)}/customer_lists`, ctx.accessToken, {
              name: input.name,
              records: first.join(','),
              list_type: 'EMAIL',
            })
          ).id,
        );
      for (const batch of more) {
        await api.patch(
          `${base(ctx)}/customer_lists/${encodeURIComponent(listId)}`,
          ctx.accessToken,
          {
            operation_type: 'ADD',
            records: batch.join(','),
          },
        );
      }
      const audience = await api.post<Named>(`${base(ctx)}/audiences`, ctx.accessToken, {
        ad_account_id: ctx.account.id,
        name: input.name,
        audience_type: 'CUSTOMER_LIST',
        rule: { customer_list_id: listId },
        ...(input.description && { description: input.description.slice(0, 255) }),
      });
      return idOf(audience.id);
    },

    findAudience: (ctx, name) => findByName(ctx, 'audiences', name),

    async changeMembers(ctx, audienceId, change) {
      const listId = await listOf(ctx, audienceId);
      const path = `${base(ctx)}/customer_lists/${encodeURIComponent(listId)}`;
      for (const [operation, members] of [
        ['ADD', change.add],
        ['REMOVE', change.remove],
      ] as const) {
        for (const batch of chunks(recordsOf(members), recordsPerCall)) {
          await api.patch(path, ctx.accessToken, {
            operation_type: operation,
            records: batch.join(','),
          });
        }
      }
    },

    async deleteAudience(ctx, audienceId) {
      await api.patch(audiencePath(ctx, audienceId), ctx.accessToken, {
        operation_type: 'REMOVE',
      });
    },

    async audienceState(ctx, audienceId) {
      const audience = await api.get<{ status?: unknown; size?: unknown }>(
        audiencePath(ctx, audienceId),
        ctx.accessToken,
      );
      const matched = typeof audience.size === 'number' ? audience.size : null;
      if (audience.status === 'TOO_SMALL') return { status: 'too_small', matched };
      return { status: audience.status === 'READY' ? 'ready' : 'processing', matched };
    },

    async createEventSource(ctx, name) {
      const tag = await api.post<Named>(`${base(ctx)}/conversion_tags`, ctx.accessToken, {
        name,
      });
      return idOf(tag.id);
    },

    async findEventSource(ctx, name) {
      const tags = await api.get<{ items?: Named[] }>(
        `${base(ctx)}/conversion_tags`,
        ctx.accessToken,
      );
      return tags.items?.find((t) => t.name === name)?.id ?? null;
    },

    async sendEvents(ctx, _tagId, events, testCode) {
      let received = 0;
      for (const batch of chunks(events, eventsPerCall)) {
        const answer = await api.post<{ num_events_received?: number }>(
          `${base(ctx)}/events`,
          ctx.accessToken,
          { data: batch.map(conversionEvent) },
          testCode ? { test: 'true' } : undefined,
        );
        received += answer.num_events_received ?? 0;
      }
      return { received };
    },

    // The v5 reference names no age limit on event_time: Pinterest judges each event.
    eventWindowSeconds: null,
    eventName: (type) => standardEvents[type] ?? null,
  };
}

function idOf(id: unknown): string {
  return createdId(id, 'Pinterest made the object without an id');
}
