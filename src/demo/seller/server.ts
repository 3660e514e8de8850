import {
  createAdcpServerFromPlatform,
  createIdempotencyStore,
  createInMemoryTaskRegistry,
  InMemoryStateStore,
  memoryBackend,
  type AdcpCapabilitiesConfig,
  type AdcpLogger,
  type CreateAdcpServerFromPlatformOptions,
  type DecisioningAdcpServer,
} from '@adcp/sdk/server';
import { demoChannels, demoPublisherDomain } from './catalog-rows.js';
import { buildDemoCatalog } from './catalog.js';
import { buildDemoFormats } from './formats.js';
import { createInMemoryPlatform, createMediaBuyBook } from '../../agents/in-memory-seller/index.js';

export const demoAgentName = 'Interchange demo seller';
export const demoAgentVersion = '1.0.0';

/** Builds fresh AdCP servers that share one demo seller's catalogue and in-memory state. */
export type DemoServerFactory = () => DecisioningAdcpServer;

/**
 * The demo seller's state lives in @adcp/sdk's in-memory stores, opted into explicitly: it is
 * a fixture for trying Interchange out, not Interchange state, and resets on restart.
 */
export function createDemoServerFactory(options: {
  agentUrl: string;
  logger: AdcpLogger;
  catalogCopies?: number;
}): DemoServerFactory {
  const stateStore = new InMemoryStateStore();
  const catalog = buildDemoCatalog(options.agentUrl, options.catalogCopies);
  const platform = createInMemoryPlatform({
    catalog,
    formats: buildDemoFormats(options.agentUrl),
    channels: demoChannels,
    mediaBuys: createMediaBuyBook(stateStore, catalog),
  });
  const serverOptions: CreateAdcpServerFromPlatformOptions & {
    capabilities: AdcpCapabilitiesConfig;
  } = {
    name: demoAgentName,
    version: demoAgentVersion,
    logger: options.logger,
    stateStore,
    taskRegistry: createInMemoryTaskRegistry(),
    idempotency: createIdempotencyStore({ backend: memoryBackend(), ttlSeconds: 86_400 }),
    // Idempotency keys are scoped per buyer credential; anonymous buyers share one scope.
    resolveIdempotencyPrincipal: (ctx) => ctx.authInfo?.clientId ?? 'anonymous',
    // @adcp/sdk 6.11 does not project the platform's channels and pricing models onto
    // get_adcp_capabilities, and its options type omits `capabilities`; the runtime still
    // forwards it to createAdcpServer, so the portfolio is declared here.
    capabilities: {
      specialisms: [...platform.capabilities.specialisms],
      portfolio: {
        publisher_domains: [demoPublisherDomain],
        primary_channels: [...demoChannels],
        primary_countries: ['US'],
        description:
          'Demo news, sports, lifestyle, CTV and audio inventory for trying Interchange.',
      },
      account: { supportedBilling: ['operator', 'agent'], sandbox: true },
      overrides: {
        media_buy: { supported_pricing_models: [...platform.capabilities.pricingModels] },
      },
    },
  };
  return () => createAdcpServerFromPlatform(platform, serverOptions);
}
