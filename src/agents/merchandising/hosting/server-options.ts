import type {
  AdcpCapabilitiesConfig,
  AdcpLogger,
  AdcpStateStore,
  CreateAdcpServerFromPlatformOptions,
  IdempotencyStore,
  TaskRegistry,
  WebhookEmitter,
} from '@adcp/sdk/server';
import type { MediaChannel } from '@adcp/sdk/types';
import type { InventorySource } from '../../../modules/inventory-sources/index.js';
import type { StorefrontRow } from '../../../modules/storefronts/index.js';
import type { Ed25519SigningKey } from '../../../platform/crypto/signing-key.js';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { callerScope } from '../caller.js';
import {
  advertisedSandboxScenarios,
  type ScenarioOffer,
  servesScenario,
} from '../sandbox/scenarios.js';
import { webhookFetch } from './webhooks.js';
import { storefrontBilling } from '../accounts/billing.js';

type Identity = NonNullable<NonNullable<AdcpCapabilitiesConfig['overrides']>['identity']>;
type MediaBuyOverrides = NonNullable<AdcpCapabilitiesConfig['overrides']>['media_buy'];

/** What every storefront agent of this process shares: the SDK's stores and the webhook signer. */
export interface SharedServerParts {
  logger: AdcpLogger;
  stateStore: AdcpStateStore;
  taskRegistry: TaskRegistry;
  idempotency: IdempotencyStore;
  /** Accept loopback/private push-notification URLs (tests, storyboard receivers). */
  allowPrivateNetwork: boolean;
  /** Signs push notifications (RFC 9421); its public half is served as the agents' JWKS. */
  webhookSigner: Ed25519SigningKey;
  /** The guarded client buyers' push notifications leave through. */
  webhookFetch: OutboundFetch;
  /** Posts the SDK's task notifications (signed; buys/settle/task-notifications.ts skips its own). */
  taskWebhookEmitter: Pick<WebhookEmitter, 'emit'>;
}

/**
 * The channels and publisher domains a storefront sells: its own settings and what its sellable
 * sources say they sell (their probed capabilities).
 */
export function portfolioOf(storefront: StorefrontRow, sources: readonly InventorySource[]) {
  const channels = [
    ...new Set([...storefront.channels, ...sources.flatMap((s) => s.capabilities?.channels ?? [])]),
  ];
  const publisherDomains = [
    ...new Set([
      ...(storefront.publisherDomain ? [storefront.publisherDomain] : []),
      ...sources.flatMap((s) => s.capabilities?.publisherDomains ?? []),
    ]),
  ];
  // Storefront channels are settings checked against AdCP's channel list; sources' come from
  // their own AdCP capabilities.
  return { channels: channels as MediaChannel[], publisherDomains };
}

/** The @adcp/sdk server options of one storefront's agent (its capabilities included). */
export function storefrontServerOptions(
  storefront: StorefrontRow,
  shared: SharedServerParts,
  agent: {
    /** Where the agent is reachable: /adcp/storefront-{platformId} on the public URL. */
    base: string;
    specialisms: AdcpCapabilitiesConfig['specialisms'];
    portfolio: ReturnType<typeof portfolioOf>;
    /** More of get_adcp_capabilities' media_buy block (sales-social's declarations). */
    mediaBuy?: MediaBuyOverrides;
    /** Tools @adcp/sdk does not model (AdCP 3.1's task tools). */
    customTools?: CreateAdcpServerFromPlatformOptions['customTools'];
    /** What it sells: the test scenarios it declares act on it (sandbox/scenarios.ts). */
    offer?: ScenarioOffer;
  },
): CreateAdcpServerFromPlatformOptions & { capabilities: AdcpCapabilitiesConfig } {
  const { channels, publisherDomains } = agent.portfolio;
  return {
    name: storefront.name,
    version: '1.0.0',
    logger: shared.logger,
    stateStore: shared.stateStore,
    taskRegistry: shared.taskRegistry,
    idempotency: shared.idempotency,
    ...(agent.customTools && { customTools: agent.customTools }),
    // Every storefront agent shares one store: a buyer's key replays only on the storefront it
    // was sent to, and the same key and body on another storefront is a new request there.
    resolveIdempotencyPrincipal: () => callerScope(),
    allowPrivateWebhookUrls: shared.allowPrivateNetwork,
    // The SDK's default depends on NODE_ENV; an internal error's text (SQL, hosts, paths) never
    // goes to a buyer in any mode. It reaches our logs through `logger`.
    exposeErrorDetails: false,
    // The SDK validates requests only outside NODE_ENV=production; a buyer's malformed request
    // gets the same VALIDATION_ERROR (with the field) in every mode. Its validators are
    // compiled once per schema, so this costs microseconds a call (see the agents' tests).
    validation: { requests: 'strict' },
    // The test controller is registered by us (withSandboxController), not through the SDK's
    // `complyTest`: with that option the SDK (6.11.0) replaces these capabilities with its
    // own projection, and buyers would lose the specialisms, portfolio and account block.
    // Seeded products are the buyer's sandbox source's (products/composition.ts), ranked with
    // the others: not the SDK's bridge, which appends them unranked to sandbox accounts' answers.
    webhooks: {
      signerKey: {
        keyid: shared.webhookSigner.keyid,
        alg: shared.webhookSigner.alg,
        privateKey: shared.webhookSigner.privateKey,
      },
      fetch: webhookFetch(shared.webhookFetch),
    },
    // Tasks' notifications: signed by the emitter behind it, with the same key as `webhooks`.
    taskWebhookEmitter: { emit: shared.taskWebhookEmitter.emit, unsigned: true },
    capabilities: {
      specialisms: agent.specialisms,
      portfolio: {
        publisher_domains: publisherDomains.length > 0 ? publisherDomains : ['unknown.invalid'],
        primary_channels: channels,
        // The operator's accepted countries, when confirmed, are what briefs may come from.
        ...(storefront.acceptedCountries?.length
          ? { primary_countries: storefront.acceptedCountries }
          : storefront.regions.length > 0 && { primary_countries: storefront.regions }),
        description: storefront.description ?? `${storefront.name} on Interchange`,
      },
      account: { supportedBilling: [...storefrontBilling], sandbox: true },
      overrides: {
        media_buy: { supported_pricing_models: ['cpm'], ...agent.mediaBuy },
        compliance_testing: {
          scenarios: advertisedSandboxScenarios.filter((s) => servesScenario(agent.offer, s)),
        },
        // Where buyers find the keys our push notifications are signed with (AdCP key
        // discovery: brand.json → this agent's entry → jwks_uri), served by host.ts.
        // cast: @adcp/sdk 6.11 types the identity block without brand_json_url (AdCP 3.0.6 has it).
        identity: { brand_json_url: `${agent.base}/.well-known/brand.json` } as unknown as Identity,
      },
    },
  };
}
