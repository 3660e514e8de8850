import { createAudioProductionJobs } from '../jobs/index.js';
import type { AdvertisersService } from '../modules/advertisers/index.js';
import type { AssetService } from '../modules/creatives/index.js';
import {
  audioStackApi,
  createCredentialsService,
  createProductionsService,
} from '../modules/creative-generation/index.js';
import { createOutboundClient } from '../platform/outbound/index.js';
import { providerConfigOf } from '../provider-config.js';
import type { Base } from './base.js';

/**
 * Creatives produced with the buyer's own AudioStack key, as durable jobs, into its assets: the
 * buyer's model credentials, the productions and the client that reads their finished files.
 */
export function createCreativeGeneration(
  base: Base,
  advertisers: AdvertisersService,
  assets: AssetService,
) {
  const { db, config, secrets, outbound, jobs } = base;
  const audiostackConfig = (config.providers ?? providerConfigOf({})).audiostack;
  const audiostack = audioStackApi(outbound.fetch, { baseUrl: audiostackConfig.apiUrl });
  const modelCredentials = createCredentialsService({ db, secrets, advertisers, audiostack });
  // The finished files are read with the asset size cap (the shared client caps at 5 MiB).
  const generatedFiles = createOutboundClient({
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: base.trustedHosts,
    maxResponseBytes: config.assetMaxBytes,
    responseTimeoutMs: 120_000,
  });
  const audioProductions = createProductionsService({
    db,
    advertisers,
    credentials: modelCredentials,
    audiostack,
    assets,
    fileFetch: generatedFiles.fetch,
    maxBytes: config.assetMaxBytes,
    pollIntervalMs: audiostackConfig.pollIntervalMs,
  });
  createAudioProductionJobs(audioProductions, jobs, {
    retryDelaySeconds: audiostackConfig.retryDelaySeconds,
  });
  return { modelCredentials, audioProductions, generatedFiles };
}
