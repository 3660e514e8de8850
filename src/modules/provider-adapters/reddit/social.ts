import { createHash } from 'node:crypto';
import type { AdapterContext, HashedMember, ProviderEvent, ProviderSocial } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import type { RedditApi } from './api.js';

/*
 * Reddit's side of sales-social (Ads API v3, https://ads-api.reddit.com/docs/v3/: Custom
 * Audiences, Pixels and Post Conversion Events; the request shapes as Reddit's OpenAPI
 * description has them, and the Conversions API body as Reddit's own server-side tag sends it,
 * github.com/reddit/reddit-ss-gtm-template):
 * - an audience is a CUSTOMER_LIST custom audience (POST /ad_accounts/{id}/custom_audiences,
 *   `{name, type}`; Reddit makes it empty), listed by GET on the same path; members are added
 *   and removed by PATCH /custom_audiences/{id}/users (`action_type` ADD or REMOVE,
 *   `column_order` EMAIL_SHA256 / MAID_SHA256, `user_data` rows, at most 2,500 a call); its
 *   state from GET /custom_audiences/{id} (`status` VALID from 1,000 matched people,
 *   NOT_ENOUGH_MATCHES_ERROR below; `size_range_lower`); DELETE /custom_audiences/{id}.
 *   Customer lists match emails and mobile ad ids (hashed), not phone numbers: phones are not
 *   sent, and device ids are hashed here (trimmed, lower case) so only digests leave us;
 * - Reddit gives an ad account its pixel (GET /ad_accounts/{id}/pixels) and has no call to make
 *   another: every buyer's event source is the account's pixel, kept apart on our side. Each
 *   buyer's event ids are sent as conversion ids prefixed with its event source's tag, so one
 *   buyer's "order-1" never deduplicates away another's;
 * - events go to POST /pixels/{id}/conversion_events (`{data: {events, test_id}}`), which
 *   deduplicates by `metadata.conversion_id` and event type, and answers no count.
 */

/** Matched people from which Reddit targets a custom audience (below: NOT_ENOUGH_MATCHES_ERROR). */
const targetableSize = 1000;
/** user_data rows per PATCH …/users (Reddit: at most 2,500). */
const rowsPerCall = 2500;
/** Events per Conversions API call (our assumption; Reddit's tag sends one at a time). */
const eventsPerCall = 1000;

/** AdCP event types as Reddit's tracking types; any other is sent as CUSTOM, by its name. */
const standardEvents: Record<string, string> = {
  page_view: 'PAGE_VISIT',
  view_content: 'VIEW_CONTENT',
  search: 'SEARCH',
  add_to_cart: 'ADD_TO_CART',
  add_to_wishlist: 'ADD_TO_WISHLIST',
  purchase: 'PURCHASE',
  lead: 'LEAD',
  complete_registration: 'SIGN_UP',
};
const trackingTypes = new Set(Object.values(standardEvents));

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The members as Reddit's two columns: email digests, and device ids hashed here. */
function columnsOf(members: HashedMember[]): Array<[string, string[]]> {
  const emails = new Set<string>();
  const maids = new Set<string>();
  for (const m of members) {
    if (m.email) emails.add(m.email);
    if (m.maid) maids.add(sha256(m.maid.trim().toLowerCase()));
  }
  return [
    ['EMAIL_SHA256', [...emails]],
    ['MAID_SHA256', [...maids]],
  ];
}

/** Where the event happened, in Reddit's four action sources. */
function actionSource(source: string) {
  if (source === 'website') return 'WEBSITE';
  if (source === 'app') return 'APP';
  if (source === 'in_store') return 'PHYSICAL_STORE';
  return 'OTHER';
}

function conversionEvent(event: ProviderEvent, scope: string) {
  const { user } = event;
  const standard = trackingTypes.has(event.name);
  return {
    event_at: event.time * 1000,
    action_source: actionSource(event.actionSource),
    type: standard
      ? { tracking_type: event.name }
      : { tracking_type: 'CUSTOM', custom_event_name: event.name },
    ...(user.clickId && { click_id: user.clickId }),
    ...(event.sourceUrl && { event_source_url: event.sourceUrl }),
    user: {
      ...(user.emails[0] && { email: user.emails[0] }),
      ...(user.phones[0] && { phone_number: user.phones[0] }),
      ...(user.clientIp && { ip_address: user.clientIp }),
      ...(user.userAgent && { user_agent: user.userAgent }),
    },
    metadata: {
      // The buyer's event id, in its event source's own space (the pixel is shared).
      conversion_id: `${scope}:${event.eventId}`,
      ...(event.value !== null && { value: event.value }),
      ...(event.currency && { currency: event.currency.toUpperCase() }),
      ...(event.contentIds.length > 0 && {
        products: event.contentIds.map((id) => ({ id })),
        item_count: event.contentIds.length,
      }),
    },
  };
}

