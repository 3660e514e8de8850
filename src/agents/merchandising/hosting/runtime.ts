import {
  createAdcpServerFromPlatform,
  createPostgresTaskRegistry,
  createWebhookEmitter,
  pgBackend,
  PostgresStateStore,
  type AdcpLogger,
} from '@adcp/sdk/server';
import { callerScopedTaskRegistry } from './task-registry.js';
import { sandboxTasks } from './sandbox-tasks.js';
import { callerTasks, taskTable } from './caller-tasks.js';
import {
  feedRevisionReader,
  findAdcpCall,
  previewToolsOver,
  taskToolsOver,
  withAdcp31,
} from '../../adcp31/index.js';
import { findAgentRequest } from '../caller.js';
import { withSandboxKeyAccounts } from '../accounts/sandbox-credential.js';
import { governanceToolsOver } from '../../adcp31/governance/index.js';
import { callerGovernance } from './caller-governance.js';
import type { JobQueue } from '../../../platform/jobs/index.js';
import type { PgQueryable } from '../../../platform/db/database.js';
import type { Ed25519SigningKey } from '../../../platform/crypto/signing-key.js';
import { createOutboundClient } from '../../../platform/outbound/index.js';
import type { CreativeForwarder } from '../../../modules/creative-reviews/index.js';
import type { DecisionHandler } from '../../../modules/orders/index.js';
import { agentIdOf, type StorefrontRow } from '../../../modules/storefronts/index.js';
import { createAgentA2a } from '../../hosting/a2a.js';
import { publishToolSchemas } from '../../hosting/tool-schemas/index.js';
import { reclaimingIdempotencyStore } from '../../hosting/reclaiming-idempotency.js';
import { callerTaskStore } from './a2a-tasks.js';
import { createServerPool } from '../../../platform/mcp/server-pool.js';
import type { MerchandisingDeps } from '../deps.js';
import { createBuyDecisions } from '../buys/settle/decisions.js';
import type { SettledSourceTask } from '../buys/settle/source-tasks.js';
import { createStorefrontPlatform } from '../platform.js';
import { derivedAccountId } from '../accounts/ids.js';
import { callerAccountList } from '../accounts/caller-list.js';
import { accountToolsOver } from '../../adcp31/accounts/index.js';
import type { StorefrontSources } from '../../../source-kinds/registry.js';
import { soldSpecialisms, storefrontOffer } from '../../../sources/offer.js';
import { type StorefrontRuntime, storefrontRuntimes } from './runtime-cache.js';
import { declaredFrequencyCapping } from '../../../sources/frequency-caps.js';
import { socialMediaBuyCapabilities, storefrontSocial } from '../social/tools.js';
import { callerCatalogs, catalogMemory } from '../social/catalog-memory.js';
import { sandboxController, withSandboxController } from '../sandbox/controller.js';
import { storefrontFeedState } from '../products/feed/state.js';
import { productRollups } from './capability-rollups.js';
import { createDecisionWaiters } from '../buys/settle/waiters.js';
import { createTaskNotifications, stableWebhookKeys } from '../buys/settle/task-notifications.js';
import type { TaskPushes } from '../../../modules/task-pushes/index.js';
import { assertPushUrlAllowed, pushUrlCheck, webhookFetch } from './webhooks.js';
import type { AccountNotifications } from '../../../modules/account-notifications/index.js';
import { proveControl } from '../feed-webhooks/challenge.js';
import { accountsWithProofs } from '../feed-webhooks/proofs.js';
import { feedWebhookSender } from '../feed-webhooks/sender.js';
import { portfolioOf, type SharedServerParts, storefrontServerOptions } from './server-options.js';
import { storefrontSkills } from './skills.js';
import { withSyncRequest } from '../creatives/sync-request.js';

/** A published webhook-signing key: AdCP verifiers require its purpose (adcp_use, key_ops). */
export type WebhookJwk = Ed25519SigningKey['publicJwk'] & {
  adcp_use: 'webhook-signing';
  key_ops: ['verify'];
};

/** The agents' published keys (`/.well-known/jwks.json`): the webhook signer's public half. */
export const webhookJwks = (signer: Ed25519SigningKey): { keys: WebhookJwk[] } => ({
  keys: [{ ...signer.publicJwk, adcp_use: 'webhook-signing', key_ops: ['verify'] }],
});

