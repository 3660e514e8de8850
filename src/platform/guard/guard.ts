import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorKind } from '../errors.js';
import { apiKeyOf, bearerOf } from '../http/auth/api-key.js';
import type { Principal } from '../principal.js';
import type { RateDecision, RateStore } from './rate-limit.js';

/** Resolves a presented key to a caller; undefined for unknown or revoked keys. */
export interface Authenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}

/**
 * Who may use a thing: nobody in particular (`public`), any caller with a valid key
 * (`authenticated`), the platform admin, any customer, or a seller customer.
 */
export type AccessLevel = 'public' | 'authenticated' | 'admin' | 'customer' | 'seller';

/** Why a caller is refused, and the envelope kind it renders as over REST. */
export type RefusalReason =
  'no_key' | 'invalid_key' | 'admin_only' | 'customer_only' | 'seller_only' | 'terms_not_accepted';

export interface Refusal {
  reason: RefusalReason;
  kind: Extract<ErrorKind, 'unauthenticated' | 'forbidden' | 'role_denied' | 'tos_required'>;
  /** The REST API's words for it; other surfaces may word the same reason their own way. */
  message: string;
}

const refusals: Record<RefusalReason, Omit<Refusal, 'reason'>> = {
  no_key: {
    kind: 'unauthenticated',
    message: 'Send an API key as "Authorization: Bearer <key>"',
  },
  invalid_key: { kind: 'unauthenticated', message: 'The API key is not valid or has been revoked' },
  admin_only: { kind: 'forbidden', message: 'This operation needs a platform admin key' },
  customer_only: {
    kind: 'forbidden',
    message: 'A platform admin key cannot act for a customer here',
  },
  seller_only: {
    kind: 'role_denied',
    message: 'Only seller accounts can use storefront operations',
  },
  terms_not_accepted: {
    kind: 'tos_required',
    message:
      'Your organisation must accept the current terms of service before making changes: ' +
      'GET /api/v2/accounts/terms, then POST /api/v2/accounts/terms/accept',
  },
};

/**
 * The one guard every surface puts in front of its work (REST, the MCP servers, the storefront
 * agents, the console): which key a request presents, whose it is, whether the caller is within
 * its request budget, and whether it may do what it asks. Each surface answers a refusal in its
 * own shape (the REST envelope, JSON-RPC, a console page); what is decided is decided here.
 */
export interface Guard {
  /**
   * The key a request presents: `Authorization: Bearer <key>`, and with `xApiKey` also an
   * `x-api-key` header (AdCP clients send either).
   */
  keyOf(headers: IncomingHttpHeaders, options?: { xApiKey?: boolean }): string | undefined;
  /** The caller a key belongs to; undefined for no key, an unknown key or a revoked one. */
  identify(key: string | undefined): Promise<Principal | undefined>;
  /**
   * Counts one request against its budget: the caller's key when it has one (the API's budget,
   * or for `mcp` a budget of MCP requests beside it), else the client IP's.
   */
  count(caller: Principal | undefined, ip: string, budget?: 'api' | 'mcp'): Promise<RateDecision>;
  /** Why `caller` may not use something of `level` (a write, when `write`); undefined if it may. */
  refusal(
    caller: Principal | undefined,
    level: Exclude<AccessLevel, 'public'>,
    options?: { keyPresented?: boolean; write?: boolean; tosExempt?: boolean },
  ): Refusal | undefined;
}

export interface GuardOptions {
  authenticator: Authenticator;
  store: RateStore;
  /** Requests per minute per API key. */
  perKeyLimit: number;
  /** Requests per minute per client IP, for requests without a valid key. */
  perIpLimit: number;
}

export function createGuard(options: GuardOptions): Guard {
  const { store, perKeyLimit, perIpLimit } = options;
  const refuse = (reason: RefusalReason): Refusal => ({ reason, ...refusals[reason] });
  return {
    keyOf: (headers, keyOptions) =>
      keyOptions?.xApiKey ? apiKeyOf(headers) : bearerOf(headers.authorization),
    identify: async (key) => (key ? options.authenticator.authenticate(key) : undefined),
    count(caller, ip, budget = 'api') {
      if (!caller) return store.hit(`ip:${ip}`, perIpLimit);
      // MCP requests count in a bucket beside the key's API one, allowing twice the API limit
      // plus the handshake: an api_call is one MCP POST and one REST call, so the REST limit,
      // counted on the inner call, is the one that binds.
      return budget === 'mcp'
        ? store.hit(`mcp:${caller.keyId}`, perKeyLimit * 2 + 10)
        : store.hit(`key:${caller.keyId}`, perKeyLimit);
    },
    refusal(caller, level, refusalOptions = {}) {
      if (!caller) return refuse(refusalOptions.keyPresented ? 'invalid_key' : 'no_key');
      if (level === 'authenticated') return undefined;
      if (level === 'admin') return caller.kind === 'admin' ? undefined : refuse('admin_only');
      if (caller.kind !== 'customer') return refuse('customer_only');
      if (level === 'seller' && caller.customerRole !== 'SELLER') return refuse('seller_only');
      if (refusalOptions.write && !refusalOptions.tosExempt && !caller.tosAccepted) {
        return refuse('terms_not_accepted');
      }
      return undefined;
    },
  };
}
