import { isRecord } from '../../../../platform/is-record.js';
import type { Product } from '../../types.js';
import { provenancePolicyOf, type ProvenancePolicy } from './policy.js';

/*
 * Which product's creative policy a creative meets (core/creative-policy.json is "creative
 * requirements and restrictions for a product"): the one it is for, never every product the
 * buyer sees. A creative synced to the library is on no package yet; it is taken to be for the
 * buyer's newest storefront-sold (sandbox) product that takes its format, the fixture its
 * sandbox seeded last (sandbox.products lists newest first), and meets that product's policy
 * before it is kept. So a creative for a source's format meets none, and one made for the product
 * a storyboard just seeded meets that product's, not a policy another storyboard seeded earlier
 * on the same buyer's sandbox (the strictest over every product taking the format refused
 * media_buy_state_machine's setup creative, made for another seeded product).
 *
 * AdCP names a format by `agent_url` and `id`. The sandbox's own formats are under a reserved
 * name (seeded-fixtures.ts, RFC 6761 `.invalid`), and the spec's storyboards name "your
 * platform's" formats under reserved names too (`https://your-platform.example.com`): a format
 * whose agent is a reserved name, which no real agent can have, is taken as the sandbox's own
 * and matched by id; any other is matched exactly.
 */

type FormatRef = { agent_url?: unknown; id?: unknown };

/** The policy of the product `creative` is for (newest first); none asks: undefined. */
export function policyFor(
  creative: Record<string, unknown>,
  products: Product[],
): ProvenancePolicy | undefined {
  const format = creative['format_id'];
  if (!isRecord(format)) return undefined;
  const product = products.find((candidate) => takes(candidate, format));
  return product && provenancePolicyOf([product]);
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
