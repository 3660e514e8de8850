import { createFormatRefresher } from '../../jobs/index.js';
import { createAssetService, createCreativeDelivery } from '../../modules/creatives/index.js';
import type { BuyingAgents } from '../../modules/discovery/index.js';
import { createFormatsService } from '../../modules/formats/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import { createUrlSigner } from '../../platform/signed-urls.js';
import { createAssetStore } from '../../platform/storage/index.js';
import type { Base } from '../base.js';

/**
 * What creatives are built from before campaigns: the formats of the agents a buyer may use
 * (refreshed on the job queue), uploaded assets with their signed links, and the creative
 * delivery port through which execution hands creatives to each agent.
 */
export function createCreativeSupply(base: Base, agents: BuyingAgents, identity: IdentityService) {
  const { db, config, secrets, jobs, options } = base;
  const formats = createFormatsService({
    db,
    agents,
    refresher: (entries) =>
      createFormatRefresher(
        jobs,
        entries,
        (customerId) => identity.actingPrincipal(customerId),
        config.formatsRefreshSeconds,
        options.onError,
      ),
    refreshSeconds: config.formatsRefreshSeconds,
    callBudgetMs: config.discoveryAgentBudgetMs,
  });
  const assetStore = createAssetStore(config.assetStorage, config.dataDir);
  const assets = createAssetService({
    db,
    store: assetStore,
    signer: createUrlSigner(secrets.derive('interchange asset links v1')),
    publicUrl: base.ownOrigin,
    urlTtlSeconds: config.assetUrlTtlSeconds,
    maxBytes: config.assetMaxBytes,
    now: () => new Date(),
  });
  const creativeDelivery = createCreativeDelivery({
    db,
    agents,
    linkOf: (assetId) => assets.linkOf({ id: assetId }),
    timeoutMs: config.executeAgentBudgetMs,
    refreshTimeoutMs: config.discoveryAgentBudgetMs,
    now: () => new Date(),
  });
  return { formats, assetStore, assets, creativeDelivery };
}
