import { randomBytes } from 'node:crypto';

/*
 * The state of the fake Google Ads API and Google OAuth server (server.ts): the OAuth client,
 * the Google Ads accounts (customers, managers and their clients), the user the next consent
 * signs in as, the tokens issued, and the objects mutates made. Tests read it the way an
 * operator would look in the Google Ads UI: which campaign, budget, ad groups, assets and ads
 * exist, with which status, bids, locations and dates.
 */

export interface FakeGoogleAdsOptions {
  clientId: string;
  clientSecret: string;
  developerToken: string;
  /** The redirect URIs the OAuth client allows; any when omitted. */
  redirectUris?: string[];
}

export interface FakeCustomer {
  id: string;
  descriptiveName: string;
  currencyCode: string;
  status: 'ENABLED' | 'CANCELED' | 'SUSPENDED' | 'CLOSED';
  timeZone: string;
  manager: boolean;
  /** A manager's client accounts, one level down. */
  clients: string[];
}

export interface FakeToken {
  token: string;
  refreshToken: string;
  /** The customers the signed-in user reaches directly. */
  customers: string[];
  expiresAt: number;
  revoked: boolean;
}

export type FakeKind =
  'campaignBudget' | 'campaign' | 'campaignCriterion' | 'asset' | 'adGroup' | 'adGroupAd';

export interface FakeObject {
  kind: FakeKind;
  customerId: string;
  id: string;
  resourceName: string;
  fields: Record<string, unknown>;
}

export interface FakeCall {
  method: string;
  path: string;
  developerToken?: string | undefined;
  loginCustomerId?: string | undefined;
  query?: string | undefined;
  grantType?: string | undefined;
}

interface InjectedFailure {
  status: number;
  body: unknown;
  path: string | undefined;
  /** Only a call whose body contains this text fails. */
  bodyContains: string | undefined;
}

/** Geo target constants of a few countries (GeoTargetConstantService's ids). */
export const geoTargets: Record<string, string> = {
  US: '2840',
  GB: '2826',
  DE: '2276',
  FR: '2250',
  CA: '2124',
};

const customer = (c: Partial<FakeCustomer> & { id: string }): FakeCustomer => ({
  descriptiveName: `Account ${c.id}`,
  currencyCode: 'USD',
  status: 'ENABLED',
  timeZone: 'America/New_York',
  manager: false,
  clients: [],
  ...c,
});

