import type { Db } from '../../platform/db/database.js';
import { isRecord } from '../../platform/is-record.js';
import { fetchJsonObject, type OutboundFetch } from '../../platform/outbound/index.js';
import type { LinkedBrand } from './schemas.js';
import { type BrandCacheRow, brandCacheRows, saveBrandCache } from './store.js';

/**
 * Brand resolution: the advertiser's brand domain → its /.well-known/brand.json (AdCP brand.json:
 * a single brand, a house with `brands`, or an `authoritative_location` pointer), fetched through
 * the guarded outbound client and cached per (customer, domain). Never throws: an unreachable or
 * malformed file becomes a `brandWarning` and the advertiser reads on without linkedBrand.
 */
export interface BrandResolution {
  brand?: LinkedBrand;
  warning?: string;
}

const resolvedTtlMs = 60 * 60_000;
const failedTtlMs = 5 * 60_000;
const fetchTimeoutMs = 4000;
/** At most this many brand.json fetches run at once for one list request… */
const concurrency = 8;
/** …and none starts after this much of the request has gone (the rest wait for the next). */
const requestBudgetMs = 5000;

/** `acme.com`, `https://www.acme.com/about` or `http://127.0.0.1:8080` → where brand.json lives. */
export function brandLocation(brand: string): { domain: string; url: string } | undefined {
  const text = brand.trim();
  try {
    const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
    if (url.username || url.password || !url.hostname.includes('.')) return undefined;
    return { domain: url.host.toLowerCase(), url: `${url.origin}/.well-known/brand.json` };
  } catch {
    return undefined;
  }
}

export function createBrandResolver(deps: { db: Db; fetch: OutboundFetch; now: () => Date }) {
  async function fetchBrand(domain: string, url: string, timeoutMs: number) {
    try {
      let json = await fetchJsonObject(deps.fetch, url, { timeoutMs, followRedirects: true });
      // brand.json may delegate to the authoritative file elsewhere; follow it once.
      const pointer = (json as { authoritative_location?: unknown }).authoritative_location;
      if (typeof pointer === 'string' && /^https:\/\//i.test(pointer)) {
        json = await fetchJsonObject(deps.fetch, pointer, { timeoutMs, followRedirects: true });
      }
      const brand = brandOf(json, domain);
      return (
        brand ? { brand } : { warning: `${url} has no brand with a name` }
      ) as BrandResolution;
    } catch (error) {
      return {
        warning: `Brand manifest not available at ${url}: ${(error as Error).message}`,
      } as BrandResolution;
    }
  }

  return {
    /** Resolutions for the customer's brands, from the cache or fetched (misses concurrently). */
    async resolveMany(customerId: number, brands: string[]): Promise<Map<string, BrandResolution>> {
      const located = new Map<string, { domain: string; url: string }>();
      const out = new Map<string, BrandResolution>();
      for (const b of new Set(brands)) {
        const where = brandLocation(b);
        if (where) located.set(b, where);
        else out.set(b, { warning: `"${b}" is not a brand domain or URL` });
      }
      const domains = [...new Set([...located.values()].map((l) => l.domain))];
      const cached = new Map(
        (await brandCacheRows(deps.db, customerId, domains)).map((r) => [r.domain, r]),
      );
      const now = deps.now();
      const fresh = new Map<string, BrandResolution>();
      const misses = [...new Map([...located.values()].map((l) => [l.domain, l])).values()].filter(
        (l) => {
          const row = cached.get(l.domain);
          if (!row) return true;
          const ttl = row.brand ? resolvedTtlMs : failedTtlMs;
          if (now.getTime() - row.fetchedAt.getTime() > ttl) return true;
          fresh.set(l.domain, fromRow(row));
          return false;
        },
      );
      const saved: BrandCacheRow[] = [];
      const deadline = Date.now() + requestBudgetMs;
      const queue = [...misses];
      const worker = async () => {
        for (let l = queue.shift(); l; l = queue.shift()) {
          const left = deadline - Date.now();
          if (left < 250) return;
          const r = await fetchBrand(l.domain, l.url, Math.min(fetchTimeoutMs, left));
          fresh.set(l.domain, r);
          saved.push({
            customerId,
            domain: l.domain,
            brand: r.brand ?? null,
            warning: r.warning ?? null,
            fetchedAt: now,
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, misses.length) }, worker));
      // Out of budget: a stale copy if there is one, else a warning; the next request tries.
      for (const l of misses) {
        if (fresh.has(l.domain)) continue;
        const stale = cached.get(l.domain);
        fresh.set(
          l.domain,
          stale ? fromRow(stale) : { warning: 'Brand not resolved yet; ask again shortly' },
        );
      }
      await saveBrandCache(deps.db, saved);
      for (const [b, l] of located) out.set(b, fresh.get(l.domain) ?? {});
      return out;
    },
  };
}

function fromRow(row: BrandCacheRow): BrandResolution {
  return row.brand ? { brand: row.brand } : { warning: row.warning ?? 'Brand not resolved' };
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= 2000 ? v : undefined;

/** The brand in a brand.json for `domain`: itself, or the house's brand for that domain. */
export function brandOf(json: unknown, domain: string): LinkedBrand | undefined {
  if (!isRecord(json)) return undefined;
  let brand: Obj = json;
  if (Array.isArray(json.brands)) {
    const brands = json.brands.filter(isRecord);
    const host = domain.replace(/^www\./, '').replace(/:\d+$/, '');
    const matches = (b: Obj) =>
      [b.url, b.domain, ...(Array.isArray(b.properties) ? b.properties : [])].some((v) => {
        const text = isRecord(v) ? str(v.identifier) : str(v);
        return (
          !!text &&
          text
            .toLowerCase()
            .replace(/^https?:\/\//, '')
            .replace(/^www\./, '')
            .startsWith(host)
        );
      });
    brand = brands.find(matches) ?? brands[0] ?? json;
  }
  const name = str(brand.name) ?? (isRecord(brand.names) ? undefined : undefined);
  if (!name) return undefined;
  const logos = Array.isArray(brand.logos) ? brand.logos.filter(isRecord) : [];
  const primaryLogo =
    logos.find((l) => Array.isArray(l.tags) && l.tags.includes('primary')) ?? logos[0];
  const colors = isRecord(brand.colors)
    ? Object.fromEntries(
        Object.entries(brand.colors).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : undefined;
  const tone = str(brand.tone) ?? (isRecord(brand.tone) ? str(brand.tone.voice) : undefined);
  const industry = str(brand.industry);
  const tagline = str(brand.tagline);
  const logoUrl = primaryLogo ? str(primaryLogo.url) : undefined;
  return {
    id: str(brand.id) ?? `brand_${domain}`,
    name,
    domain,
    manifest: brand,
    ...(logoUrl && { logoUrl }),
    ...(industry && { industry }),
    ...(colors && Object.keys(colors).length > 0 && { colors }),
    ...(tagline && { tagline }),
    ...(tone && { tone }),
  };
}
