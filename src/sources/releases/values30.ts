import { isRecord } from '../../platform/is-record.js';

/*
 * The values AdCP 3.1.19 added to the enums of product fields 3.0.6 already has (issue 49 item
 * 1: enums/*.json of 3.1.19 beside @adcp/sdk's 3.0.6, walked from core/product.json): reporting
 * metrics, conversion event types, identity types, and the country-keyed postal systems. A 3.0
 * caller's copy of a 3.1 product leaves them out; what 3.0.6's schema judges for a 3.1 caller
 * leaves them out too, or stands in a 3.0 value where leaving out would break a rule 3.0.6 checks
 * of the rest (a required field, a minimum count), so the rest is still judged. Channels, pricing
 * models, delivery types and forecastable metrics (open keys in 3.0.6) added nothing to judge.
 */

/** A 3.0 caller's copy, or what 3.0.6's schema judges of a 3.1 product for a 3.1 caller. */
export type Reading30 = 'copy' | 'judged';

/** enums/available-metric.json. */
const metrics31 = new Set<unknown>([
  'engagements',
  'follows',
  'saves',
  'profile_visits',
  'cost_per_completed_view',
  'cpm',
  'downloads',
  'units_sold',
  'new_to_brand_units',
  'plays',
  'incremental_sales_lift',
  'brand_lift',
  'foot_traffic',
  'conversion_lift',
  'brand_search_lift',
]);
/** enums/event-type.json (a cpa option's `event_type`, measurement readiness). */
const events31 = new Set<unknown>(['follow', 'content_view', 'watch_milestone']);
/** enums/uid-type.json (trusted_match providers). */
const uids31 = new Set<unknown>(['world_id_nullifier']);
// 3.0 values standing in for 3.1's in a judged reading (any valid one: only the rest is judged).
const standInEvent = 'purchase';
const standInUid = 'other';

/**
 * 3.1's country-keyed postal systems (core/postal-area-support.json) as 3.0.6's legacy
 * country-fused keys (enums/postal-system.json); a system without one (BR `cep`, `custom`…) has
 * no 3.0 name.
 */
const legacyPostal: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  US: { zip: 'us_zip', zip_plus_four: 'us_zip_plus_four' },
  GB: { outward: 'gb_outward', full: 'gb_full' },
  CA: { fsa: 'ca_fsa', full: 'ca_full' },
  DE: { plz: 'de_plz' },
  FR: { code_postal: 'fr_code_postal' },
  AU: { postcode: 'au_postcode' },
  CH: { plz: 'ch_plz' },
  AT: { plz: 'at_plz' },
};

type Json = Record<string, unknown>;

const names = (list: unknown, added: Set<unknown>) =>
  Array.isArray(list) && list.some((value) => added.has(value));
const billedOn31 = (option: unknown) => isRecord(option) && events31.has(option['event_type']);

/**
 * What `product` carries of 3.1's enum values, as `reading` reads them: the fields to replace (an
 * undefined value: to leave out), none when it carries none, `unsellable` when a copy would have
 * no pricing option left. Cheap when there are none: a few reads per product.
 */
export function values30(
  product: Readonly<Json>,
  reading: Reading30,
): Json | 'unsellable' | undefined {
  let patch: Json | undefined;
  const set = (field: string, value: unknown) => ((patch ??= {})[field] = value);
  const options = product['pricing_options'];
  if (Array.isArray(options) && options.some(billedOn31)) {
    if (reading === 'copy') {
      const left = options.filter((option) => !billedOn31(option));
      if (left.length === 0) return 'unsellable';
      set('pricing_options', left);
    } else {
      const stoodIn = options.map((option: unknown) =>
        billedOn31(option) ? { ...(option as Json), event_type: standInEvent } : option,
      );
      set('pricing_options', stoodIn);
    }
  }
  const reporting = product['reporting_capabilities'];
  if (isRecord(reporting)) {
    const narrowed = reportingFor30(reporting, reading);
    if (narrowed !== reporting) set('reporting_capabilities', narrowed);
  }
  const readiness = product['measurement_readiness'];
  const lists = ['required_event_types', 'missing_event_types'];
  if (isRecord(readiness) && lists.some((field) => names(readiness[field], events31))) {
    // A copy leaves the assessment out: told without 3.1's events, it would misstate what the
    // product needs. Judged, the lists lose them (the rest of the assessment is still judged).
    const judged = reading === 'judged' ? listsWithout(readiness, lists, events31) : undefined;
    set('measurement_readiness', judged);
  }
  const match = product['trusted_match'];
  if (isRecord(match) && Array.isArray(match['providers'])) {
    const providers = match['providers'];
    if (providers.some((p: unknown) => isRecord(p) && names(p['uid_types'], uids31))) {
      const left = providers.flatMap((p: unknown) => providerFor30(p, reading));
      const narrowed =
        left.length > 0 ? { ...match, providers: left } : listsWithout(match, ['providers']);
      set('trusted_match', narrowed);
    }
  }
  return patch;
}

/** reporting_capabilities without 3.1's metrics and country-keyed postal systems; itself if none. */
function reportingFor30(reporting: Json, reading: Reading30): Json {
  let next = reporting;
  const metrics = reporting['available_metrics'];
  if (Array.isArray(metrics) && names(metrics, metrics31)) {
    next = { ...next, available_metrics: metrics.filter((metric) => !metrics31.has(metric)) };
  }
  const geo = reporting['supports_geo_breakdown'];
  const area = isRecord(geo) ? geo['postal_area'] : undefined;
  if (isRecord(geo) && isRecord(area) && Object.values(area).some(Array.isArray)) {
    const legacy: Json = {};
    for (const [key, value] of Object.entries(area)) {
      if (!Array.isArray(value)) legacy[key] = value;
      else if (reading === 'copy') {
        for (const system of value) {
          const name = legacyPostal[key]?.[String(system)];
          if (name && !(name in area)) legacy[name] = true;
        }
      }
    }
    const { postal_area: _area, ...rest } = geo;
    const breakdown = Object.keys(legacy).length > 0 ? { ...rest, postal_area: legacy } : rest;
    next = { ...next, supports_geo_breakdown: breakdown };
  }
  return next;
}

/** A trusted_match provider without 3.1's identity types: none when a copy has none left. */
function providerFor30(provider: unknown, reading: Reading30): unknown[] {
  if (!isRecord(provider) || !names(provider['uid_types'], uids31)) return [provider];
  const uids = (provider['uid_types'] as unknown[]).filter((uid) => !uids31.has(uid));
  if (uids.length > 0) return [{ ...provider, uid_types: uids }];
  if (reading === 'judged') return [{ ...provider, uid_types: [standInUid] }];
  // An identity-match provider names the types it resolves: with none left, it resolves none.
  return provider['identity_match'] === true ? [] : [listsWithout(provider, ['uid_types'])];
}

/** `record` with `fields` (lists) without `values`, an emptied list left out; all of them left out without `values`. */
function listsWithout(record: Json, fields: readonly string[], values?: Set<unknown>): Json {
  const kept: Json = { ...record };
  for (const field of fields) {
    const list = kept[field];
    if (!Array.isArray(list)) continue;
    const left = values ? list.filter((value) => !values.has(value)) : [];
    if (left.length > 0) kept[field] = left;
    else delete kept[field];
  }
  return kept;
}
