import type { OutboundFetch } from '../../platform/outbound/index.js';

/**
 * Serves a storefront's logo from our own origin, so the join page makes no third-party
 * requests (and leaks no visitor IPs to the seller's CDN). Fetched through the SSRF-guarded
 * client, raster images only (an SVG could carry script), size-capped, cached briefly.
 */
const allowedTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const ttlMs = 10 * 60_000;
const maxEntries = 200;

export interface Logo {
  type: string;
  body: Buffer;
}

export function createLogoProxy(fetch: OutboundFetch) {
  const cache = new Map<string, { logo: Logo | null; expiresAt: number }>();

  return async function logoFor(url: string): Promise<Logo | null> {
    const hit = cache.get(url);
    if (hit && hit.expiresAt > Date.now()) return hit.logo;
    let logo: Logo | null = null;
    try {
      const response = await fetch(url, { timeoutMs: 5000, headers: { accept: 'image/*' } });
      const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (response.ok && allowedTypes.has(type)) {
        logo = { type, body: Buffer.from(await response.arrayBuffer()) };
      } else {
        await response.body?.cancel();
      }
    } catch {
      logo = null;
    }
    if (cache.size >= maxEntries) cache.clear();
    cache.set(url, { logo, expiresAt: Date.now() + ttlMs });
    return logo;
  };
}
