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
  /** The permissions the person granted at the Login dialog. */
  scopes: string[];
  /** The ad accounts of the person who logged in, the only ones it reaches; every one when unset. */
  accounts?: string[];
}

export interface FakeObject {
  id: string;
  kind:
    | 'campaign'
    | 'adset'
    | 'adcreative'
    | 'ad'
    | 'customaudience'
    | 'adspixel'
    | 'productcatalog'
    | 'productfeed';
  account: string;
  fields: Record<string, unknown>;
}

export interface FakeAdAccount {
  id: string;
  name: string;
  currency: string;
  account_status: number;
  /** The Business that owns it; none for an account of a person. */
  business?: { id: string; name: string };
}

export interface FakeMetaOptions {
  clientId: string;
  clientSecret: string;
  /** Seconds a long-lived token lives (Meta: about 60 days). */
  longLivedSeconds?: number;
  /** The redirect URIs the app allows ("Valid OAuth Redirect URIs"); any when omitted. */
  redirectUris?: string[];
}

/** Whether a call (`METHOD /path`) is one `match` names: it starts with it, or matches it. */
const names = (match: string | RegExp, call: string) =>
  typeof match === 'string' ? call.startsWith(match) : match.test(call);

export function createMetaState(options: FakeMetaOptions) {
  let seq = 1000;
  const nextId = () => String(++seq) + randomBytes(2).toString('hex').replace(/[a-f]/g, '7');
  const tokens = new Map<string, FakeToken>();
  const codes = new Map<
    string,
    { redirectUri: string; used: boolean; scopes: string[]; accounts?: string[] }
  >();
  const objects = new Map<string, FakeObject>();
  const insights = new Map<string, { impressions: number; clicks: number; spend: number }>();
  const calls: Array<{ method: string; path: string; grant?: string | null }> = [];
  /** Each Custom Audience's members, one key per row of the users payload (its digests). */
  const audienceMembers = new Map<string, Set<string>>();
  /** Conversions API events each pixel kept (deduplicated by event_name and event_id). */
  const pixelEvents = new Map<string, Array<Record<string, unknown>>>();
  /** Each product catalog's items, by retailer id (meta-catalogs.ts). */
  const catalogItems = new Map<string, Map<string, Record<string, unknown>>>();
  /** Paths whose next create is made but answered with a 500 (the answer lost on its way). */
  const lostAnswers: string[] = [];
  /** Failures to answer next, in order: an HTTP status and Meta's error object. */
  const failures: Array<{
    status: number;
    error: Record<string, unknown>;
    headers?: Record<string, string>;
    /** Only a call whose `METHOD /path` starts with this (or matches it) takes it; any when omitted. */
    match?: string | RegExp;
  }> = [];
  /** Calls Meta sits on before handling them (a slow Meta), until the test lets them go. */
  const holds: Array<{ match: string | RegExp; came: () => void; go: Promise<void> }> = [];
  return {
    options,
    /** What the person at the login dialog does: allow, or refuse the permissions. */
    consent: 'allow' as 'allow' | 'deny',
    /**
     * The ad accounts of the next person to log in (another person than the last, when changed):
     * their tokens reach those accounts only. Every account of `adAccounts` when unset.
     */
    consentAccounts: undefined as string[] | undefined,
    longLivedSeconds: options.longLivedSeconds ?? 60 * 86_400,
    adAccounts: [
      {
        id: 'act_1001',
        name: 'Acme Social',
        currency: 'USD',
        account_status: 1,
        // The Business that owns the ad account (and the catalogs made for it).
        business: { id: '7001', name: 'Acme Outdoor Group' },
      },
      { id: 'act_1002', name: 'Old closed account', currency: 'USD', account_status: 101 },
    ] as FakeAdAccount[],
    /** Permissions the person declines at the next Login dialog (the rest are granted). */
    declined: new Set<string>(),
    pages: [{ id: '5550001', name: 'Acme Outdoor' }],
    tokens,
    codes,
    objects,
    insights,
    calls,
    audienceMembers,
    pixelEvents,
    catalogItems,
    lostAnswers,
    failures,
    issueCode(redirectUri: string, scopes: string[] = [], accounts?: string[]) {
      const code = `code_${randomBytes(12).toString('hex')}`;
      codes.set(code, { redirectUri, used: false, scopes, ...(accounts && { accounts }) });
      return code;
    },
    issueToken(
      kind: 'short' | 'long',
      seconds: number,
      scopes: string[] = [],
      accounts?: string[],
    ) {
      const token = `EAA${kind}${randomBytes(18).toString('hex')}`;
      tokens.set(token, {
        token,
        kind,
        expiresAt: Date.now() + seconds * 1000,
        revoked: false,
        scopes,
        ...(accounts && { accounts }),
      });
      return token;
    },
    /** Whether the token's person has the ad account `act_…`. */
    reaches(token: FakeToken, account: string) {
      return !token.accounts || token.accounts.includes(account);
    },
    /** The next create on `path` is made, then answered with a 500 as if the answer was lost. */
    loseNextAnswer(path: string) {
      lostAnswers.push(path);
    },
    takeLostAnswer(path: string) {
      const at = lostAnswers.indexOf(path);
      return at >= 0 && lostAnswers.splice(at, 1).length > 0;
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
    /** The next API call (or the next whose `METHOD /path` starts with or matches `match`) fails so. */
    failNext(
      status: number,
      error: Record<string, unknown>,
      headers?: Record<string, string>,
      match?: string | RegExp,
    ) {
      failures.push({ status, error, ...(headers && { headers }), ...(match && { match }) });
    },
    /** The injected failure this call (`METHOD /path`) takes, if any (removed from the queue). */
    takeFailure(call: string) {
      const at = failures.findIndex((f) => !f.match || names(f.match, call));
      return at < 0 ? undefined : failures.splice(at, 1)[0];
    },
    /**
     * The next call whose `METHOD /path` starts with or matches `match` is held before Meta
     * handles it, until `release()` (a create that takes its time): `arrived` resolves when it
     * comes in.
     */
    holdNext(match: string | RegExp) {
      let came!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (came = resolve));
      holds.push({ match, came, go: new Promise<void>((resolve) => (release = resolve)) });
      return { arrived, release };
    },
    /** Waits out the hold this call (`METHOD /path`) takes, if any (removed from the queue). */
    async heldBefore(call: string) {
      const at = holds.findIndex((hold) => names(hold.match, call));
      if (at < 0) return;
      const [hold] = holds.splice(at, 1);
      hold!.came();
      await hold!.go;
    },
  };
}

export type MetaState = ReturnType<typeof createMetaState>;
