import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { speaks31 } from '../../../adcp31/index.js';
import { type PolicyGate, productOfPackage } from '../../creatives/provenance/package.js';
import type { MerchandisingDeps } from '../../deps.js';
import { refuseUnfitChosenCreatives } from '../create/package-terms.js';
import {
  inlineUpdate,
  keepInlineCreatives,
  type LibrarySync,
  refuseInlineUnsupported,
  refuseUnfitInline,
  sendsInlineCreatives,
} from '../inline-creatives.js';
import { submittedPackageOf } from '../submitted-package.js';

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/**
 * An update's packages with the creatives they send inline taken in: the package's source must
 * take them on updates; checked, kept in the buyer's library under the buy's account, and
 * assigned, a 3.1 caller's replacing the package's inline creatives. `sent` is `packages` itself
 * when none sends any; `inline` the creatives each such package now carries inline.
 */
export async function withInlineAssigned(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  packages: PackageUpdate[],
  key: string,
  gate: PolicyGate | undefined,
  library: LibrarySync | undefined,
): Promise<{ sent: PackageUpdate[]; inline: Record<string, string[]> }> {
  if (!sendsInlineCreatives(packages)) return { sent: packages, inline: {} };
  // Only a buyer's own update_media_buy sends creatives inline, with its policy and library.
  if (!library || !gate) throw new Error('inline creatives reached an update without the library');
  const { routable } = await deps.sources.of(row.storefrontId, row.buyerCustomerId);
  refuseInlineUnsupported(packages, routable);
  const productOf = (pkg: { package_id?: string }) =>
    pkg.package_id === undefined ? undefined : productOfPackage(row, pkg.package_id);
  await refuseUnfitInline(deps, packages, productOf, gate);
  const reference = row.submittedPayload.account;
  // A 3.1 package's canonical creatives fit the format options it chose on create.
  if (speaks31()) {
    const sentOf = (pkg: { package_id?: string }) =>
      pkg.package_id === undefined ? undefined : submittedPackageOf(row, pkg.package_id, true);
    const owner = { storefrontId: row.storefrontId, buyerCustomerId: row.buyerCustomerId };
    await refuseUnfitChosenCreatives(deps, packages, sentOf, routable, owner, reference);
  }
  await keepInlineCreatives(
    deps,
    library,
    packages,
    { accountId: row.accountId, ...(reference && { reference }), sandbox: gate.sandbox },
    `inline-${key}`,
  );
  const { packages: sent, inline } = inlineUpdate(row, packages, speaks31());
  return { sent, inline };
}
