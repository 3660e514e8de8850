import { createFailureQueue, createOAuthBook } from '../oauth-book.js';

/*
 * The state of the fake Reddit (server.ts): its app, the businesses and ad accounts the next
 * member to consent can reach, the tokens it issued and the ad objects made with them. Tests
 * read it the way an operator would look in Reddit Ads Manager: which campaign, ad groups,
 * posts and ads exist, with which goal, bid, targeting and status; which custom audiences hold
 * which digests; which conversion events the account's pixel recorded; which product catalogs
 * hold which products, and every product write Reddit took.
 */

export interface FakeRedditOptions {
  clientId: string;
  clientSecret: string;
  /** The redirect URIs the app allows; any when omitted. */
  redirectUris?: string[];
  /** Access token lifetime in seconds (Reddit: one hour). */
  accessTokenSeconds?: number;
}

export interface FakeRedditAccount {
  id: string;
  businessId: string;
  name: string;
  currency: string;
  admin_approval: string;
  suspension_reason: string | null;
  /** The profile its promoted posts are made on (none: the account has no profile). */
  profileId: string | null;
}

export type FakeKind = 'campaign' | 'ad_group' | 'post' | 'ad';

export interface FakeRedditObject {
  id: string;
  kind: FakeKind;
  accountId: string;
  fields: Record<string, unknown>;
  /** The fields as first sent. */
  created: Record<string, unknown>;
}

/** A CUSTOMER_LIST custom audience and its members (`EMAIL_SHA256:<digest>`, `MAID_SHA256:…`). */
export interface FakeRedditAudience {
  accountId: string;
  name: string;
  members: Set<string>;
  createdAt: string;
}

/** A business's product catalog: its products by id (as last upserted) and its feeds. */
export interface FakeRedditCatalog {
  businessId: string;
  name: string;
  currency: string;
  language: string;
  products: Map<string, Record<string, unknown>>;
  feeds: Map<string, Record<string, unknown>>;
}

export function createRedditState(options: FakeRedditOptions) {
  let seq = 1_900_000_000;
  const objects = new Map<string, FakeRedditObject>();
  const delivered = new Map<string, { impressions: number; clicks: number; spendMicros: number }>();
  const calls: Array<{ method: string; path: string; grant?: string; userAgent?: string }> = [];
  const book = createOAuthBook(
    { access: 'eyJhbGciOiJSUzI1NiJ9.', refresh: 'rt_' },
    () => options.accessTokenSeconds ?? 3600,
  );
  return {
    ...book,
    ...createFailureQueue(),
    options,
    consent: 'approve' as 'approve' | 'deny',
    /** The ad accounts the next member to consent reaches (through their businesses). */
    consentAccounts: ['a2_acme1', 'a2_acme2'],
    businesses: [
      { id: 'b1a2c3d4-0000-4000-8000-000000000001', name: 'Acme Outdoor' },
      { id: 'b1a2c3d4-0000-4000-8000-000000000002', name: 'Other Brand Ltd' },
    ],
    accounts: [
      {
        id: 'a2_acme1',
        businessId: 'b1a2c3d4-0000-4000-8000-000000000001',
        name: 'Acme Outdoor US',
        currency: 'USD',
        admin_approval: 'VALID',
        suspension_reason: null,
        profileId: 't2_acmeoutdoor',
      },
      {
        id: 'a2_acme2',
        businessId: 'b1a2c3d4-0000-4000-8000-000000000001',
        name: 'Acme Outdoor (suspended)',
        currency: 'USD',
        admin_approval: 'SUSPENDED',
        suspension_reason: 'ADVERTISING_POLICY',
        profileId: 't2_acmeoutdoor',
      },
      {
        id: 'a2_other',
        businessId: 'b1a2c3d4-0000-4000-8000-000000000002',
        name: 'Other Brand UK',
        currency: 'GBP',
        admin_approval: 'TRUSTED',
        suspension_reason: null,
        profileId: 't2_otherbrand',
      },
    ] as FakeRedditAccount[],
    /** The largest page a list answers (Reddit: page.size up to 1000). */
    maxPageSize: 1000,
    /** A create made but its answer dropped (the connection is cut), for the next such path. */
    loseAnswerOf: undefined as string | undefined,
    objects,
    delivered,
    calls,
    /** Custom audiences by id. */
    audiences: new Map<string, FakeRedditAudience>(),
    /** Each PATCH …/users Reddit took: its audience, action, columns and rows. */
    audienceUploads: [] as Array<{
      audienceId: string;
      action: string;
      columns: string[];
      rows: number;
    }>,
    /** The pixel Reddit gives each ad account (its id is the account's, as Reddit shows it). */
    pixels: [
      { id: 'a2_acme1', accountId: 'a2_acme1', name: 'Acme Outdoor US pixel' },
      { id: 'a2_acme2', accountId: 'a2_acme2', name: 'Acme Outdoor (suspended) pixel' },
      { id: 'a2_other', accountId: 'a2_other', name: 'Other Brand UK pixel' },
    ],
    /** Conversion events recorded, once per pixel, conversion id and event type. */
    conversions: [] as Array<{ pixelId: string; event: Record<string, unknown> }>,
    /** Events sent with a test_id (Events Manager's test view), not recorded as conversions. */
    testConversions: [] as Array<{
      pixelId: string;
      testId: string;
      event: Record<string, unknown>;
    }>,
    /** Product catalogs by id. */
    catalogs: new Map<string, FakeRedditCatalog>(),
    /** Each product batch Reddit took: its catalog, upsert or delete, and the product ids. */
    catalogWrites: [] as Array<{ catalogId: string; op: 'upsert' | 'delete'; ids: string[] }>,
    newId: () => String(++seq),
    create(kind: FakeKind, accountId: string, fields: Record<string, unknown>) {
      const id = kind === 'post' ? `t3_${(++seq).toString(36)}` : String(++seq);
      const object = { id, kind, accountId, fields: { ...fields }, created: fields };
      objects.set(object.id, object);
      return object;
    },
    ofKind(kind: FakeKind, accountId?: string) {
      return [...objects.values()].filter(
        (o) => o.kind === kind && (!accountId || o.accountId === accountId),
      );
    },
    /** Reports delivery for an ad group (what the account's report will answer). */
    deliver(adGroupId: string, figures: { impressions: number; clicks: number; spend: number }) {
      delivered.set(adGroupId, {
        impressions: figures.impressions,
        clicks: figures.clicks,
        spendMicros: Math.round(figures.spend * 1_000_000),
      });
    },
  };
}

export type RedditState = ReturnType<typeof createRedditState>;
