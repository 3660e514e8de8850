import { createHash } from 'node:crypto';
import { slugify } from '../../platform/slug.js';

/**
 * The stable id of the agent behind a source: the same endpoint and protocol give the same id
 * across sources and storefronts, which is what buyers register OAuth and credentials against.
 */
export function agentIdFor(endpointUrl: string, protocol: string): string {
  const url = new URL(endpointUrl);
  url.hash = '';
  const normalized = `${protocol}:${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  return `agt_${createHash('sha256').update(normalized).digest('hex').slice(0, 20)}`;
}

/** A sourceId slug from a name: `Premium CTV Agent` → `premium-ctv-agent`. */
export function sourceIdFromName(name: string): string {
  return slugify(name, 255) || 'source';
}
