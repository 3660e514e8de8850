import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
} from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import type { SecretBox } from './platform/crypto/secrets.js';
import type { Database } from './platform/db/database.js';
import { registerAuth } from './platform/http/auth/register.js';
import { registerFleetWiring } from './fleet-wiring.js';
import { registerDrain } from './platform/http/drain.js';
import { registerErrorHandling, sendFrameworkError } from './platform/http/error-handler.js';
import { registerHealthRoutes } from './platform/http/health.js';
import { registerJsonBody } from './platform/http/body/json.js';
import { registerMultipart } from './platform/http/body/multipart.js';
import { createUploadGate, type UploadGate, uploadLimitsOf } from './platform/uploads/gate.js';
import { registerStreamedBodies } from './platform/http/body/stream.js';
import { createGuard } from './platform/guard/guard.js';
import { requestIdOf } from './platform/http/request-id.js';
import { type AnyRoute, registerRoutes } from './platform/http/route.js';
import { registerPathParameterCheck, validatorCompiler } from './platform/http/validation.js';
import { loggerOptions, logStreamOf } from './platform/logging.js';
import { RequestLog } from './platform/http/request-log.js';
import { registerOpenApiRoutes } from './platform/openapi/routes.js';
import { registerDocsPage } from './web/docs-page.js';
import { registerHomePage } from './web/home-page.js';
import {
  accountRoutes,
  adminIdentityRoutes,
  sponsoredBuyerRoutes,
} from './modules/identity/index.js';
import { joinLinkRoutes } from './modules/join-links/index.js';
import { notificationRoutes } from './modules/notifications/index.js';
import { buyerAccessRoutes } from './modules/buyer-access/index.js';
import { advertiserRoutes } from './modules/advertisers/index.js';
import { eventSourceRoutes } from './modules/event-sources/index.js';
import { catalogRoutes } from './modules/catalogs/index.js';
import { creativeGenerationRoutes } from './modules/creative-generation/index.js';
import { audienceRoutes } from './modules/audiences/index.js';
import { discoveryRoutes } from './modules/discovery/index.js';
import { salesAgentRoutes, signalRoutes } from './modules/registered-agents/index.js';
import { optimizationRoutes } from './modules/optimization/index.js';
import { campaignRoutes } from './modules/campaigns/index.js';
import { deliveryRoutes } from './modules/delivery/index.js';
import { registerReportDownloads, reportingRoutes } from './modules/reporting/index.js';
import { formatRoutes } from './modules/formats/index.js';
import { creativeRoutes, registerAssetLinks } from './modules/creatives/index.js';
import { registerOAuthCallbackPage } from './web/oauth/callback-page.js';
import { registerAdapterCallbackPage } from './web/oauth/adapter-callback-page.js';
import { providerAdapterRoutes } from './modules/provider-adapters/index.js';
import { inventorySourceRoutes } from './modules/inventory-sources/index.js';
import { modularSourceRoutes, registerLedgerDownloads } from './modules/modular-sources/index.js';
import { adServerRoutes, refreshSchema } from './modules/ad-servers/index.js';
import { buyerInstructionRoutes } from './modules/buyer-instructions/index.js';
import { propertyProfileRoutes } from './modules/property-profiles/index.js';
import { operatingInstructionRoutes } from './modules/operating-instructions/index.js';
import { productRuleRoutes } from './modules/product-rules/index.js';
import { mediaBuyApprovalRoutes } from './modules/orders/index.js';
import { creativeReviewRoutes } from './modules/creative-reviews/index.js';
import {
  registerStorefrontReportDownloads,
  sellerAnalyticsRoutes,
  storefrontReportingRoutes,
} from './modules/seller-analytics/index.js';
import { registerOrderDownloads, storefrontMediaBuyRoutes } from './modules/order-views/index.js';
import {
  registerFeedSignalReceiver,
  registerStorefrontAgents,
} from './agents/merchandising/index.js';
import { adcpLoggerOf } from './agents/hosting/logger.js';
import { quietSdkConsole } from './agents/hosting/sdk-console.js';
import { readinessRoutes } from './modules/readiness/index.js';
import { complianceRoutes } from './modules/compliance/index.js';
import { publisherAuthorizationRoutes } from './modules/publisher-authorization/index.js';
import { storefrontLinkRoutes } from './modules/storefront-links/index.js';
import { storefrontAgentRoutes } from './modules/storefront-agents/index.js';
import { storefrontAdminRoutes, storefrontSellerRoutes } from './modules/storefronts/index.js';
import { rateCardRoutes } from './modules/rate-cards/index.js';
import { proposalRoutes } from './modules/proposals/index.js';
import { createServices, type Services } from './services.js';
import { registerJoinPages } from './web/join/routes.js';
import { registerConsole } from './web/console/routes.js';
import { registerMcpServers, serverVersion } from './mcp/index.js';
import { registerIdempotency } from './modules/idempotency/index.js';
import { createDatabaseRateStore } from './modules/rate-limits/index.js';