/** The tag the shared code put in the event source's name (`… [ix-…]`), or a digest of it. */
const scopeOf = (name: string) =>
  /\[(ix-[0-9a-f]{16})\]$/.exec(name)?.[1] ?? `ix-${sha256(name).slice(0, 16)}`;

/** Our id of a buyer's event source: the account's pixel and the buyer's conversion-id space. */
function parseSourceId(id: string) {
  const at = id.lastIndexOf(':');
  if (at <= 0) throw new ProviderError('INVALID_REQUEST', 'Not a Reddit event source');
  return { pixelId: id.slice(0, at), scope: id.slice(at + 1) };
}

interface Named {
  id?: string;
  name?: string;
}

export function redditSocial(api: RedditApi): ProviderSocial {
  const base = (ctx: AdapterContext) => `ad_accounts/${encodeURIComponent(ctx.account.id)}`;
  const audiencePath = (id: string) => `custom_audiences/${encodeURIComponent(id)}`;

  async function accountPixel(ctx: AdapterContext, name: string) {
    const [pixel] = await api.pages<Named>(`${base(ctx)}/pixels`, ctx.accessToken, {}, 1);
    return pixel?.id ? `${pixel.id}:${scopeOf(name)}` : null;
  }

  return {
    membersAtCreate: false,
    // Ad groups target them (buy.ts): emails and device ids (phones are not sent), from 1,000.
    audienceTargeting: {
      identifierTypes: ['hashed_email'],
      uidTypes: ['maid'],
      minimumSize: targetableSize,
    },

    async createAudience(ctx, input) {
      const made = await api.write<Named>(
        'POST',
        `${base(ctx)}/custom_audiences`,
        ctx.accessToken,
        {
          name: input.name,
          type: 'CUSTOMER_LIST',
        },
      );
      return idOf(made.id);
    },

    async findAudience(ctx, name) {
      const found = await api.pages<Named>(
        `${base(ctx)}/custom_audiences`,
        ctx.accessToken,
        {},
        5000,
      );
      return found.find((a) => a.name === name)?.id ?? null;
    },

    async changeMembers(ctx, audienceId, change) {
      const path = `${audiencePath(audienceId)}/users`;
      for (const [action, members] of [
        ['ADD', change.add],
        ['REMOVE', change.remove],
      ] as const) {
        for (const [column, values] of columnsOf(members)) {
          for (const batch of chunks(values, rowsPerCall)) {
            await api.command('PATCH', path, ctx.accessToken, {
              action_type: action,
              column_order: [column],
              user_data: batch.map((value) => [value]),
            });
          }
        }
      }
    },

    deleteAudience: (ctx, audienceId) => api.remove(audiencePath(audienceId), ctx.accessToken),

    async audienceState(ctx, audienceId) {
      const audience = await api.get<{ status?: unknown; size_range_lower?: unknown }>(
        audiencePath(audienceId),
        ctx.accessToken,
      );
      const matched =
        typeof audience?.size_range_lower === 'number' ? audience.size_range_lower : null;
      if (audience?.status === 'NOT_ENOUGH_MATCHES_ERROR') return { status: 'too_small', matched };
      return { status: audience?.status === 'VALID' ? 'ready' : 'processing', matched };
    },

    findEventSource: accountPixel,

    async createEventSource(ctx, name) {
      // Reddit makes no second pixel: without the account's own there is nothing to send to.
      const pixel = await accountPixel(ctx, name);
      if (!pixel) {
        throw new ProviderError(
          'INVALID_REQUEST',
          'The Reddit ad account has no pixel yet: its owner sets one up in Reddit Ads Events Manager',
        );
      }
      return pixel;
    },

    async sendEvents(ctx, sourceId, events, testCode) {
      const { pixelId, scope } = parseSourceId(sourceId);
      let received = 0;
      for (const batch of chunks(events, eventsPerCall)) {
        await api.command(
          'POST',
          `pixels/${encodeURIComponent(pixelId)}/conversion_events`,
          ctx.accessToken,
          {
            ...(testCode && { test_id: testCode }),
            events: batch.map((e) => conversionEvent(e, scope)),
          },
        );
        // Reddit answers a message, not a count: a batch it accepted counts whole.
        received += batch.length;
      }
      return { received };
    },

    // Reddit's guidance: events reach the Conversions API within 7 days of happening.
    eventWindowSeconds: 7 * 86_400,
    eventName: (type) => standardEvents[type] ?? null,
  };
}

function idOf(id: unknown): string {
  return createdId(id, 'Reddit made the audience without an id');
}
