import { AdcpError } from '@adcp/sdk/server';
import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';

/*
 * What update_media_buy refuses of a request before any source is asked, whatever the buy.
 */

/**
 * AdCP 3.1 fixes a package's format choice on create_media_buy: package-update.json forbids the
 * 3.1 selectors (`format_option_refs`, `format_kind`, `params`) on an update. A 3.1 caller's
 * update naming one is refused at it rather than read as a change that did not happen.
 */
export function refuseFormatSelectors(packages: readonly object[]): void {
  for (const [i, pkg] of packages.entries()) {
    const named = ['format_option_refs', 'format_kind', 'params'].find((f) => f in pkg);
    if (!named) continue;
    throw new AdcpError('VALIDATION_ERROR', {
      field: `packages[${i}].${named}`,
      message: `${named} is chosen on create_media_buy and cannot be changed by update_media_buy: book a new package for other formats`,
      recovery: 'correctable',
    });
  }
}

/**
 * Packages added to a live buy are not routed to its sources yet: each would need the buyer's
 * terms, the rate card and the product's source checked as create_media_buy checks them, and
 * its package recorded on the order. Refused before any source is asked, so no source sees the
 * storefront's product ids and the buyer is never told of packages the order does not hold.
 */
export function refuseNewPackages(patch: Pick<UpdateMediaBuyRequest, 'new_packages'>) {
  if (patch.new_packages === undefined) return;
  throw new AdcpError('UNSUPPORTED_FEATURE', {
    message:
      'Adding packages to a media buy is not supported by this storefront yet: buy the products as a new media buy',
    field: 'new_packages',
  });
}

/**
 * The buyer's error for an update every source refused: the first source's code, words and
 * details, and the field it named, a package's index as the buyer sent it (a source is asked
 * only of its own packages, in the buyer's order: `owns` says which are).
 */
export function refusedUpdate(
  error: { code: string; message: string; field?: unknown; details?: Record<string, unknown> },
  packages: ReadonlyArray<{ package_id?: unknown }>,
  owns: (packageId: string) => boolean,
): AdcpError {
  let field = typeof error.field === 'string' ? error.field : undefined;
  const at = field && /^packages\[(\d+)\](.*)$/.exec(field);
  if (at) {
    const own = packages.flatMap((p, i) =>
      typeof p.package_id === 'string' && owns(p.package_id) ? [i] : [],
    );
    const index = own[Number(at[1])];
    field = index === undefined ? undefined : `packages[${index}]${at[2]}`;
  }
  return new AdcpError(error.code, {
    message: error.message,
    ...(field && { field }),
    ...(error.details && { details: error.details }),
  });
}
