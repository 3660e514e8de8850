import { randomBytes } from 'node:crypto';

/*
 * What a fake provider with an OAuth 2.0 authorization-code app keeps of the grants it made
 * (Pinterest and Snap work the same way here): the codes it issued on consent (each used once,
 * with its redirect URI), the access tokens (with the ad accounts they reach, until they expire
 * or are revoked) and the refresh tokens (each used once and replaced). Also the failures a test
 * queues for the next matching API call. Each provider's state spreads these in beside its own
 * ad objects, and its server speaks the provider's own wire format around them.
 */

export interface FakeToken {
  token: string;
  accountIds: string[];
  revoked: boolean;
  expiresAt: number;
}

/**
 * An API call as the endpoints of a fake with a JSON API take it (Pinterest, Reddit): its parsed
 * body, the grant its token carries, and the fake's own origin (for the URLs it answers).
 */
export interface GrantedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  grant: FakeToken;
  origin: string;
}

export interface InjectedFailure {
  status: number;
  body: Record<string, unknown>;
  /** Only a call whose API path starts with this takes it; any call when omitted. */
  path?: string;
  /** Only a call of this method takes it; any method when omitted. */
  method?: string;
}

/** `lifetime` is read at each issue, so a test may shorten the next token's life. */
export function createOAuthBook(
  tokenPrefix: { access: string; refresh: string },
  lifetime: () => number,
) {
  const tokens = new Map<string, FakeToken>();
  const refreshTokens = new Map<string, { accountIds: string[]; used: boolean }>();
  const codes = new Map<string, { redirectUri: string; used: boolean; accountIds: string[] }>();
  return {
    tokens,
    refreshTokens,
    codes,
    issueCode(redirectUri: string, accountIds: string[]) {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { redirectUri, used: false, accountIds });
      return code;
    },
    /** A token pair for these accounts: the access token and the refresh token that replaces it. */
    issueTokens(accountIds: string[]) {
      const seconds = lifetime();
      const token = `${tokenPrefix.access}${randomBytes(20).toString('hex')}`;
      const refresh = `${tokenPrefix.refresh}${randomBytes(20).toString('hex')}`;
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
    /** The user removes the app's access: every token and refresh token stops working. */
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
      for (const r of refreshTokens.values()) r.used = true;
    },
  };
}

/** Failures a test queues; the first whose path matches a call answers it instead. */
export function createFailureQueue() {
  const failures: InjectedFailure[] = [];
  return {
    failures,
    failNext(status: number, body: Record<string, unknown>, path?: string, method?: string) {
      failures.push({ status, body, ...(path && { path }), ...(method && { method }) });
    },
    takeFailure(path: string, method?: string) {
      const at = failures.findIndex(
        (f) => (!f.path || path.startsWith(f.path)) && (!f.method || f.method === method),
      );
      return at < 0 ? undefined : failures.splice(at, 1)[0];
    },
  };
}
