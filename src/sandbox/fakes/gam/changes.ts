import { adUnitAt, firstAdUnitId, type FakeNetwork, type Obj } from './network.js';
import { PqlError, type Statement } from './pql.js';

/*
 * Edits made upstream at the fake (a publisher renaming, deactivating or archiving objects in
 * Ad Manager) and the `lastModifiedDateTime` filter of PQL statements. Reference:
 * developers.google.com/ad-manager/api/reference (InventoryService.getAdUnitsByStatement,
 * PlacementService.getPlacementsByStatement and CompanyService.getCompaniesByStatement list
 * `lastModifiedDateTime` among their filterable PQL properties; CustomTargetingService's
 * statements do not), Statement (bind variables in `values`, `>=` and `<=` comparisons) and
 * DateTimeValue / DateTime (date, hour, minute, second, timeZoneId).
 */

export interface NetworkChanges {
  /** When the generated network was made (a day ago): objects not edited since were last modified then. */
  createdAt: number;
  /** Ad units edited, by their index in the generated tree: the fields changed and when. */
  adUnits: Map<number, { fields: Obj; at: number }>;
  /** Other objects (placements, companies) edited, by `kind:id`: when. */
  modified: Map<string, number>;
}

const byNetwork = new WeakMap<FakeNetwork, NetworkChanges>();

export function changesOf(network: FakeNetwork): NetworkChanges {
  let changes = byNetwork.get(network);
  if (!changes) {
    changes = { createdAt: Date.now() - 86_400_000, adUnits: new Map(), modified: new Map() };
    byNetwork.set(network, changes);
  }
  return changes;
}

/** An ad unit of the generated tree with the edits made to it. */
export function adUnitWithEdits(network: FakeNetwork, index: number): Obj {
  const edit = changesOf(network).adUnits.get(index);
  return edit ? { ...adUnitAt(index), ...edit.fields } : adUnitAt(index);
}

/** Edits ad units (by index in the tree) now: their fields change, their modification time moves. */
export function editAdUnits(network: FakeNetwork, indexes: number[], fields: Obj, at = Date.now()) {
  const changes = changesOf(network);
  for (const index of indexes) {
    const before = changes.adUnits.get(index)?.fields ?? {};
    changes.adUnits.set(index, { fields: { ...before, ...fields }, at });
  }
}

/** Edits a placement or company in place now. */
export function editObject(
  network: FakeNetwork,
  kind: 'placement' | 'company',
  id: number,
  fields: Obj,
  at = Date.now(),
) {
  const list = kind === 'placement' ? network.placements : network.companies;
  const found = list.find((o) => Number(o['id']) === id);
  if (!found) throw new Error(`no ${kind} ${id}`);
  Object.assign(found, fields);
  changesOf(network).modified.set(`${kind}:${id}`, at);
}

/** Refused as the real server refuses a statement it cannot evaluate. */
export class ModifiedFilterError extends PqlError {}

/**
 * Takes the `lastModifiedDateTime >= :name` (or `>`) condition out of a statement, its bind
 * variable read from the statement's `values` (a DateTimeValue); answers the bound in epoch ms,
 * or null when the statement has none.
 */
export function takeModifiedSince(st: Statement, values: unknown): number | null {
  const at = st.conditions.findIndex((c) => c.field === 'lastModifiedDateTime');
  if (at < 0) return null;
  const [condition] = st.conditions.splice(at, 1);
  if (condition!.op !== '>=' && condition!.op !== '>') {
    throw new ModifiedFilterError('lastModifiedDateTime takes >= or >');
  }
  const raw = condition!.values[0] ?? '';
  const name = raw.startsWith(':') ? raw.slice(1) : null;
  const entries = (Array.isArray(values) ? values : values ? [values] : []) as Obj[];
  const entry = name ? entries.find((e) => e['key'] === name) : undefined;
  const dateTime = (entry?.['value'] as Obj | undefined)?.['value'] as Obj | undefined;
  if (!dateTime) throw new ModifiedFilterError(`no DateTimeValue bound to ${raw}`);
  const date = (dateTime['date'] ?? {}) as Obj;
  const zone = String(dateTime['timeZoneId'] ?? '');
  if (zone !== 'Etc/UTC' && zone !== 'UTC') {
    throw new ModifiedFilterError(`the fake reads DateTime in UTC only, not ${zone}`);
  }
  const ms = Date.UTC(
    Number(date['year']),
    Number(date['month']) - 1,
    Number(date['day']),
    Number(dateTime['hour'] ?? 0),
    Number(dateTime['minute'] ?? 0),
    Number(dateTime['second'] ?? 0),
  );
  if (Number.isNaN(ms)) throw new ModifiedFilterError('unreadable DateTime');
  return condition!.op === '>' ? ms + 1000 : ms;
}

/** The ad units modified at or after `since`, as a page source (only edited ones past creation). */
export function adUnitsSince(network: FakeNetwork, since: number) {
  const changes = changesOf(network);
  if (since <= changes.createdAt) {
    return {
      count: network.adUnitCount,
      at: (i: number) => adUnitWithEdits(network, i),
      startAfterId: (id: number) => Math.max(0, id - firstAdUnitId + 1),
    };
  }
  const indexes = [...changes.adUnits.entries()]
    .filter(([index, edit]) => edit.at >= since && index < network.adUnitCount)
    .map(([index]) => index)
    .sort((a, b) => a - b);
  return { count: indexes.length, at: (i: number) => adUnitWithEdits(network, indexes[i]!) };
}

/** Placements or companies modified at or after `since`. */
export function objectsSince(
  network: FakeNetwork,
  kind: 'placement' | 'company',
  items: Obj[],
  since: number,
) {
  const changes = changesOf(network);
  const chosen = items.filter(
    (o) => (changes.modified.get(`${kind}:${String(o['id'])}`) ?? changes.createdAt) >= since,
  );
  return { count: chosen.length, at: (i: number) => chosen[i]! };
}
