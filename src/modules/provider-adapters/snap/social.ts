import { createHash } from 'node:crypto';
import type { AdapterContext, HashedMember, ProviderSocial } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import { entities, type SnapApi } from './api.js';
import { snapEvents, snapRefusal, type SnapConversions } from './conversions.js';

/*
 * Snap's side of sales-social, from the Marketing API pages "Customer Lists" and "Snap Pixel"
 * (https://developers.snap.com/api/marketing-api/Ads-API/) and the Conversions API
 * (conversions.ts):
 * - an audience is a Customer List segment (formerly Snap Audience Match) in the ad account:
 *   POST /adaccounts/{id}/segments (`name`, `source_type: FIRST_PARTY`, `retention_in_days`, 9999
 *   being lifetime), which Snap makes empty; members are added by POST /segments/{id}/users and
 *   removed by DELETE on the same path, `{users: [{schema: [EMAIL_SHA256 | PHONE_SHA256 |
 *   MOBILE_AD_ID_SHA256], data: [[digest], …]}]}`, at most 100,000 identifiers a request; its
 *   state from GET /segments/{id} (`targetable_status` READY, TOO_FEW_USERS or NOT_READY,
 *   `approximate_number_users`); deleted by DELETE /segments/{id};
 * - an event source is the ad account's Snap Pixel: Snap makes pixels in Ads Manager only, one
 *   per ad account, and the API reads it (GET /adaccounts/{id}/pixels). Every buyer's event
 *   source at a source is therefore that one pixel on Snap's side (recorded per buyer on ours:
 *   another buyer cannot send under it); an account without one is refused with what to do.
 */

/** Matched users from which Snap targets a customer list (below: TOO_FEW_USERS). */
const targetableSize = 1000;
/** Identifiers per users request (Snap: at most 100,000). */
const identifiersPerCall = 100_000;
/** Customer lists are kept for a lifetime (Snap's 9999). */
const lifetimeDays = 9999;

const sha256Hex = /^[0-9a-f]{64}$/;

/**
 * A mobile ad id as Snap matches it: lower-cased, then SHA-256 ("Customer Lists": normalise and
 * hash). AdCP carries a device id as is; one already a digest is sent as it is.
 */
function maidDigest(maid: string): string {
  const lower = maid.trim().toLowerCase();
  return sha256Hex.test(lower) ? lower : createHash('sha256').update(lower).digest('hex');
}

/** The members' identifiers by Snap schema; only SHA-256 digests. */
function identifiersOf(members: HashedMember[]): Array<[string, string[]]> {
  const emails = members.flatMap((m) => (m.email ? [m.email] : []));
  const phones = members.flatMap((m) => (m.phone ? [m.phone] : []));
  const maids = members.flatMap((m) => (m.maid ? [maidDigest(m.maid)] : []));
  const all: Array<[string, string[]]> = [
    ['EMAIL_SHA256', emails],
    ['PHONE_SHA256', phones],
    ['MOBILE_AD_ID_SHA256', maids],
  ];
  return all.filter(([, values]) => values.length > 0);
}

interface Named {
  id?: unknown;
  name?: unknown;
  status?: unknown;
}

export function snapSocial(api: SnapApi, conversions: SnapConversions): ProviderSocial {
  const segments = (ctx: AdapterContext) =>
    `adaccounts/${encodeURIComponent(ctx.account.id)}/segments`;
  const segment = (id: string) => `segments/${encodeURIComponent(id)}`;

  async function accountPixel(ctx: AdapterContext): Promise<string | null> {
    const answer = await api.get<Record<string, unknown>>(
      `adaccounts/${encodeURIComponent(ctx.account.id)}/pixels`,
      ctx.accessToken,
    );
    const pixels = entities<Named>(answer, 'pixels', 'pixel').filter(
      (p) => typeof p.id === 'string' && p.id,
    );
    const pixel = pixels.find((p) => p.status === 'ACTIVE') ?? pixels[0];
    return pixel ? (pixel.id as string) : null;
  }

  return {
    membersAtCreate: false,
    // Ad squads target them (buy.ts): emails, phones and device ids, from 1,000 matched users.
    audienceTargeting: {
      identifierTypes: ['hashed_email', 'hashed_phone'],
      uidTypes: ['maid'],
      minimumSize: targetableSize,
    },

    async createAudience(ctx, input) {
      const made = await api.one<Named>(
        'POST',
        segments(ctx),
        ctx.accessToken,
        ['segments', 'segment'],
        {
          ad_account_id: ctx.account.id,
          name: input.name,
          source_type: 'FIRST_PARTY',
          retention_in_days: lifetimeDays,
          ...(input.description && { description: input.description.slice(0, 375) }),
        },
        // Its answer lost, the next sync finds it by name: never sent twice.
        { once: true },
      );
      return idOf(made.id);
    },

    async findAudience(ctx, name) {
      const found = await api.pages<Named>(
        segments(ctx),
        ctx.accessToken,
        ['segments', 'segment'],
        5000,
      );
      const match = found.find((s) => s.name === name);
      return match ? idOf(match.id) : null;
    },

    async changeMembers(ctx, audienceId, change) {
      const path = `${segment(audienceId)}/users`;
      for (const [method, members] of [
        ['POST', change.add],
        ['DELETE', change.remove],
      ] as const) {
        for (const [schema, values] of identifiersOf(members)) {
          for (let i = 0; i < values.length; i += identifiersPerCall) {
            const data = values.slice(i, i + identifiersPerCall).map((v) => [v]);
            const answer = await api.json<Record<string, unknown>>(method, path, ctx.accessToken, {
              // A removal names its segment in the entry as well as in the path.
              users: [{ ...(method === 'DELETE' && { id: audienceId }), schema: [schema], data }],
            });
            entities(answer, 'users', 'user');
          }
        }
      }
    },

    async deleteAudience(ctx, audienceId) {
      await api.remove(segment(audienceId), ctx.accessToken);
    },

    async audienceState(ctx, audienceId) {
      const answer = await api.get<Record<string, unknown>>(segment(audienceId), ctx.accessToken);
      const [found] = entities<{ targetable_status?: unknown; approximate_number_users?: unknown }>(
        answer,
        'segments',
        'segment',
      );
      const size = found?.approximate_number_users;
      const matched = typeof size === 'number' ? size : null;
      if (found?.targetable_status === 'READY') return { status: 'ready', matched };
      if (found?.targetable_status === 'TOO_FEW_USERS') return { status: 'too_small', matched };
      return { status: 'processing', matched };
    },

    // The account's one pixel, whatever the buyer names its event source.
    findEventSource: (ctx) => accountPixel(ctx),

    createEventSource() {
      return Promise.reject(
        new ProviderError(
          'ACCOUNT_SETUP_REQUIRED',
          "The connected Snap ad account has no Snap Pixel: Snap makes pixels in Ads Manager only; once the storefront's operator has made one there, sync the event source again",
        ),
      );
    },

    async sendEvents(ctx, pixelId, events, testCode) {
      const received = await conversions.send(pixelId, ctx.accessToken, events, testCode !== null);
      return { received };
    },

    // "Events can have a timestamp of maximum 37 days back": an older one fails its batch.
    eventWindowSeconds: 37 * 86_400,
    eventName: (type) => snapEvents[type] ?? null,
    refuseEvent: snapRefusal,
  };
}

function idOf(id: unknown): string {
  return createdId(id, 'Snap made the object without an id');
}
