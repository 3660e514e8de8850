import { createFailureQueue, createOAuthBook } from '../oauth-book.js';

/*
 * The state of the fake Pinterest (server.ts): its app, the ad accounts the next person to
 * consent can reach (and their roles), the tokens it issued and the ad objects made with them.
 * Tests read it the way an operator would look in Pinterest Ads Manager: which campaign, ad
 * groups, Pins and ads exist, with which budget, placement, targeting and status.
 */

export interface FakePinterestOptions {
  clientId: string;
  clientSecret: string;
  /** The redirect URIs the app allows; any when omitted. */
  redirectUris?: string[];
  /** Access token lifetime in seconds (Pinterest: 30 days). */
  accessTokenSeconds?: number;
}

export interface FakeAdAccount {
  id: string;
  name: string;
  currency: string;
  country: string;
  /** The consenting user's Business Access roles on it. */
  permissions: string[];
}

export type FakeKind =
  'campaign' | 'ad_group' | 'pin' | 'ad' | 'customer_list' | 'audience' | 'conversion_tag';

export interface FakePinterestObject {
  id: string;
  kind: FakeKind;
  accountId: string;
  fields: Record<string, unknown>;
  /** The fields as first sent (status at creation). */
  created: Record<string, unknown>;
}

/** Retail catalogs by id (owned by an ad account's owner), their items, and item batches. */
function createCatalogBook() {
  let seq = 2_680_059_500_000;
  const catalogs = new Map<
    string,
    { id: string; name: string; catalog_type: string; owner: string; created_at: string }
  >();
  const catalogItems = new Map<string, Map<string, Record<string, unknown>>>();
  const batches = new Map<string, unknown[]>();
  const lostAnswers: string[] = [];
  return {
    catalogs,
    catalogItems,
    batches,
    addCatalog(owner: string, catalogType: string, name: string) {
      const id = String(++seq);
      const at = new Date().toISOString();
      catalogs.set(id, { id, name, catalog_type: catalogType, owner, created_at: at });
      catalogItems.set(id, new Map());
      return { id, name, catalog_type: catalogType, created_at: at, updated_at: at };
    },
    addBatch(records: unknown[]) {
      const id = `${++seq}-${batches.size.toString(16).padStart(8, '0')}`;
      batches.set(id, records);
      return id;
    },
    /** The next create on `path` is made, then answered with a 500 as if its answer was lost. */
    loseNextAnswer(path: string) {
      lostAnswers.push(path);
    },
    takeLostAnswer(path: string) {
      const at = lostAnswers.indexOf(path);
      return at >= 0 && lostAnswers.splice(at, 1).length > 0;
    },
  };
}

export function createPinterestState(options: FakePinterestOptions) {
  let seq = 549_755_900_000;
  const nextId = () => String(++seq);
  const objects = new Map<string, FakePinterestObject>();
  const delivered = new Map<string, { impressions: number; clicks: number; spendMicros: number }>();
  const calls: Array<{ method: string; path: string; grant?: string }> = [];
  const book = createOAuthBook(
    { access: 'pina_', refresh: 'pinr_' },
    () => options.accessTokenSeconds ?? 30 * 86_400,
  );
  return {
    ...book,
    ...createFailureQueue(),
    options,
    consent: 'approve' as 'approve' | 'deny',
    /** The ad accounts the next person to consent reaches. */
    consentAccounts: ['549755885175', '549755885176'],
    accounts: [
      {
        id: '549755885175',
        name: 'Acme Home',
        currency: 'USD',
        country: 'US',
        permissions: ['OWNER'],
      },
      {
        id: '549755885176',
        name: 'Acme Reporting (shared)',
        currency: 'USD',
        country: 'US',
        permissions: ['ANALYST'],
      },
      {
        id: '549755885177',
        name: 'Other Brand',
        currency: 'GBP',
        country: 'GB',
        permissions: ['CAMPAIGN_MANAGER'],
      },
    ] as FakeAdAccount[],
    /** The largest page GET /ad_accounts answers (Pinterest allows up to 250). */
    maxPageSize: 250,
    objects,
    delivered,
    calls,
    /** Video uploads registered (POST /media): their storage key, status and bytes stored. */
    media: new Map<string, { key: string; status: string; bytes: number }>(),
    /** Each customer list's records (SHA-256 digests). */
    listRecords: new Map<string, Set<string>>(),
    audiences: new Map<string, { name: string; listId: string }>(),
    /** Conversion events recorded, once per event_id and ad account. */
    events: [] as Array<{ accountId: string; event: Record<string, unknown> }>,
    ...createCatalogBook(),
    /** Scopes the person declines at the next consent (the rest of those asked are granted). */
    declinedScopes: new Set<string>(),
    /** The scopes granted, by code, access token and refresh token. */
    grantScopes: new Map<string, string[]>(),
    scopesOf(token: string): string[] {
      return this.grantScopes.get(token) ?? [];
    },
    create(kind: FakeKind, accountId: string, fields: Record<string, unknown>) {
      const object = { id: nextId(), kind, accountId, fields: { ...fields }, created: fields };
      objects.set(object.id, object);
      return object;
    },
    ofKind(kind: FakeKind, accountId?: string) {
      return [...objects.values()].filter(
        (o) => o.kind === kind && (!accountId || o.accountId === accountId),
      );
    },
    /** Reports delivery for an ad group (what the ad group analytics will answer). */
    deliver(adGroupId: string, figures: { impressions: number; clicks: number; spend: number }) {
      delivered.set(adGroupId, {
        impressions: figures.impressions,
        clicks: figures.clicks,
        spendMicros: Math.round(figures.spend * 1_000_000),
      });
    },
  };
}

export type PinterestState = ReturnType<typeof createPinterestState>;
