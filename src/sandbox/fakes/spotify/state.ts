import { randomBytes, randomUUID } from 'node:crypto';

/*
 * The state of the fake Spotify (server.ts): its OAuth app, the ad accounts the next person to
 * consent can reach, the tokens it issued and the ad objects made with them. Tests read it the
 * way an operator would look in Spotify Ads Manager: which campaign, ad sets, assets and ads
 * exist, with which budget, targeting and status, and what the campaign's status went through.
 */

export interface FakeSpotifyOptions {
  clientId: string;
  clientSecret: string;
  redirectUris?: string[];
  /** Access token lifetime in seconds (Spotify: an hour). */
  accessTokenSeconds?: number;
}

export interface FakeSpotifyAccount {
  id: string;
  name: string;
  currency: string;
  status: string;
  industry: string;
}

export interface FakeSpotifyToken {
  token: string;
  accountIds: string[];
  revoked: boolean;
  expiresAt: number;
}

export type FakeKind = 'campaign' | 'ad_set' | 'ad' | 'asset';

export interface FakeSpotifyObject {
  id: string;
  kind: FakeKind;
  accountId: string;
  fields: Record<string, unknown>;
  /** Campaigns: every status it had, in order. */
  statuses: string[];
  /** Assets: the uploaded file. */
  file?: { bytes: number; type: string };
}

export interface InjectedFailure {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Only a request whose method and path start so ("POST /ad_accounts/…/campaigns"). */
  match?: string;
  /** Act on the request first, then answer the failure (an answer lost on the way back). */
  afterActing?: boolean;
}

export function createSpotifyState(options: FakeSpotifyOptions) {
  const tokens = new Map<string, FakeSpotifyToken>();
  const refreshTokens = new Map<string, { accountIds: string[]; revoked: boolean }>();
  const codes = new Map<string, { redirectUri: string; used: boolean; accountIds: string[] }>();
  const objects = new Map<string, FakeSpotifyObject>();
  const delivered = new Map<
    string,
    Array<{ impressions: number; clicks: number; spend: number }>
  >();
  const calls: Array<{ method: string; path: string; grant?: string }> = [];
  const failures: InjectedFailure[] = [];
  return {
    options,
    consent: 'approve' as 'approve' | 'deny',
    /** Largest page a list answers (Spotify: 50); tests lower it to make lists page. */
    pageSize: 50,
    consentAccounts: [
      '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b01',
      '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b02',
    ],
    accounts: [
      {
        id: '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b01',
        name: 'Acme Audio',
        currency: 'EUR',
        status: 'ACTIVE',
        industry: 'Retail & Outdoor Gear',
      },
      {
        id: '5b1d3f6e-2f9a-4c47-8a51-1f0e5c2a7b02',
        name: 'Acme Archive',
        currency: 'EUR',
        status: 'SUSPENDED',
        industry: 'Retail',
      },
    ] as FakeSpotifyAccount[],
    categories: [
      { id: 'ADV_1_1', name: 'Arts & Entertainment' },
      { id: 'ADV_4_2', name: 'Retail - Sporting Goods' },
    ],
    tokens,
    refreshTokens,
    codes,
    objects,
    delivered,
    calls,
    failures,
    issueCode(redirectUri: string, accountIds: string[]) {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { redirectUri, used: false, accountIds });
      return code;
    },
    /** An access token, and a refresh token unless `keepRefresh` (Spotify may keep the old one). */
    issueTokens(accountIds: string[], withRefresh: boolean) {
      const seconds = options.accessTokenSeconds ?? 3600;
      const token = `spot_at_${randomBytes(20).toString('hex')}`;
      tokens.set(token, {
        token,
        accountIds,
        revoked: false,
        expiresAt: Date.now() + seconds * 1000,
      });
      const refresh = withRefresh ? `spot_rt_${randomBytes(20).toString('hex')}` : undefined;
      if (refresh) refreshTokens.set(refresh, { accountIds, revoked: false });
      return { token, refresh, seconds };
    },
    live(token: string | undefined) {
      const found = token ? tokens.get(token) : undefined;
      return found && !found.revoked && found.expiresAt > Date.now() ? found : undefined;
    },
    create(kind: FakeKind, accountId: string, fields: Record<string, unknown>) {
      const object: FakeSpotifyObject = {
        id: randomUUID(),
        kind,
        accountId,
        fields: { ...fields, created_at: new Date().toISOString() },
        statuses: typeof fields.status === 'string' ? [fields.status] : [],
      };
      objects.set(object.id, object);
      return object;
    },
    ofKind(kind: FakeKind, accountId?: string) {
      return [...objects.values()].filter(
        (o) => o.kind === kind && (!accountId || o.accountId === accountId),
      );
    },
    /** The user removes the app's access: every token and refresh token stops working. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
      for (const r of refreshTokens.values()) r.revoked = true;
    },
    /** A day of delivery for an ad set, as the aggregate report will answer it. */
    deliver(adSetId: string, figures: { impressions: number; clicks: number; spend: number }) {
      delivered.set(adSetId, [...(delivered.get(adSetId) ?? []), figures]);
    },
    failNext(failure: InjectedFailure) {
      failures.push(failure);
    },
    takeFailure(method: string, path: string) {
      const at = failures.findIndex((f) => !f.match || `${method} ${path}`.startsWith(f.match));
      return at < 0 ? undefined : failures.splice(at, 1)[0];
    },
  };
}

export type SpotifyState = ReturnType<typeof createSpotifyState>;