export function createGoogleAdsState(options: FakeGoogleAdsOptions) {
  const customers = new Map<string, FakeCustomer>(
    [
      customer({ id: '1112223333', descriptiveName: 'Acme Direct', currencyCode: 'USD' }),
      customer({
        id: '9990001111',
        descriptiveName: 'Acme Agency MCC',
        manager: true,
        clients: ['4445556666', '7778889999'],
      }),
      customer({
        id: '4445556666',
        descriptiveName: 'Acme Europe',
        currencyCode: 'EUR',
        timeZone: 'Europe/Berlin',
      }),
      customer({ id: '7778889999', descriptiveName: 'Acme Closed', status: 'CANCELED' }),
      customer({ id: '6660007777', descriptiveName: 'Acme Old', status: 'CANCELED' }),
      customer({
        id: '5550004444',
        descriptiveName: 'Other Brand',
        currencyCode: 'GBP',
        timeZone: 'Europe/London',
      }),
    ].map((c) => [c.id, c]),
  );
  const tokens = new Map<string, FakeToken>();
  const codes = new Map<
    string,
    { redirectUri: string; challenge: string; customers: string[]; used: boolean }
  >();
  const objects: FakeObject[] = [];
  const delivered = new Map<string, { impressions: number; clicks: number; costMicros: number }>();
  const failures: InjectedFailure[] = [];
  let nextId = 880_000_000;

  return {
    options,
    customers,
    tokens,
    codes,
    objects,
    delivered,
    calls: [] as FakeCall[],
    /** Every googleAds:mutate request body, in order (what was asked, not what was kept). */
    mutations: [] as Array<{ customerId: string; mutateOperations: unknown[] }>,
    /** What the next consent does, and which customers the user signing in reaches. */
    consent: 'approve' as 'approve' | 'deny',
    consentCustomers: ['1112223333', '9990001111', '6660007777'],
    /** Access tokens' lifetime (Google's is an hour). */
    accessTokenSeconds: 3599,
    /** The next mutate is applied, but its answer is lost (503 UNAVAILABLE instead). */
    loseNextMutateAnswer: false,
    /** How long a googleAds:mutate takes before it is applied and answered (a busy account). */
    mutateDelayMs: 0,
    /** Rows per googleAds:search page (Google's is 10,000). */
    pageSize: 10_000,
    newId: () => String(nextId++),
    issue(customersOf: string[], refreshToken?: string): FakeToken {
      const token: FakeToken = {
        token: `ya29.${randomBytes(18).toString('base64url')}`,
        refreshToken: refreshToken ?? `1//${randomBytes(18).toString('base64url')}`,
        customers: customersOf,
        expiresAt: Date.now() + this.accessTokenSeconds * 1000,
        revoked: false,
      };
      tokens.set(token.token, token);
      return token;
    },
    /** A token Google honours now: issued, not revoked, not expired. */
    live(token: string | undefined) {
      const found = token ? tokens.get(token) : undefined;
      if (!found) return { error: 'OAUTH_TOKEN_INVALID' as const };
      if (found.revoked) return { error: 'OAUTH_TOKEN_REVOKED' as const };
      if (found.expiresAt <= Date.now()) return { error: 'OAUTH_TOKEN_EXPIRED' as const };
      return { token: found };
    },
    refreshable(refreshToken: string) {
      const all = [...tokens.values()].filter((t) => t.refreshToken === refreshToken);
      return all.length > 0 && all.every((t) => !t.revoked) ? all.at(-1) : undefined;
    },
    /** Revokes a refresh token (or an access token's grant) and every access token of it. */
    revoke(token: string) {
      const found = [...tokens.values()].find((t) => t.token === token || t.refreshToken === token);
      if (!found) return false;
      for (const t of tokens.values()) if (t.refreshToken === found.refreshToken) t.revoked = true;
      return true;
    },
    /** The user removes the app's access in their Google account. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
    },
    /** The next call whose path contains `path` (any call without) answers this instead. */
    failNext(status: number, body: unknown, path?: string, bodyContains?: string) {
      failures.push({ status, body, path, bodyContains });
    },
    takeFailure(path: string, raw = '') {
      const i = failures.findIndex(
        (f) =>
          (f.path === undefined || path.includes(f.path)) &&
          (f.bodyContains === undefined || raw.includes(f.bodyContains)),
      );
      return i < 0 ? undefined : failures.splice(i, 1)[0];
    },
    ofKind(kind: FakeKind, customerId?: string) {
      return objects.filter(
        (o) => o.kind === kind && (customerId === undefined || o.customerId === customerId),
      );
    },
    /** Google reports delivery for an ad group (today's metrics). */
    deliver(adGroupId: string, metrics: { impressions: number; clicks: number; cost: number }) {
      delivered.set(adGroupId, {
        impressions: metrics.impressions,
        clicks: metrics.clicks,
        costMicros: Math.round(metrics.cost * 1_000_000),
      });
    },
  };
}

export type GoogleAdsState = ReturnType<typeof createGoogleAdsState>;

/** Google's error body: the RPC status and a GoogleAdsFailure naming the error code. */
export function googleError(
  status: number,
  rpc: string,
  errorCode: Record<string, string>,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return {
    status,
    body: {
      error: {
        code: status,
        message,
        status: rpc,
        details: [
          {
            '@type': 'type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure',
            errors: [{ errorCode, message, ...extra }],
            requestId: randomBytes(8).toString('hex'),
          },
        ],
      },
    },
  };
}
