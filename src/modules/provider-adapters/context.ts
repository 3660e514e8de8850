import { servedSourceTools } from '../../sources/capabilities.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import type { ProviderConfig } from '../../provider-config.js';
import type { InventorySourcesService, SelfDeclaration } from '../inventory-sources/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import type { ProviderAdapter } from './contract.js';
import { amazonAdapter } from './amazon/adapter.js';
import { googleAdapter } from './google/adapter.js';
import { metaAdapter } from './meta/adapter.js';
import { pinterestAdapter } from './pinterest/adapter.js';
import { redditAdapter } from './reddit/adapter.js';
import { snapAdapter } from './snap/adapter.js';
import { spotifyAdapter } from './spotify/adapter.js';
import { tiktokAdapter } from './tiktok/adapter.js';
import { providerNames, type ProviderName } from './providers.js';
import { sandboxMarked } from './shared/sandbox-mark.js';

/** What the provider-adapters module needs: its tables' database and other modules' doors. */
export interface AdapterDeps {
  db: Db;
  secrets: SecretBox;
  /** The guarded outbound client: every call to a provider goes through it. */
  fetch: OutboundFetch;
  /**
   * The guarded client with a larger size cap (20 MiB), for files read from other hosts: creative
   * files from buyers' URLs (Spotify's audio, Snap's, Google's and Amazon's images) and Amazon's
   * report files. Absent: the adapters' API client (512 KiB) reads them.
   */
  creativeFetch?: OutboundFetch;
  providers: ProviderConfig;
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
  inventorySources: Pick<
    InventorySourcesService,
    'registerOfKind' | 'recordSelfReport' | 'findStored' | 'allRowsOf'
  >;
  /** This deployment's public origin: the OAuth redirect URI is on it. */
  publicUrl: () => string;
  now?: () => Date;
}

/** The adapters this instance has, by provider; a provider missing here exists as a name only. */
export function adaptersOf(deps: AdapterDeps): Partial<Record<ProviderName, ProviderAdapter>> {
  const now = () => (deps.now ?? (() => new Date()))().getTime();
  const built: Partial<Record<ProviderName, ProviderAdapter>> = {
    pinterest: pinterestAdapter(deps.fetch, deps.providers.pinterest, now, deps.creativeFetch),
    reddit: redditAdapter(deps.fetch, deps.providers.reddit, now),
    snap: snapAdapter(deps.fetch, deps.providers.snap, now, deps.creativeFetch),
    spotify: spotifyAdapter(deps.fetch, deps.providers.spotify, now, deps.creativeFetch),
    meta: metaAdapter(deps.fetch, deps.providers.meta, now),
    tiktok: tiktokAdapter(deps.fetch, deps.providers.tiktok, now),
    google: googleAdapter(deps.fetch, deps.providers.google, now, deps.creativeFetch),
    amazon: amazonAdapter(deps.fetch, deps.providers.amazon, now, deps.creativeFetch),
  };
  // The providers the sandbox stands in for sell products that say so.
  for (const name of providerNames) {
    const adapter = built[name];
    if (adapter && deps.providers.sandboxed.has(name)) built[name] = sandboxMarked(adapter);
  }
  return built;
}

/** The AdCP tools it answers through the storefront (the source port). */
const tools = servedSourceTools;

/** The sales-social tools an adapter with a social side answers (src/source-kinds/provider/social.ts). */
export const adapterSocialToolNames = [
  'sync_audiences',
  'sync_event_sources',
  'log_event',
  'get_account_financials',
];

/** What an adapter source offers, told to inventory-sources in place of a probe. */
export function adapterDeclaration(
  name: string,
  adapter: Pick<ProviderAdapter, 'channels' | 'social' | 'catalogs'>,
): SelfDeclaration {
  const social = adapter.social !== undefined || adapter.catalogs !== undefined;
  const targeting = adapter.social?.audienceTargeting;
  return {
    agentName: name,
    tools: [
      ...tools,
      ...(adapter.social ? adapterSocialToolNames : []),
      // catalogs/sync-catalogs.ts
      ...(adapter.catalogs ? ['sync_catalogs'] : []),
    ],
    channels: adapter.channels,
    publisherDomains: [],
    pricingModels: ['cpm'],
    authTypes: ['oauth'],
    specialisms: social ? ['sales-social'] : [],
    // AdCP: its presence says the source takes audience_include / audience_exclude too.
    ...(targeting && {
      audienceTargeting: {
        supported_identifier_types: targeting.identifierTypes,
        ...(targeting.uidTypes.length > 0 && { supported_uid_types: targeting.uidTypes }),
        minimum_audience_size: targeting.minimumSize,
      },
    }),
  };
}
