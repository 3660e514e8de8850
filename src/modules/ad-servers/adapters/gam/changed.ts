import type { ChangedListing, InventoryKind } from '../port.js';
import { dateTimeOf, readers, syncedOf } from './objects.js';
import type { SoapCall } from './soap.js';
import { child, list, typed } from '../shared/xml.js';

/*
 * Ad Manager's listing by modification time: `getAdUnitsByStatement`,
 * `getPlacementsByStatement` and `getCompaniesByStatement` take `lastModifiedDateTime` in their
 * PQL filter (developers.google.com/ad-manager/api/reference, each method's table of filterable
 * properties), bound as a DateTimeValue in the statement's `values`. Custom targeting keys and
 * values have no such property and are read whole. No status filter: an ad unit or placement
 * archived or deactivated since comes back with that status, so the sync marks it.
 */

const changedKinds = ['advertiser', 'placement', 'ad_unit'] as const satisfies InventoryKind[];

/** The statement's filter for changed objects of a kind (the full read's, less its status filter). */
const changedWhere: Record<(typeof changedKinds)[number], string | null> = {
  advertiser: readers.advertiser.where,
  placement: null,
  ad_unit: null,
};

export function gamChangedListing(call: SoapCall, pageSize: number): ChangedListing {
  return {
    kinds: changedKinds,
    async page(kind, since, after) {
      if (!(changedKinds as readonly InventoryKind[]).includes(kind)) {
        throw new Error(`Ad Manager cannot list ${kind} by modification time`);
      }
      const reader = readers[kind];
      const where = [
        'lastModifiedDateTime >= :since',
        changedWhere[kind as (typeof changedKinds)[number]],
        after ? `id > ${Number(after)}` : null,
      ]
        .filter(Boolean)
        .join(' AND ');
      const rval = child(
        await call(reader.service, reader.method, {
          filterStatement: {
            query: `WHERE ${where} ORDER BY id ASC LIMIT ${pageSize}`,
            values: [{ key: 'since', value: typed('DateTimeValue', { value: dateTimeOf(since) }) }],
          },
        }),
        'rval',
      );
      const items = list(rval, 'results').map((node) => syncedOf(kind, node));
      return {
        items,
        after: items.length === pageSize ? items[items.length - 1]!.externalId : null,
      };
    },
  };
}
