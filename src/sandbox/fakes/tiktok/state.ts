import { randomBytes } from 'node:crypto';

/*
 * The state of the fake TikTok API for Business (server.ts): its app, the advertisers the next
 * person to consent manages, the tokens it issued and the ad objects made with them. Tests read
 * it the way an operator would look in TikTok Ads Manager: which campaign, ad groups and ads
 * exist, with which budget, placements, locations and status.
 */

export interface FakeTikTokOptions {
  appId: string;
  secret: string;
  /** The advertiser redirect URLs the app allows (up to 10 at TikTok); any when omitted. */
  redirectUris?: string[];
}

export interface FakeAdvertiser {
  advertiser_id: string;
  name: string;
  currency: string;
  status: string;
  /** The Business Center that owns it (its catalogs live there); none for a standalone one. */
  owner_bc_id?: string;
  country?: string;
}

export interface FakeCatalog {
  id: string;
  bcId: string;
  name: string;
  conf: Record<string, unknown>;
  /** Products by sku_id, as uploaded. */
  products: Map<string, Record<string, unknown>>;
  feeds: Array<Record<string, unknown>>;
}

/** Catalogs of Business Centers, upload logs and lost answers (catalogs.ts). */
function createCatalogBook() {
  let seq = 7_400_000_000_000_000;
  const catalogs = new Map<string, FakeCatalog>();
  const feedLogs = new Map<string, Record<string, unknown>>();
  const lostAnswers: string[] = [];
  return {
    catalogs,
    feedLogs,
    addCatalog(bcId: string, name: string, conf: Record<string, unknown>) {
      const id = String(++seq);
      catalogs.set(id, { id, bcId, name, conf, products: new Map(), feeds: [] });
      return id;
    },
    addFeedLog(log: Record<string, unknown>) {
      const id = String(++seq);
      feedLogs.set(id, log);
      return id;
    },
    nextFeedId: () => String(++seq),
    /** The next create on `path` is made, then answered with a system error (answer lost). */
    loseNextAnswer(path: string) {
      lostAnswers.push(path);
    },
    takeLostAnswer(path: string) {
      const at = lostAnswers.indexOf(path);
      return at >= 0 && lostAnswers.splice(at, 1).length > 0;
    },
  };
}

export interface FakeTikTokToken {
  token: string;
  advertiserIds: string[];
  revoked: boolean;
}

export type FakeKind =
  'campaign' | 'adgroup' | 'ad' | 'image' | 'video' | 'identity' | 'audience' | 'pixel';

export interface FakeTikTokObject {
  id: string;
  kind: FakeKind;
  advertiserId: string;
  fields: Record<string, unknown>;
}

/** An answer to give instead of the next API call: an HTTP status and TikTok's envelope. */
export interface InjectedFailure {
  status: number;
  body: Record<string, unknown>;
  /** Only a call to this path (`/ad/create`) takes it; any call when omitted. */
  path?: string;
}

export function createTikTokState(options: FakeTikTokOptions) {
  let seq = 1_700_000_000_000_000;
  const nextId = () => String(++seq);
  const tokens = new Map<string, FakeTikTokToken>();
  const codes = new Map<string, { redirectUri: string; used: boolean; advertiserIds: string[] }>();
  const objects = new Map<string, FakeTikTokObject>();
  const delivered = new Map<string, { impressions: number; clicks: number; spend: number }>();
  const calls: Array<{ method: string; path: string }> = [];
  const failures: InjectedFailure[] = [];
  return {
    options,
    /** What the person at the authorization page does: approve, or leave without approving. */
    consent: 'approve' as 'approve' | 'deny',
    /** The advertisers the next person to consent manages (and so grants). */
    consentAdvertisers: ['7001', '7002'],
    advertisers: [
      {
        advertiser_id: '7001',
        name: 'Acme Short Video',
        currency: 'EUR',
        status: 'STATUS_ENABLE',
        owner_bc_id: '7650001',
        country: 'DE',
      },
      {
        advertiser_id: '7002',
        name: 'Acme Test (disabled)',
        currency: 'EUR',
        status: 'STATUS_DISABLE',
      },
      { advertiser_id: '7003', name: 'Other Brand', currency: 'USD', status: 'STATUS_ENABLE' },
    ] as FakeAdvertiser[],
    /** Countries TikTok delivers to (/tool/region/): ISO code → location id (GeoNames). */
    regions: { DE: '2921044', FR: '3017382', GB: '2635167', US: '6252001' } as Record<
      string,
      string
    >,
    /** The largest page the reporting API answers (TikTok allows up to 1000). */
    maxPageSize: 1000,
    tokens,
    codes,
    objects,
    delivered,
    /** Customer files uploaded (/dmp/custom_audience/file/upload/): path → digests. */
    files: new Map<string, string[]>(),
    /** Each custom audience's members (digests). */
    audienceMembers: new Map<string, Set<string>>(),
    /** Events tracked per pixel code, once per event_id. */
    pixelEvents: new Map<string, Array<Record<string, unknown>>>(),
    calls,
    failures,
    ...createCatalogBook(),
    issueCode(redirectUri: string, advertiserIds: string[]) {
      const code = `auth_${randomBytes(12).toString('hex')}`;
      codes.set(code, { redirectUri, used: false, advertiserIds });
      return code;
    },
    issueToken(advertiserIds: string[]) {
      const token = `act.${randomBytes(20).toString('hex')}`;
      tokens.set(token, { token, advertiserIds, revoked: false });
      return token;
    },
    /** The token's record if it may be used now; undefined (code 40105) otherwise. */
    live(token: string | undefined) {
      const found = token ? tokens.get(token) : undefined;
      return found && !found.revoked ? found : undefined;
    },
    create(kind: FakeKind, advertiserId: string, fields: Record<string, unknown>) {
      const object = { id: nextId(), kind, advertiserId, fields };
      objects.set(object.id, object);
      return object;
    },
    ofKind(kind: FakeKind, advertiserId?: string) {
      return [...objects.values()].filter(
        (o) => o.kind === kind && (!advertiserId || o.advertiserId === advertiserId),
      );
    },
    /** The advertiser removes the app's authorization: every token it issued stops working. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
    },
    /** Reports delivery for an ad group (what /report/integrated/get/ will answer). */
    deliver(adgroupId: string, figures: { impressions: number; clicks: number; spend: number }) {
      delivered.set(adgroupId, figures);
    },
    /** Answers the next API call (not OAuth), or the next to `path`, with this instead. */
    failNext(status: number, body: Record<string, unknown>, path?: string) {
      failures.push({ status, body, ...(path && { path }) });
    },
    /** The injected failure this call takes, if any (removed from the queue). */
    takeFailure(path: string) {
      const at = failures.findIndex((f) => !f.path || f.path === path);
      return at < 0 ? undefined : failures.splice(at, 1)[0];
    },
  };
}

export type TikTokState = ReturnType<typeof createTikTokState>;
