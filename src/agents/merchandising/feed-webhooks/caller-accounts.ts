import {
  type AccountRecord,
  type CallerAccounts,
  feedEventTypes,
  type HeldConfig,
  type NotificationConfig31,
} from '../../adcp31/accounts/index.js';
import type {
  AccountNotifications,
  NotificationConfig,
} from '../../../modules/account-notifications/index.js';
import {
  assertEndpointAllowed,
  OutboundBlockedError,
  urlCredentialRefusal,
} from '../../../platform/outbound/index.js';
import { agentRequest } from '../caller.js';
import { derivedAccountId } from '../accounts/ids.js';
import { storefrontBilling } from '../accounts/billing.js';
import { creativePurged, creativeStatusChanged } from './creative-lifecycle.js';

const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

const toStored = (config: HeldConfig): NotificationConfig => ({
  subscriberId: config.subscriber_id,
  url: config.url,
  eventTypes: config.event_types,
  active: config.active,
  ...(config.held && { held: config.held }),
  ...(config.authentication && {
    authentication: {
      scheme: config.authentication.schemes[0]!,
      credentials: config.authentication.credentials,
    },
  }),
});

/** A stored subscriber as AdCP 3.1 names it (credentials included: echoOf drops them). */
export const wireConfigOf = (config: NotificationConfig): HeldConfig =>
  ({
    subscriber_id: config.subscriberId,
    url: config.url,
    // cast: stored from a validated request (adcp31/accounts/schemas.ts notificationConfig).
    event_types: config.eventTypes as NotificationConfig31['event_types'],
    active: config.active,
    ...(config.held && { held: config.held }),
    ...(config.authentication && {
      authentication: {
        schemes: [config.authentication.scheme as 'Bearer' | 'HMAC-SHA256'],
        credentials: config.authentication.credentials,
      },
    }),
  }) satisfies HeldConfig;

/**
 * The calling buyer's accounts on the storefront it calls (AdCP 3.1 sync_accounts): rows keyed
 * by storefront and buyer from the request (caller.ts), never by what the arguments say. URLs
 * are judged as delivery judges them (https; no private, loopback or metadata address unless the
 * deployment allows private networks, when loopback http is accepted too; a host name that does
 * not resolve is answered 'unresolved'); `prove` runs the webhook challenge (challenge.ts) within
 * the buyer's budget per minute (`admit`, keyed by storefront and buyer); `provePending` queues
 * the proving job for subscribers held pending (proofs.ts).
 */
export function callerAccounts(options: {
  store: AccountNotifications;
  allowPrivateNetwork: boolean;
  prove: CallerAccounts['prove'];
  /** Takes one challenge from a buyer's budget per minute (key: storefront and buyer). */
  admit: (buyerKey: string) => boolean;
  provePending: (key: {
    storefrontId: number;
    buyerCustomerId: number;
    accountId: string;
  }) => Promise<void>;
  /** The storefront's subscribers changed (its feed is scanned for their starting point). */
  onReplaced: (storefrontId: number) => void;
}): CallerAccounts {
  const { store } = options;
  const owner = () => {
    const { storefront, principal } = agentRequest();
    return { storefrontId: storefront.id, buyerCustomerId: principal.customerId };
  };
  return {
    idOf: (account) => derivedAccountId(account),
    async provision(account) {
      const outcome = await store.saveAccount(
        { ...owner(), accountId: derivedAccountId(account) },
        {
          accountId: derivedAccountId(account),
          brand: account.brand,
          operator: account.operator,
          sandbox: account.sandbox,
          ...(account.payment_terms !== undefined && { paymentTerms: account.payment_terms }),
        },
      );
      return outcome === 'created';
    },
    async find(ref): Promise<AccountRecord | undefined> {
      const accountId = 'account_id' in ref ? ref.account_id : derivedAccountId(ref);
      const key = { ...owner(), accountId };
      const account = await store.findAccount(key);
      if (!account) return undefined;
      return {
        account_id: accountId,
        brand: account.brand,
        operator: account.operator,
        sandbox: account.sandbox,
        ...(account.paymentTerms !== undefined && { payment_terms: account.paymentTerms }),
        notification_configs: (await store.configsOf(key)).map(wireConfigOf),
      };
    },
    setPaymentTerms: (accountId, terms) => store.setPaymentTerms({ ...owner(), accountId }, terms),
    async replaceConfigs(accountId, configs) {
      const key = { ...owner(), accountId };
      await store.replaceConfigs(key, configs.map(toStored));
      options.onReplaced(key.storefrontId);
    },
    async checkUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return { code: 'INVALID_REQUEST', message: 'The webhook URL is not a URL' };
      }
      const credentials = urlCredentialRefusal(url);
      if (credentials) return { code: 'VALIDATION_ERROR', message: credentials };
      const insecureOk = options.allowPrivateNetwork && loopback.test(parsed.hostname);
      if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && insecureOk)) {
        return { code: 'VALIDATION_ERROR', message: 'A webhook URL must use https' };
      }
      try {
        const resolved = await assertEndpointAllowed(url, {
          allowPrivateNetwork: options.allowPrivateNetwork,
        });
        return resolved === 'unresolved' ? 'unresolved' : undefined;
      } catch (error) {
        if (!(error instanceof OutboundBlockedError)) throw error;
        return { code: 'VALIDATION_ERROR', message: error.message };
      }
    },
    prove: (accountId, config, timeoutMs) => options.prove(accountId, config, timeoutMs),
    admitChallenge() {
      const { storefrontId, buyerCustomerId } = owner();
      return options.admit(`${storefrontId}:${buyerCustomerId}`);
    },
    provePending: (accountId) => options.provePending({ ...owner(), accountId }),
    // The wholesale feed's events, and a creative's seller-side moves (creative-lifecycle.ts).
    emits: new Set<string>([...feedEventTypes, creativeStatusChanged, creativePurged]),
    supportedBilling: storefrontBilling,
  };
}