export interface AppOptions {
  config: Config;
  database: Database;
  secrets: SecretBox;
  /** Where logs go; stdout when omitted. Tests pass a stream to read them. */
  logStream?: DestinationStream;
  /** Services already built by the caller (the server bootstraps with them first). */
  services?: Services;
  /**
   * What the entry point plugs in from outside production code: the demo's seller agent
   * (src/demo), which production code never imports.
   */
  extensions?: AppExtension[];
}

/** Routes mounted from outside production code (the demo seller agent), beside the agents. */
export interface AppExtension {
  register(app: FastifyInstance, context: { publicUrl: () => string }): void;
}

export interface RouteCatalogEntry {
  method: string;
  url: string;
  schema: Record<string, unknown> | undefined;
  /** The auth level the route declared (routes without one are public). */
  auth: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalog: RouteCatalogEntry[];
  }
}

/** Builds the HTTP app without listening, so tests can inject requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  quietSdkConsole();
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), stream: options.logStream ?? logStreamOf(config) },
    logController: new RequestLog(config.production ? 'info' : 'debug'),
    bodyLimit: config.bodyLimitBytes,
    // Path parameters are at most 255 characters in every schema (Fastify's default is 100, so
    // ids the API accepts would not route); a longer one, or a malformed one, answers the envelope.
    routerOptions: { maxParamLength: 255 },
    frameworkErrors: sendFrameworkError,
    // Behind a load balancer request.ip (rate limits, logs) is the client's only when the
    // balancer is trusted; otherwise every unauthenticated client would share its bucket.
    trustProxy: trustProxyOf(config.trustProxy),
    genReqId: requestIdOf,
    forceCloseConnections: 'idle',
    // A request that reaches a closing instance on a connection kept alive is served, with
    // Connection: close, not answered 503: nginx passes a 503 on to no other instance (listing
    // http_503 in proxy_next_upstream would turn a fleet-wide 503 into 502s), so the client would
    // see it. Fastify closes the server, and waits for these, before any onClose hook of ours.
    return503OnClosing: false,
  });
  // Every route as registered, so tests can prove each /api/v2 route is documented and guarded.
  const routeCatalog: RouteCatalogEntry[] = [];
  app.decorate('routeCatalog', routeCatalog);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routeCatalog.push({
        method,
        url: route.url,
        schema: route.schema as Record<string, unknown>,
        auth: route.config?.auth ?? 'public',
      });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  const services =
    options.services ??
    createServices({
      ...options,
      onError: (error, context) => app.log.warn({ err: error, context }, 'background task failed'),
      adcpLogger: adcpLoggerOf(app.log.child({ component: 'storefront-agents' })),
    });
  if (!options.services) app.addHook('onClose', () => services.close());

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Interchange API',
        version: '2.0.0',
        description:
          'Open, self-hostable agentic advertising marketplace on the Ad Context Protocol.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  registerFleetWiring(app, { config, database: options.database });
  registerErrorHandling(app);
  registerPathParameterCheck(app);
  const inFlight = registerDrain(app, config.drainTimeoutMs);
  registerJsonBody(app);
  registerStreamedBodies(app);
  await registerMultipart(app);
  // Uploads in flight on this instance, and how their bytes may arrive (platform/uploads).
  const uploads = createUploadGate(uploadLimitsOf(config.uploads));
  // One guard for every surface (REST, MCP, storefront agents, console); budgets in PostgreSQL.
  const rateStore = createDatabaseRateStore(options.database.queryable);
  const guard = createGuard({
    authenticator: services.identity,
    store: rateStore,
    perKeyLimit: config.rateLimitPerKey,
    perIpLimit: config.rateLimitPerIp,
  });
  registerAuth(app, guard);
  registerIdempotency(app, services.idempotency);
  registerHealthRoutes(app, options.database.ping);
  registerAssetLinks(app, services.assets);
  registerOpenApiRoutes(app);
  registerDocsPage(app);
  registerHomePage(app);

  // Extensions (the built-in demo AdCP sales agent the demo seller's storefront draws on).
  for (const extension of options.extensions ?? []) {
    extension.register(app, { publicUrl: () => ownUrl(app, config) });
  }
  // Every storefront's Merchandising Agent: /adcp/storefront-{platformId}/{mcp,a2a}.
  registerStorefrontAgents(app, {
    merchandising: services.merchandising,
    storefronts: services.storefronts,
    publicUrl: () => ownUrl(app, config),
    guard,
  });

  // Mirrored sources' feed webhooks (the mirror's subscriptions): /adcp/feed-signals/{id}.
  // Bounded per subscription in the fleet's rate store (receiver.ts).
  registerFeedSignalReceiver(app, { ...services.feedSignalReceiver, rate: { store: rateStore } });

  // The buyer and storefront MCP servers: their tools dispatch through the routes below.
  registerMcpServers(app, {
    guard,
    ping: async () => void (await options.database.ping()),
    version: serverVersion,
  });

  registerOAuthCallbackPage(app, services.buyerAccess);
  registerAdapterCallbackPage(app, services.providerAdapters, {
    secure: (config.publicUrl ?? '').startsWith('https:'),
  });
  registerReportDownloads(app, services.reporting);
  registerStorefrontReportDownloads(app, services.sellerAnalytics);
  registerOrderDownloads(app, services.storefrontMediaBuys);
  registerLedgerDownloads(app, services.modularSources);
  registerJoinPages(app, { joinLinks: services.joinLinks, fetch: services.outbound.fetch });
  registerConsole(app, {
    services,
    guard,
    secrets: options.secrets,
    publicUrl: config.publicUrl,
    ownUrl: () => ownUrl(app, config),
    assetMaxBytes: config.assetMaxBytes,
    uploads: uploads.limits,
  });

  registerRoutes(app, apiRoutes(services, config, uploads), inFlight);
  return app;
}

/**
 * Every /api/v2 route, by area. The order is the registration order, which is the order of the
 * paths in the published OpenAPI documents: a new area's routes go at its area's end.
 */
