import { randomBytes } from 'node:crypto';

/*
 * The state of the fake Meta (meta.ts): its app, the people who may consent, the tokens it
 * issued and the ad objects made with them. Tests read it the way an operator would look in
 * Ads Manager: what campaign, ad sets and ads exist, with which budget, targeting and status.
 */

export interface FakeToken {
  token: string;
  kind: 'short' | 'long';
  expiresAt: number;
  revoked: boolean;
}

export interface FakeObject {
  id: string;
  kind: 'campaign' | 'adset' | 'adcreative' | 'ad' | 'customaudience' | 'adspixel';
  account: string;
  fields: Record<string, unknown>;
}

export interface FakeMetaOptions {
  clientId: string;
  clientSecret: string;
  /** Seconds a long-lived token lives (Meta: about 60 days). */
  longLivedSeconds?: number;
  /** The redirect URIs the app allows ("Valid OAuth Redirect URIs"); any when omitted. */
  redirectUris?: string[];
}

export function createMetaState(options: FakeMetaOptions) {
  let seq = 1000;
  const nextId = () => String(++seq) + randomBytes(2).toString('hex').replace(/[a-f]/g, '7');
  const tokens = new Map<string, FakeToken>();
  const codes = new Map<string, { redirectUri: string; used: boolean }>();
  const objects = new Map<string, FakeObject>();
  const insights = new Map<string, { impressions: number; clicks: number; spend: number }>();
  const calls: Array<{ method: string; path: string; grant?: string | null }> = [];
  /** Each Custom Audience's members, one key per row of the users payload (its digests). */
  const audienceMembers = new Map<string, Set<string>>();
  /** Conversions API events each pixel kept (deduplicated by event_name and event_id). */
  const pixelEvents = new Map<string, Array<Record<string, unknown>>>();
  /** Failures to answer next, in order: an HTTP status and Meta's error object. */
  const failures: Array<{
    status: number;
    error: Record<string, unknown>;
    headers?: Record<string, string>;
  }> = [];
  return {
    options,
    /** What the person at the login dialog does: allow, or refuse the permissions. */
    consent: 'allow' as 'allow' | 'deny',
    longLivedSeconds: options.longLivedSeconds ?? 60 * 86_400,
    adAccounts: [
      { id: 'act_1001', name: 'Acme Social', currency: 'USD', account_status: 1 },
      { id: 'act_1002', name: 'Old closed account', currency: 'USD', account_status: 101 },
    ],
    pages: [{ id: '5550001', name: 'Acme Outdoor' }],
    tokens,
    codes,
    objects,
    insights,
    calls,
    audienceMembers,
    pixelEvents,
    failures,
    issueCode(redirectUri: string) {
      const code = `code_${randomBytes(12).toString('hex')}`;
      codes.set(code, { redirectUri, used: false });
      return code;
    },
    issueToken(kind: 'short' | 'long', seconds: number) {
      const token = `EAA${kind}${randomBytes(18).toString('hex')}`;
      tokens.set(token, { token, kind, expiresAt: Date.now() + seconds * 1000, revoked: false });
      return token;
    },
    /** The token's record if it may be used now; undefined (Meta error 190) otherwise. */
    live(token: string | undefined) {
      const found = token ? tokens.get(token) : undefined;
      return found && !found.revoked && found.expiresAt > Date.now() ? found : undefined;
    },
    create(kind: FakeObject['kind'], account: string, fields: Record<string, unknown>) {
      const object = { id: nextId(), kind, account, fields };
      objects.set(object.id, object);
      return object;
    },
    ofKind(kind: FakeObject['kind']) {
      return [...objects.values()].filter((o) => o.kind === kind);
    },
    /** The person removes the app from their account: every token stops working. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
    },
    /** Reports delivery for an ad set (what the Insights API will answer). */
    deliver(adSetId: string, figures: { impressions: number; clicks: number; spend: number }) {
      insights.set(adSetId, figures);
    },
    failNext(status: number, error: Record<string, unknown>, headers?: Record<string, string>) {
      failures.push({ status, error, ...(headers && { headers }) });
    },
  };
}

export type MetaState = ReturnType<typeof createMetaState>;
