import { isIP } from 'node:net';
import { invalid } from '../errors.js';
import { isForbiddenAddress } from './address-policy.js';
import { OutboundBlockedError } from './errors.js';
import { assertAllowedUrl, hostKey, type OutboundLookup, systemLookup } from './guard.js';

/**
 * Registration-time check of an endpoint a user gives us: refuses non-http(s) schemes, forbidden
 * names and literal addresses, and hostnames that resolve to a forbidden address now. A name that
 * does not resolve is not refused but answered 'unresolved': the caller must not trust it (hold
 * it pending, or rely on the connector, which re-checks on every connection).
 */
export async function assertEndpointAllowed(
  url: string,
  options: {
    allowPrivateNetwork: boolean;
    lookup?: OutboundLookup;
    trustedHosts?: ReadonlySet<string>;
  },
): Promise<'resolved' | 'unresolved'> {
  const parsed = new URL(url);
  const trusted = !!options.trustedHosts?.has(hostKey(parsed));
  const allowPrivate = options.allowPrivateNetwork || trusted;
  assertAllowedUrl(parsed, allowPrivate);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (trusted || isIP(host) !== 0) return 'resolved';
  let addresses: readonly { address: string }[];
  try {
    addresses = await (options.lookup ?? systemLookup)(host);
  } catch {
    return 'unresolved';
  }
  if (addresses.length === 0) return 'unresolved';
  if (!allowPrivate && addresses.some((a) => isForbiddenAddress(a.address))) {
    throw new OutboundBlockedError(
      'forbidden_address',
      `Refused: ${host} resolves to a private, loopback, link-local or metadata address`,
    );
  }
  return 'resolved';
}

/**
 * assertEndpointAllowed for a URL a user gave in the input field `field`: a refusal becomes an
 * `invalid` error naming that field and the setting that lets an operator reach private networks.
 */
export async function assertEndpointInputAllowed(
  url: string,
  field: string,
  options: { allowPrivateNetwork: boolean; trustedHosts?: ReadonlySet<string> },
): Promise<void> {
  try {
    await assertEndpointAllowed(url, options);
  } catch (error) {
    if (!(error instanceof OutboundBlockedError)) throw error;
    throw invalid(
      `${error.message}. Private, loopback and metadata addresses are refused unless the operator sets INTERCHANGE_ALLOW_PRIVATE_NETWORK=1`,
      field,
    );
  }
}
