import { randomBytes } from 'node:crypto';

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

export interface FakePinterestToken {
  token: string;
  accountIds: string[];
  revoked: boolean;
  expiresAt: number;
}

export type FakeKind = 'campaign' | 'ad_group' | 'pin' | 'ad';

export interface FakePinterestObject {
  id: string;
  kind: FakeKind;
  accountId: string;
  fields: Record<string, unknown>;
  /** The fields as first sent (status at creation). */
  created: Record<string, unknown>;
}

export interface InjectedFailure {
  status: number;
  body: Record<string, unknown>;
  /** Only a call whose path (under /v5) starts with this takes it; any call when omitted. */
  path?: string;
}

export function createPinterestState(options: FakePinterestOptions) {
  let seq = 549_755_900_000;
  const nextId = () => String(++seq);
  const tokens = new Map<string, FakePinterestToken>();
  const refreshTokens = new Map<string, { accountIds: string[]; used: boolean }>();
  const codes = new Map<string, { redirectUri: string; used: boolean; accountIds: string[] }>();
  const objects = new Map<string, FakePinterestObject>();
  const delivered = new Map<string, { impressions: number; clicks: number; spendMicros: number }>();
  const calls: Array<{ method: string; path: string; grant?: string }> = [];
  const failures: InjectedFailure[] = [];
  return {
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
    /** A token pair for these accounts: the access token and its continuous refresh token. */
    issueTokens(accountIds: string[]) {
      const seconds = options.accessTokenSeconds ?? 30 * 86_400;
      const token = `pina_${randomBytes(20).toString('hex')}`;
      const refresh = `pinr_${randomBytes(20).toString('hex')}`;
      tokens.set(token, {
        token,
        accountIds,
        revoked: false,
        expiresAt: Date.now() + seconds * 1000,
      });
      refreshTokens.set(refresh, { accountIds, used: false });
      return { token, refresh, seconds };
    },
    live(token: string | undefined) {
      const found = token ? tokens.get(token) : undefined;
      return found && !found.revoked && found.expiresAt > Date.now() ? found : undefined;
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
    /** The user removes the app's access: every token and refresh token stops working. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
      for (const r of refreshTokens.values()) r.used = true;
    },
    /** Reports delivery for an ad group (what the ad group analytics will answer). */
    deliver(adGroupId: string, figures: { impressions: number; clicks: number; spend: number }) {
      delivered.set(adGroupId, {
        impressions: figures.impressions,
        clicks: figures.clicks,
        spendMicros: Math.round(figures.spend * 1_000_000),
      });
    },
    failNext(status: number, body: Record<string, unknown>, path?: string) {
      failures.push({ status, body, ...(path && { path }) });
    },
    takeFailure(path: string) {
      const at = failures.findIndex((f) => !f.path || path.startsWith(f.path));
      return at < 0 ? undefined : failures.splice(at, 1)[0];
    },
  };
}

export type PinterestState = ReturnType<typeof createPinterestState>;
