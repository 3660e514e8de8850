import { isRecord } from '../../../platform/is-record.js';
import type { Product } from '../types.js';
import { provenancePolicyOf, type ProvenancePolicy } from './provenance.js';

/*
 * Which products' creative policy a creative meets (core/creative-policy.json is "creative
 * requirements and restrictions for a product"): those it can serve on, never every product the
 * buyer sees. A creative synced to the library is not on any package yet, so it can serve on
 * the products that take its format, and it meets the strictest of their policies
 * (provenancePolicyOf) before it is kept: a creative for a source's format is not held to a
 * policy of a sandbox product that does not carry that format.
 *
 * AdCP names a format by `agent_url` and `id`. The sandbox's own formats are under a reserved
 * name (seeded-fixtures.ts, RFC 6761 `.invalid`), and the spec's storyboards name "your
 * platform's" formats under reserved names too (`https://your-platform.example.com`): a format
 * whose agent is a reserved name, which no real agent can have, is taken as the sandbox's own
 * and matched by id; any other is matched exactly.
 */

type FormatRef = { agent_url?: unknown; id?: unknown };

/** The strictest policy of the products creative `creative` can serve on; none asks: undefined. */
export function policyFor(
  creative: Record<string, unknown>,
  products: Product[],
): ProvenancePolicy | undefined {
  const format = creative['format_id'];
  if (!isRecord(format)) return undefined;
  return provenancePolicyOf(products.filter((product) => takes(product, format)));
}

function takes(product: Product, format: FormatRef): boolean {
  const asked = agentOf(format.agent_url);
  return (product.format_ids ?? []).some((offered) => {
    if (offered.id !== format.id) return false;
    const own = agentOf(offered.agent_url);
    return own === asked || (isReservedName(asked) && isReservedName(own));
  });
}

/** An agent URL as formats compare (origin and path, no trailing slash); not a URL: ''. */
function agentOf(value: unknown): string {
  if (typeof value !== 'string' || !URL.canParse(value)) return '';
  const url = new URL(value);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Whether `url`'s host is a name reserved for documentation and testing (RFC 2606 and 6761:
 * `.example`, `.invalid`, `.test`, `.localhost`, example.com/.net/.org), which resolves nowhere.
 */
export function isReservedName(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  const tld = host.split('.').at(-1) ?? '';
  if (['example', 'invalid', 'test', 'localhost'].includes(tld)) return true;
  return /(^|\.)example\.(com|net|org)$/.test(host);
}