export type { StorefrontRuntime } from './runtime-cache.js';

export interface Merchandising {
  /** The public keys buyers verify push notifications with (scoped to webhook signing). */
  jwks: { keys: WebhookJwk[] };
  /**
   * The storefront's agent, built on first use and rebuilt when the storefront or what its
   * sources can do changes (sources/offer.ts).
   */
  runtimeFor(storefront: StorefrontRow, publicUrl: string): Promise<StorefrontRuntime>;
  /** What the operator's queues decide through: buy approvals and creative reviews. */
  decisions: DecisionHandler & CreativeForwarder;
  /** Told by a source that one of its tasks settled (wiring/flows/source-task-settled.ts). */
  sourceTasks: { settled(task: SettledSourceTask): Promise<void> };
  /** Posts a wholesale feed webhook, signed as push notifications are (jobs/feed-webhooks). */
  sendFeedWebhook: ReturnType<typeof feedWebhookSender>;
  close(): Promise<void>;
}

export const agentBasePath = (platformId: string) => `/adcp/${agentIdOf(platformId)}`;

/** Servers per storefront agent: each takes one MCP request at a time. */
const serversPerStorefront = 4;

/**
 * The Merchandising Agents of every storefront, over @adcp/sdk. Their tasks, idempotency
 * records and state live in the database (the SDK's PostgreSQL stores), so a
 * restart or a second instance loses nothing and replays stay replays.
 */
