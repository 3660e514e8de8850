import ipaddr from 'ipaddr.js';

// Only 2000::/3 is allocated as global unicast; everything else in IPv6 space is special-purpose.
const globalUnicastV6 = ipaddr.parseCIDR('2000::/3');
// NAT64 well-known prefix: the packet really goes to the embedded IPv4 address.
const nat64V6 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * True unless `ip` is a plain public unicast address. Unparseable input counts as forbidden, and
 * IPv6 forms that embed an IPv4 address (mapped, NAT64) are judged by that IPv4 address.
 */
export function isForbiddenAddress(ip: string): boolean {
  const literal = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(literal)) return true;
  const addr = ipaddr.parse(literal);
  if (addr.kind() === 'ipv4') return addr.range() !== 'unicast';

  const v6 = addr as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress() || v6.match(nat64V6)) {
    return isForbiddenAddress(embeddedIPv4(v6));
  }
  return !v6.match(globalUnicastV6) || v6.range() !== 'unicast';
}

/** True for names that always mean "this machine", refused before any DNS lookup. */
export function isForbiddenHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function embeddedIPv4(v6: ipaddr.IPv6): string {
  const bytes = v6.toByteArray().slice(12);
  return bytes.join('.');
}
