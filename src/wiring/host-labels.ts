import type { Config } from '../config.js';
import { defaultEndpoints } from '../modules/ad-servers/index.js';

/**
 * The outbound metrics' names for the hosts this instance's operator configured: each wired
 * provider's API, token and consent hosts by the provider's name (`meta`, `tiktok`, …) and the
 * ad servers' by theirs (`google-ad-manager`, `springserve`, `freewheel`). A host named twice
 * keeps its first name. Every other host (an agent, a seller's ad-server base, a buyer's
 * webhook) is counted as `other` by the outbound client.
 */
export function outboundHostLabels(config: Partial<Pick<Config, 'providers' | 'adServers'>>) {
  const labels = new Map<string, string>();
  const name = (label: string, ...urls: Array<string | undefined>) => {
    for (const url of urls) {
      if (url === undefined) continue;
      const host = new URL(url).host;
      if (!labels.has(host)) labels.set(host, label);
    }
  };
  const providers = config.providers;
  if (providers) {
    // `sandboxed` names providers, it holds no URL.
    const { google, amazon, snap, audiostack, sandboxed: _sandboxed, ...apps } = providers;
    name('google', google.apiUrl, google.tokenUrl, google.revokeUrl, google.authorizeUrl);
    name('amazon', amazon.apiUrl, amazon.tokenUrl, amazon.authorizeUrl);
    name('snap', snap.apiUrl, snap.conversionsUrl, snap.authorizeUrl);
    name('audiostack', audiostack.apiUrl);
    for (const [provider, app] of Object.entries(apps))
      name(provider, app.apiUrl, app.authorizeUrl);
  }
  const adServers = config.adServers;
  name('google-ad-manager', adServers?.gamSoapUrl ?? defaultEndpoints.gam.soapUrl);
  name('google', adServers?.gamTokenUrl ?? defaultEndpoints.gam.tokenUrl);
  name('springserve', adServers?.springServeUrl ?? defaultEndpoints.springserve.baseUrl);
  name(
    'freewheel',
    adServers?.freeWheelUrl ?? defaultEndpoints.freewheel.productionUrl,
    adServers?.freeWheelStagingUrl ?? defaultEndpoints.freewheel.stagingUrl,
  );
  return labels;
}
