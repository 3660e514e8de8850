import { randomBytes, randomUUID } from 'node:crypto';

/*
 * The state of the fake Snap (server.ts): its OAuth app, the organizations and ad accounts the
 * next person to consent can reach, the tokens it issued and the ad objects made with them.
 * Tests read it the way an operator would look in Snap Ads Manager: which campaign, ad squads,
 * media, creatives and ads exist, with which budget, placement, targeting and status.
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

export interface FakeSnapToken {
  token: string;
  accountIds: string[];
  revoked: boolean;
  expiresAt: number;
}

export type FakeKind = 'campaign' | 'adsquad' | 'media' | 'creative' | 'ad';

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

export interface InjectedFailure {
  status: number;
  body: Record<string, unknown>;
  path?: string;
}

export function createSnapState(options: FakeSnapOptions) {
  const tokens = new Map<string, FakeSnapToken>();
  const refreshTokens = new Map<string, { accountIds: string[]; used: boolean }>();
  const codes = new Map<string, { redirectUri: string; used: boolean; accountIds: string[] }>();
  const objects = new Map<string, FakeSnapObject>();
  const delivered = new Map<string, { impressions: number; swipes: number; spendMicro: number }>();
  const calls: Array<{ method: string; path: string; grant?: string }> = [];
  const failures: InjectedFailure[] = [];
  const org = '6c3a1e4f-0000-4c1d-9a51-0a0a0a0a0a01';
  return {
    options,
    consent: 'approve' as 'approve' | 'deny',
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
    issueTokens(accountIds: string[]) {
      const seconds = options.accessTokenSeconds ?? 1800;
      const token = `snap_at_${randomBytes(20).toString('hex')}`;
      const refresh = `snap_rt_${randomBytes(20).toString('hex')}`;
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
    /** The user removes the app's access: every token and refresh token stops working. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
      for (const r of refreshTokens.values()) r.used = true;
    },
    deliver(squadId: string, figures: { impressions: number; swipes: number; spend: number }) {
      delivered.set(squadId, {
        impressions: figures.impressions,
        swipes: figures.swipes,
        spendMicro: Math.round(figures.spend * 1_000_000),
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

export type SnapState = ReturnType<typeof createSnapState>;
