import type { ProbeSuccess } from '../../upstream/index.js';
import type { CachedCapabilities } from './schemas.js';

/** What of a successful probe is cached on the source (and shown in readiness diagnostics). */
export function capabilitiesOf(result: ProbeSuccess): CachedCapabilities {
  return {
    syntheticManifest: result.manifest === 'synthetic',
    adcpVersion: result.adcpVersion,
    agentName: result.agentName,
    tools: result.tools,
    ...result.capabilities,
    channels: result.channels,
    countries: result.countries,
    publisherDomains: result.publisherDomains,
    pricingModels: result.pricingModels,
    billing: result.billing,
    authTypes: result.authTypes,
    specialisms: result.specialisms,
    creativeHasCreativeLibrary: result.creativeHasCreativeLibrary,
  };
}
