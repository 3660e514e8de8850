import { randomBytes, randomUUID } from 'node:crypto';

/*
 * The state of the fake Amazon Ads API (server.ts): its Login with Amazon app, the advertiser
 * profiles the next person to consent can reach, the tokens it issued, the Sponsored Display
 * objects and asset-library images made with them, and the reports queued. Tests read it the way
 * an operator would look in the Amazon Ads console: which campaign, ad groups, product ads and
 * creatives exist, with which budget, bid, landing page and state.
 */

export interface FakeAmazonOptions {
  clientId: string;
  clientSecret: string;
  redirectUris?: string[];
  /** Access token lifetime in seconds (Login with Amazon: 3600). */
  accessTokenSeconds?: number;
}

export interface FakeAmazonProfile {
  profileId: number;
  countryCode: string;
  currencyCode: string;
  timezone: string;
  accountInfo: {
    marketplaceStringId: string;
    id: string;
    type: 'seller' | 'vendor' | 'agency';
    name: string;
    validPaymentMethod: boolean;
  };
}

export interface FakeAmazonToken {
  token: string;
  profileIds: number[];
  revoked: boolean;
  expiresAt: number;
}

export type FakeKind = 'campaign' | 'adGroup' | 'productAd' | 'creative';

export interface FakeAmazonObject {
  /** Amazon's int64 id, as its digits (past 2^53, as real Sponsored Display ids are). */
  id: string;
  kind: FakeKind;
  profileId: number;
  fields: Record<string, unknown>;
  /** The fields as first sent (state at creation). */
  created: Record<string, unknown>;
}

export interface FakeReport {
  reportId: string;
  profileId: number;
  body: Record<string, unknown>;
  polls: number;
  /** Polls still answered PENDING before the report is COMPLETED. */
  pollsLeft: number;
  /** Answered COMPLETED once: an identical request is then a new report, not a duplicate. */
  done: boolean;
}

export interface InjectedFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Only a call whose path starts with this takes it; any call when omitted. */
  path?: string;
  /** Only a call of this method takes it; any method when omitted. */
  method?: string;
}

export function createAmazonState(options: FakeAmazonOptions) {
  const tokens = new Map<string, FakeAmazonToken>();
  const refreshTokens = new Map<string, { profileIds: number[]; revoked: boolean }>();
  const codes = new Map<string, { redirectUri: string; used: boolean; profileIds: number[] }>();
  const objects = new Map<string, FakeAmazonObject>();
  const assets = new Map<
    string,
    { uploaded: { bytes: number; type: string } | null; subTypes: unknown }
  >();
  const uploads = new Map<string, { bytes: number; type: string }>();
  const reports = new Map<string, FakeReport>();
  /** Delivery per ad group id, as the next report will show it. */
  const delivered = new Map<string, { impressions: number; clicks: number; cost: number }>();
  const calls: Array<{
    method: string;
    path: string;
    grant?: string;
    headers?: Record<string, string>;
  }> = [];
  const failures: InjectedFailure[] = [];
  // Ids past Number.MAX_SAFE_INTEGER: a client reading them as numbers would round them.
  let nextId = 290_000_000_000_000_001n;
  return {
    options,
    consent: 'approve' as 'approve' | 'deny',
    consentProfiles: [3_141_592_653_589, 2_718_281_828_459],
    profiles: [
      {
        profileId: 3_141_592_653_589,
        countryCode: 'US',
        currencyCode: 'USD',
        timezone: 'America/Los_Angeles',
        accountInfo: {
          marketplaceStringId: 'ATVPDKIKX0DER',
          id: 'ENTITY2Q8ZQ7F3KJ1',
          type: 'agency',
          name: 'Acme Outdoor',
          validPaymentMethod: true,
        },
      },
      {
        profileId: 2_718_281_828_459,
        countryCode: 'CA',
        currencyCode: 'CAD',
        timezone: 'America/Los_Angeles',
        accountInfo: {
          marketplaceStringId: 'A2EUQ1WTGCTBG2',
          id: 'ENTITY3CA9XK2L0',
          type: 'seller',
          name: 'Acme Outdoor Canada',
          validPaymentMethod: false,
        },
      },
    ] as FakeAmazonProfile[],
    tokens,
    refreshTokens,
    codes,
    objects,
    assets,
    uploads,
    reports,
    delivered,
    calls,
    failures,
    /** Reports answer PENDING this many polls before COMPLETED. */
    reportPollsUntilReady: 1,
    /** The next create of this kind is made but its answer is lost (the connection dropped). */
    loseNextCreate: null as FakeKind | null,
    issueCode(redirectUri: string, profileIds: number[]) {
      const code = `ANd${randomBytes(12).toString('hex')}`;
      codes.set(code, { redirectUri, used: false, profileIds });
      return code;
    },
    issueTokens(profileIds: number[], refresh?: string) {
      const seconds = options.accessTokenSeconds ?? 3600;
      const token = `Atza|${randomBytes(24).toString('hex')}`;
      tokens.set(token, {
        token,
        profileIds,
        revoked: false,
        expiresAt: Date.now() + seconds * 1000,
      });
      const refreshToken = refresh ?? `Atzr|${randomBytes(24).toString('hex')}`;
      refreshTokens.set(refreshToken, { profileIds, revoked: false });
      return { token, refresh: refreshToken, seconds };
    },
    live(token: string | undefined) {
      const found = token ? tokens.get(token) : undefined;
      return found && !found.revoked && found.expiresAt > Date.now() ? found : undefined;
    },
    create(kind: FakeKind, profileId: number, fields: Record<string, unknown>) {
      nextId += 7n;
      const object: FakeAmazonObject = {
        id: String(nextId),
        kind,
        profileId,
        fields: { ...fields },
        created: fields,
      };
      objects.set(object.id, object);
      return object;
    },
    ofKind(kind: FakeKind, profileId?: number) {
      return [...objects.values()].filter(
        (o) => o.kind === kind && (!profileId || o.profileId === profileId),
      );
    },
    newReport(profileId: number, body: Record<string, unknown>) {
      const report: FakeReport = {
        reportId: randomUUID(),
        profileId,
        body,
        polls: 0,
        pollsLeft: this.reportPollsUntilReady,
        done: false,
      };
      reports.set(report.reportId, report);
      return report;
    },
    newAsset(subTypes: unknown, uploaded: { bytes: number; type: string } | null) {
      const assetId = `amzn1.assetlibrary.asset1.${randomBytes(16).toString('hex')}`;
      assets.set(assetId, { uploaded, subTypes });
      return assetId;
    },
    /** The advertiser removes the app's access: every token and refresh token stops working. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
      for (const r of refreshTokens.values()) r.revoked = true;
    },
    deliver(adGroupId: string, figures: { impressions: number; clicks: number; cost: number }) {
      delivered.set(adGroupId, figures);
    },
    /** The next call (whose path starts with `path`, of `method`, when given) fails so. */
    failNext(
      status: number,
      body: unknown,
      headers?: Record<string, string>,
      path?: string,
      method?: string,
    ) {
      failures.push({
        status,
        body,
        ...(headers && { headers }),
        ...(path && { path }),
        ...(method && { method }),
      });
    },
    takeFailure(path: string, method?: string) {
      const at = failures.findIndex(
        (f) => (!f.path || path.startsWith(f.path)) && (!f.method || f.method === method),
      );
      return at < 0 ? undefined : failures.splice(at, 1)[0];
    },
  };
}

export type AmazonState = ReturnType<typeof createAmazonState>;
