import { geoTargets, type GoogleAdsState } from './state.js';

/*
 * Enough of the Google Ads Query Language for the fake ("Google Ads Query Language grammar",
 * https://developers.google.com/google-ads/api/docs/query/grammar): SELECT fields FROM resource
 * [WHERE condition AND …] [ORDER BY …] [LIMIT n], conditions with =, !=, <, >, <=, >=, IN (…),
 * LIKE (with [x] escapes) and BETWEEN … AND …; a field a resource does not have is refused as
 * Google refuses it (queryError UNRECOGNIZED_FIELD). A row is answered as the REST interface
 * answers it: nested objects in lowerCamelCase, int64 values as strings. Metrics selected
 * without segments.date are summed over the dates the condition keeps.
 */

type Flat = Record<string, string | number | boolean>;

export class GaqlError extends Error {}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function rowsOf(state: GoogleAdsState, customerId: string, resource: string): Flat[] {
  const today = new Date().toISOString().slice(0, 10);
  const objects = (kind: Parameters<GoogleAdsState['ofKind']>[0]) => state.ofKind(kind, customerId);
  const campaignFields = (id: unknown): Flat => {
    const c = objects('campaign').find((o) => o.id === String(id));
    return c
      ? {
          'campaign.id': c.id,
          'campaign.resource_name': c.resourceName,
          'campaign.name': String(c.fields.name),
          'campaign.status': String(c.fields.status),
          'campaign.campaign_budget': String(c.fields.campaignBudget),
        }
      : {};
  };
  switch (resource) {
    case 'customer': {
      const c = state.customers.get(customerId)!;
      return [
        {
          'customer.id': c.id,
          'customer.descriptive_name': c.descriptiveName,
          'customer.currency_code': c.currencyCode,
          'customer.status': c.status,
          'customer.manager': c.manager,
          'customer.time_zone': c.timeZone,
        },
      ];
    }
    case 'customer_client': {
      const self = state.customers.get(customerId)!;
      return [self, ...self.clients.map((id) => state.customers.get(id)!)].map((c) => ({
        'customer_client.id': c.id,
        'customer_client.descriptive_name': c.descriptiveName,
        'customer_client.currency_code': c.currencyCode,
        'customer_client.status': c.status,
        'customer_client.manager': c.manager,
        'customer_client.level': c.id === customerId ? 0 : 1,
      }));
    }
    case 'campaign':
      return objects('campaign').map((o) => campaignFields(o.id));
    case 'ad_group':
      return objects('adGroup').map((o) => {
        const metrics = state.delivered.get(o.id) ?? { impressions: 0, clicks: 0, costMicros: 0 };
        return {
          ...campaignFields(idOf(String(o.fields.campaign))),
          'ad_group.id': o.id,
          'ad_group.name': String(o.fields.name),
          'ad_group.status': String(o.fields.status),
          'metrics.impressions': String(metrics.impressions),
          'metrics.clicks': String(metrics.clicks),
          'metrics.cost_micros': String(metrics.costMicros),
          'segments.date': today,
        };
      });
    case 'ad_group_ad':
      return objects('adGroupAd').map((o) => {
        const group = objects('adGroup').find((g) => g.resourceName === o.fields.adGroup);
        const ad = o.fields.ad as { name?: string; id?: string };
        return {
          ...campaignFields(idOf(String(group?.fields.campaign))),
          'ad_group.id': group?.id ?? '',
          'ad_group_ad.resource_name': o.resourceName,
          'ad_group_ad.ad.id': String(ad.id),
          'ad_group_ad.ad.name': String(ad.name ?? ''),
          'ad_group_ad.status': String(o.fields.status),
        };
      });
    case 'geo_target_constant':
      return Object.entries(geoTargets).map(([country, id]) => ({
        'geo_target_constant.id': id,
        'geo_target_constant.resource_name': `geoTargetConstants/${id}`,
        'geo_target_constant.country_code': country,
        'geo_target_constant.target_type': 'Country',
      }));
    default:
      throw new GaqlError(`Unknown resource ${resource}`);
  }
}

const idOf = (resourceName: string) => resourceName.split('/').at(-1) ?? '';

