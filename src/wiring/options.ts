import type { AdcpLogger } from '@adcp/sdk/server';
import type { Config } from '../config.js';
import type { SecretBox } from '../platform/crypto/secrets.js';
import type { Database } from '../platform/db/database.js';

export interface ServiceOptions {
  config: Pick<
    Config,
    | 'allowPrivateNetwork'
    | 'probeTimeoutMs'
    | 'publicUrl'
    | 'sourceBudgetMs'
    | 'sourceAnswerTtlMs'
    | 'jobs'
    | 'discoveryAgentBudgetMs'
    | 'discoveryTotalBudgetMs'
    | 'executeAgentBudgetMs'
    | 'reporting'
    | 'dataDir'
    | 'assetStorage'
    | 'assetMaxBytes'
    | 'assetUrlTtlSeconds'
    | 'formatsRefreshSeconds'
    | 'statusSyncMinSeconds'
    | 'statusSyncMaxSeconds'
    | 'writes'
    | 'trust'
    | 'uploads'
  > &
    Partial<
      Pick<
        Config,
        | 'oauthRedirectOrigins'
        | 'briefLlm'
        | 'adServers'
        | 'providers'
        | 'optimizationIntervalSeconds'
        | 'capabilityCacheSeconds'
        | 'feedMaxCpm'
        | 'retention'
        | 'notifications'
      >
    >;
  database: Database;
  secrets: SecretBox;
  onError?: (error: unknown, context: string) => void;
  /** Where the storefront agents (@adcp/sdk) log; silent when absent. */
  adcpLogger?: AdcpLogger;
}
