import { releasePattern } from './schemas/envelope.js';

/**
 * The AdCP releases a storefront agent speaks, lowest first, as `adcp.supported_versions`
 * advertises them (release precision, VERSION.RELEASE). 3.0 is what @adcp/sdk 6.11.0 serves; 3.1
 * is this folder's layer over it.
 */
export const supportedReleases = ['3.0', '3.1'] as const;
export type Release = (typeof supportedReleases)[number];

/**
 * Whether `release` is `floor` or a later supported release: a rule 3.1 brought holds for every
 * release after it too (a 3.2 caller keeps 3.1's envelope), unless a later release says otherwise
 * (adcp31/tool-table.ts names where).
 */
export const isAtLeast = (release: Release, floor: Release): boolean =>
  supportedReleases.indexOf(release) >= supportedReleases.indexOf(floor);

/** The only AdCP major spoken (3.x); `adcp.major_versions` stays [3]. */
export const supportedMajor = 3;

/** What a request asked for and what it is served. */
export type Negotiated =
  | {
      kind: 'served';
      /** The release the answer follows. */
      release: Release;
      /** The buyer named `adcp_version`: the served release is echoed on its answer. */
      pinned: boolean;
    }
  | {
      kind: 'unsupported';
      /** The buyer's own words, for the error's message and details. */
      claimed: string;
      /** The `adcp_version` asked for, when that is what was refused. */
      adcpVersion?: string;
    }
  | { kind: 'malformed'; field: 'adcp_version' | 'adcp_major_version'; message: string };

const unpinned: Negotiated = { kind: 'served', release: '3.0', pinned: false };

/**
 * The release a request is served in (AdCP 3.1 versioning): no `adcp_version` is a 3.0 request,
 * answered exactly as before 3.1 (its `adcp_major_version`, if any, is @adcp/sdk's to judge);
 * `adcp_version` is the buyer's pin, downshifted to the highest supported release at or below it
 * within major 3 (semver order: "3.1-beta.5" is below "3.1", so it is served 3.0); another major,
 * or an `adcp_major_version` that disagrees with the pin, is unsupported.
 */
export function negotiate(args: Record<string, unknown>): Negotiated {
  const pin = args['adcp_version'];
  if (pin === undefined) return unpinned;
  if (typeof pin !== 'string' || !releasePattern.test(pin)) {
    return {
      kind: 'malformed',
      field: 'adcp_version',
      message: 'adcp_version must be a release-precision string such as "3.1"',
    };
  }
  const parsed = parseRelease(pin);
  const major = args['adcp_major_version'];
  if (major !== undefined && major !== parsed.major) {
    if (typeof major !== 'number' || !Number.isInteger(major)) {
      return {
        kind: 'malformed',
        field: 'adcp_major_version',
        message: 'adcp_major_version must be an integer',
      };
    }
    return {
      kind: 'unsupported',
      claimed: `adcp_version="${pin}" with adcp_major_version=${major}`,
      adcpVersion: pin,
    };
  }
  if (parsed.major !== supportedMajor) {
    return { kind: 'unsupported', claimed: `adcp_version="${pin}"`, adcpVersion: pin };
  }
  const release = [...supportedReleases]
    .reverse()
    .find((candidate) => isAtOrBelow(parseRelease(candidate), parsed));
  // Every 3.x pin is at or above 3.0 except a 3.0 prerelease, which no seller of 3.0 refuses.
  return { kind: 'served', release: release ?? '3.0', pinned: true };
}

interface ParsedRelease {
  major: number;
  minor: number;
  prerelease: boolean;
}

function parseRelease(value: string): ParsedRelease {
  const dash = value.indexOf('-');
  const core = dash < 0 ? value : value.slice(0, dash);
  const [major = '0', minor = '0'] = core.split('.');
  return { major: Number(major), minor: Number(minor), prerelease: dash >= 0 };
}

/**
 * Whether a supported release (never a prerelease) is at or below the pin in semver order, where
 * a prerelease sorts before its release.
 */
function isAtOrBelow(release: ParsedRelease, pin: ParsedRelease): boolean {
  if (release.major !== pin.major) return release.major < pin.major;
  if (release.minor !== pin.minor) return release.minor < pin.minor;
  return !pin.prerelease;
}