const literal = /'(?:[^'\\]|\\.)*'|[\w.-]+/.source;
const conditionRe = new RegExp(
  `^\\s*([a-z_.]+)\\s+(=|!=|>=|<=|>|<|NOT IN|IN|LIKE)\\s+(\\([^)]*\\)|${literal})\\s*`,
  'i',
);
const betweenRe = new RegExp(
  `^\\s*([a-z_.]+)\\s+(BETWEEN)\\s+(${literal})\\s+AND\\s+(${literal})\\s*`,
  'i',
);

const valueOf = (raw: string): string => {
  const s = raw.trim();
  if (s.startsWith("'")) return s.slice(1, -1).replace(/\\(.)/g, '$1');
  return s;
};

function likeToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '[' && pattern[i + 2] === ']') {
      out += pattern[i + 1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 2;
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

type Condition = (row: Flat) => boolean;

function parseWhere(where: string): { fields: string[]; test: Condition } {
  const tests: Condition[] = [];
  const fields: string[] = [];
  let rest = where;
  while (rest.trim()) {
    const m = betweenRe.exec(rest) ?? conditionRe.exec(rest);
    if (!m) throw new GaqlError(`Cannot parse condition near: ${rest.slice(0, 40)}`);
    const [whole, field, rawOp, raw, second] = m;
    const op = rawOp!.toUpperCase();
    fields.push(field!);
    const cmp = (row: Flat) => String(row[field!]);
    if (op === 'IN' || op === 'NOT IN') {
      const list = raw!.slice(1, -1).split(',').map(valueOf);
      tests.push((row) => list.includes(cmp(row)) === (op === 'IN'));
    } else if (op === 'LIKE') {
      const re = likeToRegExp(valueOf(raw!));
      tests.push((row) => re.test(cmp(row)));
    } else if (op === 'BETWEEN') {
      const [a, b] = [valueOf(raw!), valueOf(second!)];
      tests.push((row) => cmp(row) >= a && cmp(row) <= b);
    } else {
      const v = valueOf(raw!).toLowerCase();
      const c = (row: Flat) => cmp(row).toLowerCase();
      const n = (row: Flat) => Number(row[field!]);
      tests.push((row) => {
        if (op === '=') return c(row) === v;
        if (op === '!=') return c(row) !== v;
        if (op === '>') return n(row) > Number(v);
        if (op === '<') return n(row) < Number(v);
        if (op === '>=') return n(row) >= Number(v);
        return n(row) <= Number(v);
      });
    }
    rest = rest.slice(whole!.length).replace(/^AND\s+/i, '');
  }
  return { fields, test: (row) => tests.every((t) => t(row)) };
}

/** Runs a GAQL query for a customer; answers REST-shaped rows. */
export function runGaql(state: GoogleAdsState, customerId: string, query: string) {
  const m =
    /^\s*SELECT\s+(.+?)\s+FROM\s+([a-z_]+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER BY\s+.+?)?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(
      query,
    );
  if (!m) throw new GaqlError('Cannot parse the query');
  const selected = m[1]!.split(',').map((f) => f.trim());
  const rows = rowsOf(state, customerId, m[2]!);
  const where = m[3] ? parseWhere(m[3]) : { fields: [], test: () => true };
  const known = new Set([...Object.keys(rowsOf(state, customerId, m[2]!)[0] ?? {})]);
  for (const field of [...selected, ...where.fields]) {
    if (known.size > 0 && !known.has(field)) throw new GaqlError(`Unrecognized field ${field}`);
  }
  let kept = rows.filter(where.test);
  if (selected.some((f) => f.startsWith('metrics.')) && !selected.includes('segments.date')) {
    kept = summed(kept, selected);
  }
  if (m[4]) kept = kept.slice(0, Number(m[4]));
  return kept.map((row) => nested(row, selected));
}

function summed(rows: Flat[], selected: string[]): Flat[] {
  const byKey = new Map<string, Flat>();
  for (const row of rows) {
    const key = selected
      .filter((f) => !f.startsWith('metrics.'))
      .map((f) => row[f])
      .join('|');
    const into = byKey.get(key);
    if (!into) byKey.set(key, { ...row });
    else {
      for (const f of selected.filter((s) => s.startsWith('metrics.'))) {
        into[f] = String(Number(into[f]) + Number(row[f]));
      }
    }
  }
  return [...byKey.values()];
}

function nested(row: Flat, selected: string[]) {
  const out: Record<string, unknown> = {};
  for (const field of selected) {
    const path = field.split('.').map(camel);
    let at = out;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path.at(-1)!] = row[field];
  }
  return out;
}
