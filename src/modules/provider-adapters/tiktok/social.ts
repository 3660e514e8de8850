import { createHash } from 'node:crypto';
import type { AdapterContext, HashedMember, ProviderEvent, ProviderSocial } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import type { TikTokApi } from './api.js';

/*
 * TikTok's side of sales-social, from the TikTok API for Business v1.3 documentation
 * (business-api.tiktok.com/portal/docs: "Custom Audience", "Upload an audience file",
 * "Create an audience by file", "Update an audience", "Get audience details", "Pixel",
 * "Events API 2.0"):
 * - an audience is a customer-file custom audience: its members' SHA-256 email digests are
 *   uploaded as a file (POST /dmp/custom_audience/file/upload/, multipart: the file, its MD5 as
 *   `file_signature`, `calculate_type` EMAIL_SHA256) and the audience made from that file
 *   (/dmp/custom_audience/create/), which it cannot be without one; members are added and
 *   removed by more files (/dmp/custom_audience/update/, `action` APPEND or DELETE); its state
 *   from /dmp/custom_audience/get/ (`is_valid` while TikTok matches, `cover_num` matched);
 *   deleted by /dmp/custom_audience/delete/. One calculate type per audience: emails only
 *   (phone numbers and device ids are not sent);
 * - an event source is a TikTok Pixel (/pixel/create/, found again by /pixel/list/), and events
 *   go to it through the Events API (POST /event/track/, `event_source: web`, the pixel code as
 *   `event_source_id`, `test_event_code` for a test), which deduplicates by event_id.
 */

/** Digests per customer file (TikTok takes files up to 50 MB; 10,000 lines is far under). */
const linesPerFile = 10_000;
/** TikTok targets an audience once it matches at least 1,000 people. */
const targetableSize = 1000;

/** AdCP event types in TikTok's standard event names ("Standard events and parameters"). */
const standardEvents: Record<string, string> = {
  view_content: 'ViewContent',
  search: 'Search',
  add_to_cart: 'AddToCart',
  add_to_wishlist: 'AddToWishlist',
  initiate_checkout: 'InitiateCheckout',
  add_payment_info: 'AddPaymentInfo',
  purchase: 'CompletePayment',
  lead: 'SubmitForm',
  complete_registration: 'CompleteRegistration',
  subscribe: 'Subscribe',
  contact: 'Contact',
};

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const emailsOf = (members: HashedMember[]) => members.flatMap((m) => (m.email ? [m.email] : []));

function trackedEvent(event: ProviderEvent) {
  const { user } = event;
  return {
    event: event.name,
    event_time: event.time,
    event_id: event.eventId,
    user: {
      ...(user.emails[0] && { email: user.emails[0] }),
      ...(user.phones[0] && { phone: user.phones[0] }),
      ...(user.clientIp && { ip: user.clientIp }),
      ...(user.userAgent && { user_agent: user.userAgent }),
      ...(user.clickId && { ttclid: user.clickId }),
    },
    ...(event.sourceUrl && { page: { url: event.sourceUrl } }),
    properties: {
      ...(event.value !== null && { value: event.value }),
      ...(event.currency && { currency: event.currency.toUpperCase() }),
      ...(event.orderId && { order_id: event.orderId }),
      ...(event.contentIds.length > 0 && {
        contents: event.contentIds.map((id) => ({ content_id: id })),
      }),
    },
  };
}