export function apiRoutes(services: Services, config: Config, uploads: UploadGate): AnyRoute[] {
  return [
    ...accountAndAdminRoutes(services),
    ...storefrontSupplyRoutes(services, uploads),
    ...sellerOperationRoutes(services),
    ...buyerRoutes(services, config),
    // Sellers' sponsored buyers (join links make them), registered last as they always were.
    ...sponsoredBuyerRoutes(services.identity),
  ];
}

/** The caller's own account (either persona) and the platform admin's identity routes. */
function accountAndAdminRoutes(services: Services): AnyRoute[] {
  return [...accountRoutes(services.identity), ...adminIdentityRoutes(services.identity)];
}

/** What a storefront sells and how: the storefront, its inventory sources of every kind, rules. */
function storefrontSupplyRoutes(services: Services, uploads: UploadGate): AnyRoute[] {
  return [
    ...storefrontSellerRoutes(
      services.storefronts,
      services.activity,
      (email) => services.identity.userIdByEmail(email),
      services.goLive,
    ),
    ...storefrontAdminRoutes(services.storefronts),
    ...inventorySourceRoutes(services.inventorySources, {
      schema: refreshSchema,
      refresh: (principal, sourceId, options) =>
        services.adServers.operations.refreshIfAdServer(principal, sourceId, options),
    }),
    ...adServerRoutes(services.adServers),
    ...modularSourceRoutes(services.modularSources, uploads),
    ...providerAdapterRoutes(services.providerAdapters),
    ...operatingInstructionRoutes(services.operatingInstructions),
    ...buyerInstructionRoutes(services.buyerInstructions),
    ...propertyProfileRoutes(services.propertyProfiles),
    ...productRuleRoutes(services.productRules, services.productRulePreview),
    ...rateCardRoutes(
      services.rateCards,
      async (principal) => (await services.storefronts.requireOwn(principal)).id,
    ),
    ...proposalRoutes(
      services.proposals,
      async (principal) => (await services.storefronts.requireOwn(principal)).id,
    ),
  ];
}