export function createMerchandising(options: {
  deps: MerchandisingDeps;
  queryable: PgQueryable;
  logger: AdcpLogger;
  /** Accept loopback/private push-notification URLs (tests, storyboard receivers). */
  allowPrivateNetwork: boolean;
  /** Signs push notifications (RFC 9421); its public half is served as the agents' JWKS. */
  webhookSigner: Ed25519SigningKey;
  /** Where the follow-up of sources' tasks and tasks' notifications run (buys/). */
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted' | 'hurry'>;
  /** Buyers' push configs of tasks, shared by the fleet (buys/settle/task-notifications.ts). */
  taskPushes: TaskPushes;
  /** How long a request holds its idempotency key before a retry may take over a dead one's. */
  idempotencyClaimSeconds: number;
  /** INTERCHANGE_SOURCE_ANSWER_TTL_MS: how old a remote source's answer may be served (feed versions). */
  sourceAnswerTtlMs?: number;
  /**
   * Buyers' accounts and notification configs (AdCP 3.1 sync_accounts); `onSubscribed` is told
   * a storefront's subscribers changed. Without it a 3.1 sync_accounts is the SDK's.
   */
  accountNotifications?: {
    store: AccountNotifications;
    onSubscribed: (storefrontId: number) => void;
  };
}): Merchandising {
  const { deps, logger } = options;
  if (options.allowPrivateNetwork) {
    // @adcp/sdk reads these from the environment only: with private networks allowed (a
    // deployment-wide switch for development and conformance runs) buyers' http:// loopback
    // receivers are accepted, without a warning per server built.
    process.env['ADCP_DECISIONING_ALLOW_HTTP_WEBHOOKS'] ??= '1';
    process.env['ADCP_DECISIONING_ALLOW_PRIVATE_WEBHOOK_URLS'] ??= '1';
  }
  // Buyers' push notifications leave through a guarded client of their own: no trusted hosts
  // (nothing a buyer names is exempt, not even this deployment) and small answers.
  const webhookClient = createOutboundClient({
    allowPrivateNetwork: options.allowPrivateNetwork,
    maxResponseBytes: 64 * 1024,
  });
  const checkPushUrl = (request: unknown) =>
    assertPushUrlAllowed(request, options.allowPrivateNetwork);
  const waiters = createDecisionWaiters();
  const taskRegistry = callerScopedTaskRegistry(
    createPostgresTaskRegistry({ pool: options.queryable, tableName: taskTable }),
  );
  // Every push notification is signed with the agents' key, one idempotency key per event.
  const signer = options.webhookSigner;
  const notifications = createTaskNotifications({
    registry: taskRegistry,
    pushes: options.taskPushes,
    emitter: createWebhookEmitter({
      signerKey: { keyid: signer.keyid, alg: signer.alg, privateKey: signer.privateKey },
      fetch: webhookFetch(webhookClient.fetch),
      idempotencyKeyStore: stableWebhookKeys,
    }),
    jobs: options.jobs,
    checkUrl: pushUrlCheck(options.allowPrivateNetwork),
    onError: (error) => deps.onError?.(error, 'task notification'),
  });
  const shared: SharedServerParts = {
    logger,
    stateStore: new PostgresStateStore(options.queryable),
    taskRegistry,
    // A retry may take over the key of a request whose process died (reclaiming-idempotency.ts).
    idempotency: reclaimingIdempotencyStore({
      backend: pgBackend(options.queryable),
      ttlSeconds: 86_400,
      claimSeconds: options.idempotencyClaimSeconds,
      noteKey: (key) => {
        const request = findAgentRequest();
        if (request) request.idempotencyKey = key;
      },
      noteOutcome: (kind) => {
        const call = findAdcpCall();
        if (call) call.idempotency = kind;
      },
    }),
    allowPrivateNetwork: options.allowPrivateNetwork,
    webhookSigner: options.webhookSigner,
    webhookFetch: webhookClient.fetch,
    taskWebhookEmitter: notifications.sdkEmitter,
  };
  const { decisions, follow, sourceTaskSettled } = createBuyDecisions({
    deps,
    waiters,
    notifications,
    jobs: options.jobs,
  });
  const remember = notifications.remember;
  const forced = sandboxTasks({
    registry: taskRegistry,
    pushes: options.taskPushes,
    notifications,
  });
  // Feed webhooks are signed like task pushes, tried once per job run (the job retries).
  const sendFeedWebhook = feedWebhookSender(
    createWebhookEmitter({
      signerKey: { keyid: signer.keyid, alg: signer.alg, privateKey: signer.privateKey },
      fetch: webhookFetch(webhookClient.fetch),
      idempotencyKeyStore: stableWebhookKeys,
    }),
  );
  const readRevision = feedRevisionReader(options.queryable);
  const notificationsOf = options.accountNotifications;
  const accounts =
    notificationsOf &&
    accountsWithProofs({
      store: notificationsOf.store,
      allowPrivateNetwork: options.allowPrivateNetwork,
      jobs: options.jobs,
      prove: (sellerAgentUrl, accountId, config, timeoutMs) =>
        proveControl(
          { signer, fetch: webhookClient.fetch, sellerAgentUrl },
          accountId,
          config,
          timeoutMs,
        ),
      onReplaced: notificationsOf.onSubscribed,
    });
  // The catalogs buyers synced, for preview_creative (social/catalog-memory.ts).
  const catalogs = catalogMemory(shared.stateStore);
  // 3.1's rollups of what each storefront sells each caller, kept across its agents' rebuilds.
  const rollupsOver = productRollups(deps);

  async function build(
    storefront: StorefrontRow,
    publicUrl: string,
    { sellable, serving }: StorefrontSources,
  ): Promise<StorefrontRuntime> {
    const portfolio = portfolioOf(storefront, sellable);
    const social = storefrontSocial(deps, sellable, derivedAccountId, catalogs);
    const base = `${publicUrl.replace(/\/+$/, '')}${agentBasePath(storefront.platformId)}`;
    // What sources that declare no sales specialism sell: asked of them (their products).
    const { sold, settled } = await soldSpecialisms(serving);
    const offer = storefrontOffer(serving, sold);
    const frequencyCapping = declaredFrequencyCapping(serving);
    const platform = createStorefrontPlatform(
      deps,
      { waiters, follow, remember },
      // The tools and specialisms of its ACTIVE sources: one that cannot sell now still names
      // why when a buy asks for its products (buys/create/create.ts), and keeps its buys' follow-ups.
      {
        channels: portfolio.channels,
        checkPushUrl,
        social,
        offer,
        ...(notificationsOf && { accountBook: notificationsOf.store }),
      },
    );
    const serverOptions = storefrontServerOptions(storefront, shared, {
      base,
      specialisms: [...platform.capabilities.specialisms],
      portfolio,
      mediaBuy: socialMediaBuyCapabilities(social),
      offer,
      customTools: {
        ...taskToolsOver(
          callerTasks({
            registry: taskRegistry,
            accounts: platform.accounts,
            queryable: options.queryable,
          }),
        ),
        ...(deps.governance && governanceToolsOver(callerGovernance(deps.governance, platform))),
        // sales-social requires preview_creative: rendered here, bound to synced catalogs.
        ...(social.specialisms.length > 0 &&
          previewToolsOver(callerCatalogs(catalogs, (ref) => platform.accounts.resolve(ref)))),
        // Every storefront lists the buyer's accounts on it (and its social sources' for it).
        ...(notificationsOf &&
          accountToolsOver(
            callerAccountList({ book: notificationsOf.store, sandboxes: deps.sandbox, social }),
          )),
      },
    });
    const controller = sandboxController(
      deps,
      platform.accounts,
      notificationsOf?.store,
      forced,
      offer,
    );
    const feedStateOf = storefrontFeedState(deps, {
      readRevision,
      sellable,
      sourceAnswerTtlMs: options.sourceAnswerTtlMs ?? 0,
    });
    // AdCP 3.1 around every tool, the test controller's included (adcp31/layer.ts); a sandbox
    // key's accounts taken as sandbox accounts before any of it (accounts/sandbox-credential.ts).
    const factory = () =>
      withSandboxKeyAccounts(
        withAdcp31(
          withSandboxController(
            // sync_creatives' assignments, which the SDK does not hand the platform.
            withSyncRequest(createAdcpServerFromPlatform(platform, serverOptions)),
            controller,
          ),
          {
            inFlightMaxSeconds: options.idempotencyClaimSeconds,
            feedStateOf,
            // AdCP 3.1 property lists: honoured over sources whose products say where they serve.
            features31: {
              property_list_filtering: serving.some((s) => s.filtersByProperty === true),
              // Packages' creatives sent inline on create and update (buys/inline-creatives.ts),
              // where a source takes them on updates too; another source's packages are refused.
              inline_creative_management: offer.buys && serving.some((s) => s.inlineCreatives),
            },
            // get_products answers wholesale and refine requests (merchandising/products), and a
            // buy's impairments show on get_media_buys (adcp31/buys): declared where offered.
            mediaBuy31: {
              ...(offer.products && { buying_modes: ['brief', 'wholesale', 'refine'] }),
              ...(offer.buys && { propagation_surfaces: ['snapshot'] }),
              // Caps honoured or refused per source (buys/frequency-caps.ts), when one enforces.
              ...(offer.buys && frequencyCapping && { frequency_capping: frequencyCapping }),
            },
            // What its products can be optimised for, as this caller would be sold them.
            mediaBuyRollups: rollupsOver(feedStateOf),
            // It consults governance agents on the buys it books (adcp31/governance).
            governanceAware: deps.governance !== undefined && offer.buys,
            ...(accounts && { accounts: accounts(`${base}/mcp`) }),
          },
        ),
      );
    const a2a = await createAgentA2a({
      server: factory(),
      logger,
      card: {
        name: storefront.name,
        description:
          storefront.description ?? `${storefront.name}: an AdCP sales agent on Interchange`,
        url: `${base}/a2a`,
        version: '1.0.0',
        provider: {
          organization: storefront.brandName ?? storefront.name,
          url: storefront.website ?? publicUrl,
        },
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        security: [{ bearer: [] }],
      },
      taskStore: callerTaskStore(),
      skillDescriptions: storefrontSkills,
      toolSchemasOrigin: publicUrl,
    });
    // MCP's tools/list publishes each tool's request schema of the release listed.
    const listed = () => publishToolSchemas(factory(), storefrontSkills);
    return { pool: createServerPool(listed, serversPerStorefront), a2a, provisional: !settled };
  }
  const runtimes = storefrontRuntimes(
    async (storefrontId) => deps.sources.of(storefrontId, null),
    build,
  );

  return {
    jwks: webhookJwks(options.webhookSigner),
    runtimeFor: runtimes.runtimeFor,
    decisions,
    sourceTasks: { settled: sourceTaskSettled },
    sendFeedWebhook,
    async close() {
      // Tasks still awaiting a decision stay `submitted` in the database; the decision
      // settles and notifies them (buys/settle/task-notifications.ts), whichever instance takes it.
      await runtimes.close();
      await webhookClient.close();
    },
  };
}