export function tiktokSocial(api: TikTokApi): ProviderSocial {
  const advertiser = (ctx: AdapterContext) => ({ advertiser_id: ctx.account.id });

  /** Uploads digests as customer files; their paths, for a create or an update. */
  async function files(ctx: AdapterContext, emails: string[]): Promise<string[]> {
    const paths: string[] = [];
    for (const batch of chunks(emails, linesPerFile)) {
      const content = `${batch.join('\n')}\n`;
      const uploaded = await api.upload<{ file_path?: unknown }>(
        'dmp/custom_audience/file/upload',
        ctx.accessToken,
        {
          advertiser_id: ctx.account.id,
          calculate_type: 'EMAIL_SHA256',
          file_signature: createHash('md5').update(content).digest('hex'),
        },
        { name: 'members.txt', content },
      );
      if (typeof uploaded.file_path !== 'string' || !uploaded.file_path) {
        throw new ProviderError('SERVICE_UNAVAILABLE', 'TikTok stored the file without a path', {
          retryable: true,
        });
      }
      paths.push(uploaded.file_path);
    }
    return paths;
  }

  return {
    membersAtCreate: true,
    // Ad groups target them (buy.ts); emails only, from 1,000 matched people.
    audienceTargeting: {
      identifierTypes: ['hashed_email'],
      uidTypes: [],
      minimumSize: targetableSize,
    },

    async createAudience(ctx, input) {
      const emails = emailsOf(input.initial);
      if (!emails.length) {
        throw new ProviderError(
          'INVALID_REQUEST',
          'TikTok makes a customer-file audience from its first members: send hashed emails with the audience',
        );
      }
      const made = await api.post<{ custom_audience_id?: unknown }>(
        'dmp/custom_audience/create',
        ctx.accessToken,
        {
          ...advertiser(ctx),
          custom_audience_name: input.name.slice(0, 128),
          file_paths: await files(ctx, emails),
          calculate_type: 'EMAIL_SHA256',
        },
      );
      return idOf(made.custom_audience_id);
    },

    async findAudience(ctx, name) {
      const found = await api.pages<{ custom_audience_id?: unknown; name?: unknown }>(
        'dmp/custom_audience/list',
        ctx.accessToken,
        advertiser(ctx),
        5000,
      );
      const match = found.find((a) => a.name === name.slice(0, 128));
      return match ? idOf(match.custom_audience_id) : null;
    },

    async changeMembers(ctx, audienceId, change) {
      for (const [action, members] of [
        ['APPEND', change.add],
        ['DELETE', change.remove],
      ] as const) {
        const emails = emailsOf(members);
        if (!emails.length) continue;
        await api.post('dmp/custom_audience/update', ctx.accessToken, {
          ...advertiser(ctx),
          custom_audience_id: audienceId,
          action,
          file_paths: await files(ctx, emails),
        });
      }
    },

    async deleteAudience(ctx, audienceId) {
      await api.post('dmp/custom_audience/delete', ctx.accessToken, {
        ...advertiser(ctx),
        custom_audience_ids: [audienceId],
      });
    },

    async audienceState(ctx, audienceId) {
      const got = await api.get<{
        list?: Array<{ audience_details?: { is_valid?: unknown; cover_num?: unknown } }>;
      }>('dmp/custom_audience/get', ctx.accessToken, {
        ...advertiser(ctx),
        custom_audience_ids: [audienceId],
      });
      const details = got.list?.[0]?.audience_details;
      const matched = typeof details?.cover_num === 'number' ? details.cover_num : null;
      if (details?.is_valid !== true) return { status: 'processing', matched };
      return { status: (matched ?? 0) >= targetableSize ? 'ready' : 'too_small', matched };
    },

    async createEventSource(ctx, name) {
      const made = await api.post<{ pixel_code?: unknown }>('pixel/create', ctx.accessToken, {
        ...advertiser(ctx),
        pixel_name: name.slice(0, 128),
      });
      return idOf(made.pixel_code);
    },

    async findEventSource(ctx, name) {
      const found = await api.pages<{ pixel_code?: unknown; pixel_name?: unknown }>(
        'pixel/list',
        ctx.accessToken,
        advertiser(ctx),
        1000,
        20,
      );
      const match = found.find((p) => p.pixel_name === name.slice(0, 128));
      return match ? idOf(match.pixel_code) : null;
    },

    async sendEvents(ctx, pixelCode, events, testCode) {
      await api.post('event/track', ctx.accessToken, {
        event_source: 'web',
        event_source_id: pixelCode,
        ...(testCode && { test_event_code: testCode }),
        data: events.map(trackedEvent),
      });
      // TikTok answers the whole batch taken or refused (a refusal is an error code).
      return { received: events.length };
    },

    // The v1.3 documentation we read names no age limit for event_time.
    eventWindowSeconds: null,
    eventName: (type) => standardEvents[type] ?? null,
  };
}

function idOf(id: unknown): string {
  return createdId(id, 'TikTok made the object without an id', { numbers: true });
}
