import { randomUUID } from 'node:crypto';
import { createFailureQueue, createOAuthBook } from '../oauth-book.js';

/*
 * The state of the fake Snap (server.ts): its OAuth app, the organizations and ad accounts the
 * next person to consent can reach, the tokens it issued and the ad objects made with them.
 * Tests read it the way an operator would look in Snap Ads Manager: which campaign, ad squads,
 * media, creatives and ads exist, with which budget, placement, targeting and status; which
 * customer-list segments with which hashed identifiers, and which events reached the pixel;
 * which catalogs the organization holds and which feeds Snap fetches into them.
 */

export interface FakeSnapOptions {
  clientId: string;
  clientSecret: string;
  redirectUris?: string[];
  /** Access token lifetime in seconds (Snap: about an hour). */
  accessTokenSeconds?: number;
}

export interface FakeSnapAccount {
  id: string;
  name: string;
  currency: string;
  status: string;
  organizationId: string;
}

export type FakeKind =
  'campaign' | 'adsquad' | 'media' | 'creative' | 'ad' | 'segment' | 'pixel' | 'catalog';

/** An organization's product catalog and the product feeds Snap fetches into it. */
export interface FakeSnapCatalog {
  id: string;
  organizationId: string;
  fields: Record<string, unknown>;
  feeds: Map<string, Record<string, unknown>>;
}

/** An event the Conversions API took (`test`: through its Test Event Tool, not counted). */
export interface FakeSnapEvent {
  pixelId: string;
  test: boolean;
  event: Record<string, unknown>;
}

export interface FakeSnapObject {
  id: string;
  kind: FakeKind;
  accountId: string;
  fields: Record<string, unknown>;
  /** The fields as first sent (status at creation). */
  created: Record<string, unknown>;
  deleted: boolean;
  /** Media only: the uploaded file. */
  file?: { bytes: number; type: string };
}

export function createSnapState(options: FakeSnapOptions) {
  const objects = new Map<string, FakeSnapObject>();
  const delivered = new Map<string, { impressions: number; swipes: number; spendMicro: number }>();
  const calls: Array<{ method: string; path: string; grant?: string }> = [];
  /** A customer-list segment's identifiers, by schema (EMAIL_SHA256, …). */
  const segmentUsers = new Map<string, Map<string, Set<string>>>();
  const events: FakeSnapEvent[] = [];
  const org = '6c3a1e4f-0000-4c1d-9a51-0a0a0a0a0a01';
  const book = createOAuthBook(
    { access: 'snap_at_', refresh: 'snap_rt_' },
    () => options.accessTokenSeconds ?? 1800,
  );
  const state = {
    ...book,
    ...createFailureQueue(),
    options,
    consent: 'approve' as 'approve' | 'deny',
    /** The next create of this kind is made, but its answer is cut off (the socket closed). */
    loseAnswerOf: undefined as FakeKind | undefined,
    consentAccounts: [
      '8adc3db7-8148-4fbf-999c-8d2266369d74',
      '8adc3db7-8148-4fbf-999c-8d2266369d75',
    ],
    organizations: [{ id: org, name: 'Acme Outdoor' }],
    accounts: [
      {
        id: '8adc3db7-8148-4fbf-999c-8d2266369d74',
        name: 'Acme Snap Ads',
        currency: 'GBP',
        status: 'ACTIVE',
        organizationId: org,
      },
      {
        id: '8adc3db7-8148-4fbf-999c-8d2266369d75',
        name: 'Acme Old Account',
        currency: 'GBP',
        status: 'PAUSED',
        organizationId: org,
      },
    ] as FakeSnapAccount[],
    objects,
    delivered,
    calls,
    segmentUsers,
    events,
    /** Product catalogs by id (catalogs.ts). */
    catalogs: new Map<string, FakeSnapCatalog>(),
    create(kind: FakeKind, accountId: string, fields: Record<string, unknown>) {
      const object: FakeSnapObject = {
        id: randomUUID(),
        kind,
        accountId,
        fields: { ...fields },
        created: fields,
        deleted: false,
      };
      objects.set(object.id, object);
      return object;
    },
    ofKind(kind: FakeKind, accountId?: string) {
      return [...objects.values()].filter(
        (o) => o.kind === kind && (!accountId || o.accountId === accountId),
      );
    },
    deliver(squadId: string, figures: { impressions: number; swipes: number; spend: number }) {
      delivered.set(squadId, {
        impressions: figures.impressions,
        swipes: figures.swipes,
        spendMicro: Math.round(figures.spend * 1_000_000),
      });
    },
    /** A segment's identifiers of every schema, counted as its matched users. */
    membersOf(segmentId: string) {
      return [...(segmentUsers.get(segmentId)?.values() ?? [])].reduce((n, s) => n + s.size, 0);
    },
  };
  // The operator made the active account's pixel in Ads Manager (the API only reads pixels).
  state.create('pixel', '8adc3db7-8148-4fbf-999c-8d2266369d74', {
    name: 'Acme Outdoor Pixel',
    status: 'ACTIVE',
  });
  return state;
}

export type SnapState = ReturnType<typeof createSnapState>;
