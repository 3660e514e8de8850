import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { isForbiddenAddress, isForbiddenHostname } from './address-policy.js';
import { OutboundBlockedError } from './errors.js';

/** Resolves a hostname to every address it may connect to (dns.lookup with `all: true`). */
export type OutboundLookup = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemLookup: OutboundLookup = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Throws OutboundBlockedError unless the URL's scheme is http(s) and its host is not a
 * forbidden name or literal address. Hostnames are judged later, on their resolved addresses.
 */
export function assertAllowedUrl(url: URL, allowPrivateNetwork: boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundBlockedError(
      'forbidden_scheme',
      `Refused outbound request: scheme ${url.protocol} is not allowed`,
    );
  }
  const refusal = refuseHost(url.hostname, allowPrivateNetwork);
  if (refusal) throw refusal;
}

interface ConnectorOptions {
  allowPrivateNetwork: boolean;
  /** `host:port` pairs connected to without the address policy (this deployment itself). */
  trustedHosts: ReadonlySet<string>;
  connectTimeoutMs: number;
  lookup: OutboundLookup;
}

/**
 * An undici connector that enforces the address policy on every new connection, so redirects,
 * retries and libraries using the dispatcher directly are all covered, and the addresses checked
 * are exactly the ones the socket uses (no DNS-rebinding window).
 */
export function createGuardedConnector(options: ConnectorOptions): buildConnector.connector {
  const connect = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: guardedLookup(options.lookup, options.allowPrivateNetwork),
  });
  const connectTrusted = buildConnector({ timeout: options.connectTimeoutMs });
  return (connectOptions, callback) => {
    const port = connectOptions.port || (connectOptions.protocol === 'https:' ? '443' : '80');
    if (options.trustedHosts.has(`${connectOptions.hostname}:${port}`)) {
      connectTrusted(connectOptions, callback);
      return;
    }
    // net.connect skips `lookup` for literal IPs, so those are judged here.
    const refusal = refuseHost(connectOptions.hostname, options.allowPrivateNetwork);
    if (refusal) {
      callback(refusal, null);
      return;
    }
    connect(connectOptions, callback);
  };
}

function refuseHost(hostname: string, allowPrivateNetwork: boolean): OutboundBlockedError | null {
  if (allowPrivateNetwork) return null;
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isForbiddenHostname(host)) {
    return new OutboundBlockedError('forbidden_host', `Refused to connect to ${host}`);
  }
  if (isIP(host) !== 0 && isForbiddenAddress(host)) {
    return new OutboundBlockedError(
      'forbidden_address',
      `Refused to connect to ${host}: address is not public`,
    );
  }
  return null;
}

function guardedLookup(lookup: OutboundLookup, allowPrivateNetwork: boolean): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveAllowed(lookup, hostname, allowPrivateNetwork, lookupOptions.family).then(
      (addresses) => {
        const first = addresses[0] as LookupAddress;
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
}

async function resolveAllowed(
  lookup: OutboundLookup,
  hostname: string,
  allowPrivateNetwork: boolean,
  family: number | string | undefined,
): Promise<LookupAddress[]> {
  const resolved = await lookup(hostname);
  // Any forbidden answer refuses the host: a resolver mixing public and private records is
  // exactly what a rebinding attack looks like.
  const forbidden = allowPrivateNetwork
    ? undefined
    : resolved.find((entry) => isForbiddenAddress(entry.address));
  if (forbidden) {
    throw new OutboundBlockedError(
      'forbidden_address',
      `Refused to connect to ${hostname}: it resolves to non-public address ${forbidden.address}`,
    );
  }
  const wanted = family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : 0;
  const usable = resolved.filter((entry) => wanted === 0 || entry.family === wanted);
  if (usable.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      hostname,
    });
  }
  return usable;
}

/** The `host:port` key trusted hosts are listed by, with the scheme's default port filled in. */
export function hostKey(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}