/** A seller running its storefront: approvals, analytics, readiness, compliance, links. */
function sellerOperationRoutes(services: Services): AnyRoute[] {
  return [
    ...mediaBuyApprovalRoutes(services.mediaBuys),
    ...creativeReviewRoutes(services.creativeReviews),
    ...sellerAnalyticsRoutes(services.sellerAnalytics),
    ...storefrontMediaBuyRoutes(services.storefrontMediaBuys),
    ...storefrontReportingRoutes(services.sellerAnalytics),
    ...readinessRoutes(services.readiness),
    ...complianceRoutes(services.compliance),
    ...publisherAuthorizationRoutes(services.publisherAuthorization),
    ...storefrontLinkRoutes(services.storefrontLinks),
    ...joinLinkRoutes(services.joinLinks),
    ...notificationRoutes(services.notifications, services.pendingOperations),
  ];
}

/** A buyer's work: access to storefronts, advertisers, discovery, campaigns, creatives, reports. */
function buyerRoutes(services: Services, config: Config): AnyRoute[] {
  return [
    ...buyerAccessRoutes(services.buyerAccess),
    ...storefrontAgentRoutes(services.storefrontAgents),
    ...advertiserRoutes(services.advertisers),
    ...eventSourceRoutes(services.eventSources),
    ...catalogRoutes(services.catalogs),
    ...audienceRoutes(services.audiences),
    ...salesAgentRoutes(services.salesAgents),
    ...signalRoutes(services.signals),
    ...discoveryRoutes(services.discovery),
    ...campaignRoutes(services.campaigns),
    ...optimizationRoutes(services.optimization),
    ...deliveryRoutes(services.delivery),
    ...reportingRoutes(services.reporting),
    ...formatRoutes(services.formats),
    ...creativeRoutes(services.creatives, services.assets, config.assetMaxBytes),
    ...creativeGenerationRoutes(services.modelCredentials, services.audioProductions),
  ];
}

/** The public URL, with the real port filled in when the server was asked for port 0. */
export function ownUrl(app: FastifyInstance, config: Config): string {
  if (!config.publicUrl.endsWith(':0')) return config.publicUrl;
  // Asked on every agent request: the socket's address (a system call) once it is listening.
  const known = listeningUrls.get(app);
  if (known) return known;
  const address = app.server.address();
  if (typeof address !== 'object' || !address) return config.publicUrl;
  const url = `${config.publicUrl.slice(0, -2)}:${address.port}`;
  listeningUrls.set(app, url);
  return url;
}
const listeningUrls = new WeakMap<FastifyInstance, string>();

/** Fastify types a hop count as a function (what proxy-addr makes of a number at run time). */
function trustProxyOf(setting: Config['trustProxy']) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}
