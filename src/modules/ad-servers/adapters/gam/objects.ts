import type { InventoryKind, LinePlan, SyncedObject } from '../port.js';
import { child, list, text, typed, type XmlObject, type XmlValue } from '../shared/xml.js';
import { micros } from '../../../../sources/money.js';

/*
 * Ad Manager objects as Interchange reads and writes them (reference: developers.google.com/
 * ad-manager/api/reference, InventoryService.AdUnit, PlacementService.Placement,
 * CustomTargetingService, CompanyService.Company, LineItemService.LineItem). Fields are written
 * in the order of the WSDL's sequences.
 */

/** Where each kind is read: service, method, and the statement's filter. */
export const readers: Record<InventoryKind, { service: string; method: string; where: string }> = {
  advertiser: {
    service: 'CompanyService',
    method: 'getCompaniesByStatement',
    where: "type = 'ADVERTISER'",
  },
  targeting_key: {
    service: 'CustomTargetingService',
    method: 'getCustomTargetingKeysByStatement',
    where: "status = 'ACTIVE'",
  },
  targeting_value: {
    service: 'CustomTargetingService',
    method: 'getCustomTargetingValuesByStatement',
    where: "status = 'ACTIVE'",
  },
  placement: {
    service: 'PlacementService',
    method: 'getPlacementsByStatement',
    where: "status = 'ACTIVE'",
  },
  ad_unit: {
    service: 'InventoryService',
    method: 'getAdUnitsByStatement',
    where: "status = 'ACTIVE'",
  },
};

const str = (node: XmlObject, name: string) => text(node, name) ?? '';

/** A parsed result of `kind` as a synced object. */
export function syncedOf(kind: InventoryKind, node: XmlObject): SyncedObject {
  const id = str(node, 'id');
  switch (kind) {
    case 'ad_unit':
      return {
        kind,
        externalId: id,
        parentId: text(node, 'parentId') ?? null,
        name: str(node, 'name'),
        status: str(node, 'status'),
        data: {
          adUnitCode: text(node, 'adUnitCode') ?? null,
          sizes: list(node, 'adUnitSizes').map((s) => ({
            width: Number(text(child(s, 'size'), 'width')),
            height: Number(text(child(s, 'size'), 'height')),
          })),
        },
      };
    case 'placement':
      return {
        kind,
        externalId: id,
        parentId: null,
        name: str(node, 'name'),
        status: str(node, 'status'),
        data: {
          description: text(node, 'description') ?? null,
          adUnitIds: list(node, 'targetedAdUnitIds').map(String),
        },
      };
    case 'targeting_key':
      return {
        kind,
        externalId: id,
        parentId: null,
        name: str(node, 'name'),
        status: str(node, 'status'),
        data: { displayName: text(node, 'displayName') ?? null, type: text(node, 'type') ?? null },
      };
    case 'targeting_value':
      return {
        kind,
        externalId: id,
        parentId: text(node, 'customTargetingKeyId') ?? null,
        name: str(node, 'name'),
        status: str(node, 'status'),
        data: { displayName: text(node, 'displayName') ?? null },
      };
    case 'advertiser':
      return {
        kind,
        externalId: id,
        parentId: null,
        name: str(node, 'name'),
        status: 'ACTIVE',
        data: {},
      };
  }
}

/** A date-time of the API (DateTime: date, hour, minute, second, timeZoneId). */
export function dateTimeOf(at: Date): XmlValue {
  return {
    date: { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() },
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
    second: at.getUTCSeconds(),
    timeZoneId: 'Etc/UTC',
  };
}

/**
 * A line item of a package: CPM, evenly paced, lifetime impressions goal; standard (guaranteed,
 * priority 8), or price priority (priority 12) for a non-guaranteed one, which reserves nothing
 * and competes on its CPM in the network's auction.
 */
export function lineItemOf(orderId: string, line: LinePlan, currency: string): XmlValue {
  const customTargeting = line.keyValues.length
    ? typed('CustomCriteriaSet', {
        logicalOperator: 'OR',
        children: [
          typed('CustomCriteriaSet', {
            logicalOperator: 'AND',
            children: line.keyValues.map((kv) =>
              typed('CustomCriteria', { keyId: kv.keyId, valueIds: kv.valueIds, operator: 'IS' }),
            ),
          }),
        ],
      })
    : undefined;
  return {
    orderId,
    name: line.name,
    startDateTime: dateTimeOf(line.start),
    startDateTimeType: 'USE_START_DATE_TIME',
    endDateTime: dateTimeOf(line.end),
    creativeRotationType: 'EVEN',
    deliveryRateType: 'EVENLY',
    frequencyCaps: line.frequencyCap
      ? {
          maxImpressions: line.frequencyCap.maxImpressions,
          numTimeUnits: line.frequencyCap.numTimeUnits,
          timeUnit: line.frequencyCap.timeUnit,
        }
      : undefined,
    lineItemType: line.nonGuaranteed ? 'PRICE_PRIORITY' : 'STANDARD',
    priority: line.nonGuaranteed ? 12 : 8,
    costPerUnit: { currencyCode: currency, microAmount: micros(line.cpm) },
    costType: 'CPM',
    creativePlaceholders: line.sizes.map((s) => ({
      size: { width: s.width, height: s.height, isAspectRatio: false },
    })),
    primaryGoal: { goalType: 'LIFETIME', unitType: 'IMPRESSIONS', units: line.impressions },
    targeting: {
      inventoryTargeting: {
        targetedAdUnits: line.adUnitIds.map((adUnitId) => ({ adUnitId, includeDescendants: true })),
        targetedPlacementIds: line.placementIds,
      },
      customTargeting,
    },
  };
}
