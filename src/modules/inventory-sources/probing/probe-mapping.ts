import type { ProbeResult, ProbeSuccess } from '../../../upstream/index.js';
import type { CachedCapabilities, ProbeErrorRecord } from '../schemas.js';

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
    brandJsonUrl: result.brandJsonUrl,
    sandbox: result.accountSandbox,
    ...(result.audienceTargeting && { audienceTargeting: result.audienceTargeting }),
    ...(result.conversionTracking && { conversionTracking: result.conversionTracking }),
    ...(result.frequencyCapping && { frequencyCapping: result.frequencyCapping }),
  };
}

/**
 * What a probe's outcome writes on the probed row (a source, or a buyer's remote agent): the
 * capabilities and the success time, or the error; the probe time and latency either way.
 */
export function probeOutcome(
  result: ProbeResult,
  at: Date,
): {
  lastProbeAt: Date;
  lastLatencyMs: number;
  capabilities?: CachedCapabilities;
  lastSuccessAt?: Date;
  lastError?: ProbeErrorRecord;
} {
  const latency = { lastProbeAt: at, lastLatencyMs: Math.round(result.latencyMs) };
  return result.ok
    ? { ...latency, capabilities: capabilitiesOf(result), lastSuccessAt: at }
    : {
        ...latency,
        lastError: { code: result.error.code, message: result.error.message, at: at.toISOString() },
      };
}
