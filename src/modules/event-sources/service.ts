import type { AdvertisersService } from '../advertisers/index.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { hasUserMatch, normalizeDomain, refusalOf } from './rules.js';
import type {
  EventsSummaryQuery,
  LogEventInput,
  SyncEventSourceItem,
  SyncEventSourcesInput,
} from './schemas.js';
import * as store from './store.js';
import type { EventSourceRow, NewLoggedEvent } from './store.js';
import { summaryWindowOf } from './summary-window.js';
import { eventSourceView } from './views.js';
import type { EventSellers } from './sellers.js';
import { adcpEventSource, forwardableEvent } from './forwarding.js';

export interface EventSourcesDeps {
  db: Db;
  advertisers: Pick<AdvertisersService, 'requireAdvertiser' | 'requireActive'>;
  /** Sellers taking conversion data (audiences' conversion forwarding); none: kept here. */
  sellers?: EventSellers;
  now?: () => Date;
}

export type EventSourcesService = ReturnType<typeof createEventSourcesService>;

type SyncResult = {
  event_source_id: string;
  action: 'created' | 'updated' | 'unchanged' | 'failed' | 'deleted';
  error?: string;
  setup?: { snippet_type: 'server_only'; instructions: string };
};

/** The live event sources of some advertisers, as the advertiser's nested GET shows them. */
export function eventSourcesReader(db: Db) {
  return async (advertiserIds: number[]) => {
    const byAdvertiser = new Map<number, Record<string, unknown>[]>();
    for (const row of await store.liveSourcesOf(db, advertiserIds)) {
      const list = byAdvertiser.get(row.advertiserId) ?? [];
      list.push(eventSourceView(row));
      byAdvertiser.set(row.advertiserId, list);
    }
    return byAdvertiser;
  };
}

const unregisteredSource = (id: string) =>
  new AppError(
    'invalid',
    `Event source "${id}" is not registered for this advertiser: sync it first (POST …/event-sources/sync)`,
    { field: 'event_source_id', code: 'EVENT_SOURCE_NOT_FOUND' },
  );

/** The order of a set-like list does not matter: stored sorted so comparisons are stable. */
const setOf = (values: readonly string[]) => [...new Set(values)].sort();
const sameList = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));
const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Event sources and conversion events of an advertiser (seed 004, AdCP sync_event_sources and
 * log_event). Everything hangs off an advertiser of the caller's customer: another customer's
 * advertiser is NOT_FOUND before anything else is looked at.
 */
export function createEventSourcesService(deps: EventSourcesDeps) {
  const { db, advertisers } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * The values an item asks for: a field left out keeps what is stored (a new source: null),
   * an explicit null clears it. Undefined with a reason when the item cannot be applied.
   */
  function desiredOf(item: SyncEventSourceItem, existing: EventSourceRow | undefined) {
    let allowedDomains = existing?.allowedDomains ?? null;
    if (item.allowed_domains !== undefined) {
      if (item.allowed_domains === null) allowedDomains = null;
      else {
        const normalized = item.allowed_domains.map((d) => [d, normalizeDomain(d)] as const);
        const bad = normalized.find(([, n]) => n === undefined);
        if (bad) return { error: `allowed_domains: "${bad[0]}" is not a domain name` };
        allowedDomains = setOf(normalized.map(([, n]) => n as string));
      }
    }
    const pick = <K extends keyof SyncEventSourceItem, T>(key: K, stored: T): T =>
      item[key] === undefined ? stored : (item[key] as T);
    return {
      values: {
        name: item.name ?? existing?.name ?? item.event_source_id,
        eventTypes:
          item.event_types === undefined
            ? (existing?.eventTypes ?? null)
            : item.event_types && setOf(item.event_types),
        allowedDomains,
        integrationPlatform: pick('integration_platform', existing?.integrationPlatform ?? null),
        mapping: pick('mapping', existing?.mapping ?? null),
        testEventCode: pick('test_event_code', existing?.testEventCode ?? null),
      },
    };
  }

  function unchanged(row: EventSourceRow, v: NonNullable<ReturnType<typeof desiredOf>['values']>) {
    return (
      row.archivedAt === null &&
      row.name === v.name &&
      sameList(row.eventTypes, v.eventTypes) &&
      sameList(row.allowedDomains, v.allowedDomains) &&
      row.integrationPlatform === v.integrationPlatform &&
      sameJson(row.mapping, v.mapping) &&
      row.testEventCode === v.testEventCode
    );
  }

  return {
    async list(
      principal: CustomerPrincipal,
      advertiserId: string,
      page: { take: number; skip: number },
    ) {
      const advertiser = await advertisers.requireAdvertiser(principal.customerId, advertiserId);
      const { rows, total } = await store.pageLiveSources(db, advertiser.id, page);
      return { eventSources: rows.map(eventSourceView), total };
    },

    /**
     * AdCP sync_event_sources: upsert each item (created / updated / unchanged, or failed with
     * the reason while the others apply), and with delete_missing archive the live sources the
     * request does not name (deleted). Two syncs of one advertiser apply one after the other.
     */
    async sync(principal: CustomerPrincipal, advertiserId: string, input: SyncEventSourcesInput) {
      const advertiser = await advertisers.requireActive(principal.customerId, advertiserId);
      if (input.account && input.account.account_id !== String(advertiser.id))
        throw invalid(
          `account.account_id names another account than this advertiser (${advertiser.id})`,
          'account.account_id',
        );
      const instructions = (id: string) => ({
        snippet_type: 'server_only' as const,
        instructions: `Send events server to server: POST /api/v2/buyer/advertisers/${advertiser.id}/log-event with {"event_source_id": "${id}", "events": [...]} and your API key.`,
      });
      const results = await db.transaction(async (tx) => {
        await store.lockSourcesOf(tx, advertiser.id);
        const existing = new Map(
          (await store.allSourcesOf(tx, advertiser.id)).map((r) => [r.eventSourceId, r]),
        );
        const at = now();
        const named = new Set<string>();
        const out: SyncResult[] = [];
        for (const item of input.event_sources) {
          const id = item.event_source_id;
          if (named.has(id)) {
            out.push({
              event_source_id: id,
              action: 'failed',
              error: 'listed twice in this request',
            });
            continue;
          }
          named.add(id);
          const row = existing.get(id);
          const desired = desiredOf(item, row);
          if (!desired.values) {
            out.push({ event_source_id: id, action: 'failed', error: desired.error });
            continue;
          }
          if (!row) {
            await store.insertSource(tx, {
              customerId: principal.customerId,
              advertiserId: advertiser.id,
              eventSourceId: id,
              ...desired.values,
              createdAt: at,
              updatedAt: at,
            });
            out.push({ event_source_id: id, action: 'created', setup: instructions(id) });
          } else if (unchanged(row, desired.values)) {
            out.push({ event_source_id: id, action: 'unchanged', setup: instructions(id) });
          } else {
            await store.updateSource(tx, row.id, {
              ...desired.values,
              archivedAt: null,
              updatedAt: at,
            });
            // An archived source synced again is back: from the caller's side it is new.
            const action = row.archivedAt ? 'created' : 'updated';
            out.push({ event_source_id: id, action, setup: instructions(id) });
          }
        }
        if (input.delete_missing) {
          for (const row of existing.values()) {
            if (named.has(row.eventSourceId) || row.archivedAt) continue;
            await store.updateSource(tx, row.id, { archivedAt: at, updatedAt: at });
            out.push({ event_source_id: row.eventSourceId, action: 'deleted' });
          }
        }
        return out;
      });
      // The sources now live reach the sellers that take conversion data (AdCP
      // sync_event_sources), under the buyer's account there.
      const live = new Set(
        results
          .filter((r) => r.action !== 'failed' && r.action !== 'deleted')
          .map((r) => r.event_source_id),
      );
      const forwarded = input.event_sources.filter((i) => live.has(i.event_source_id));
      const sellers =
        forwarded.length > 0
          ? await deps.sellers?.syncEventSources(
              principal,
              advertiser,
              forwarded.map(adcpEventSource),
            )
          : undefined;
      return { event_sources: results, ...(sellers?.length && { sellers }) };
    },

    /**
     * AdCP log_event: records the batch's acceptable events once each (an event_id the source
     * already logged is not counted again, so a retried batch answers the same), and reports
     * each refused event with its code.
     */
    async logEvent(principal: CustomerPrincipal, advertiserId: string, input: LogEventInput) {
      const advertiser = await advertisers.requireActive(principal.customerId, advertiserId);
      const source = await store.findLiveSource(db, advertiser.id, input.event_source_id);
      if (!source) throw unregisteredSource(input.event_source_id);
      const at = now();
      const isTest = input.test_event_code !== undefined;
      const warnings: string[] = [];
      if (isTest && source.testEventCode && input.test_event_code !== source.testEventCode)
        warnings.push(
          'test_event_code differs from the one registered on the event source; the events are recorded as test events all the same',
        );
      const failures: { event_id: string; code: string; message: string }[] = [];
      const rows: NewLoggedEvent[] = [];
      const seen = new Set<string>();
      let repeatedInBatch = 0;
      let matched = 0;
      let newest: { time: Date; type: string } | undefined;
      for (const event of input.events) {
        const refusal = refusalOf(source, event, at);
        if (refusal) {
          failures.push({ event_id: event.event_id, ...refusal });
          continue;
        }
        if (seen.has(event.event_id)) {
          repeatedInBatch += 1;
          continue;
        }
        seen.add(event.event_id);
        const time = new Date(event.event_time);
        if (!newest || time > newest.time) newest = { time, type: event.event_type };
        const userMatch = hasUserMatch(event);
        if (userMatch) matched += 1;
        rows.push({
          customerId: principal.customerId,
          advertiserId: advertiser.id,
          sourceRowId: source.id,
          eventId: event.event_id,
          eventType: event.event_type,
          customEventName: event.custom_event_name ?? null,
          eventTime: time,
          actionSource: event.action_source ?? null,
          value: event.custom_data?.value ?? null,
          currency: event.custom_data?.currency?.toUpperCase() ?? null,
          orderId: event.custom_data?.order_id ?? null,
          isTest,
          hasUserMatch: userMatch,
          receivedAt: at,
        });
      }
      const inserted = await db.transaction(async (tx) => {
        const n = rows.length > 0 ? await store.insertEvents(tx, rows) : 0;
        await store.recordHealth(tx, source.id, at, {
          ...(newest && { lastEventAt: newest.time, lastEventType: newest.type }),
          ...(failures[0] && { lastError: `${failures[0].code}: ${failures[0].message}` }),
        });
        return n;
      });
      const alreadyLogged = rows.length - inserted;
      if (alreadyLogged > 0)
        warnings.push(
          `${alreadyLogged} event(s) were already logged with the same event_id; counted once`,
        );
      if (repeatedInBatch > 0)
        warnings.push(
          `${repeatedInBatch} event(s) repeated an event_id earlier in this batch; counted once`,
        );
      const processed = rows.length + repeatedInBatch;
      // Accepted events reach the sellers that take them (AdCP log_event), identifiers that
      // are not SHA-256 digests left out: raw ones are never sent on.
      const accepted = new Set(rows.map((r) => r.eventId));
      const events = input.events.filter((e) => accepted.has(e.event_id)).map(forwardableEvent);
      const sellers =
        events.length > 0
          ? await deps.sellers?.logEvent(principal, advertiser, {
              event_source_id: input.event_source_id,
              events,
              ...(input.test_event_code !== undefined && {
                test_event_code: input.test_event_code,
              }),
            })
          : undefined;
      return {
        events_received: input.events.length,
        events_processed: processed,
        partial_failures: failures,
        warnings,
        ...(rows.length > 0 && {
          match_quality: Math.round((matched / rows.length) * 1000) / 1000,
        }),
        ...(sellers?.length && { sellers }),
      };
    },

    /**
     * Event counts of a window of whole UTC hours (the hosted default: the last completed hour):
     * per hour in the hosted shape, and per day, source and event type in `daily`.
     */
    async summary(principal: CustomerPrincipal, advertiserId: string, query: EventsSummaryQuery) {
      const advertiser = await advertisers.requireAdvertiser(principal.customerId, advertiserId);
      const { start, end } = summaryWindowOf(query, now());
      const base = { periodStart: start.toISOString(), periodEnd: end.toISOString() };
      // Everything log-event records is a conversion; the other categories have no source here.
      if (query.eventType && query.eventType !== 'conversion')
        return { ...base, entries: [], totalEventCount: 0, daily: [] };
      const window = {
        advertiserId: advertiser.id,
        start,
        end,
        includeTest: query.includeTestEvents === 'true',
      };
      const [hours, daily] = await Promise.all([
        store.countByHour(db, window),
        store.countByDaySourceType(db, window),
      ]);
      return {
        ...base,
        entries: hours.map((h) => ({
          eventHour: h.hour,
          eventType: 'conversion' as const,
          eventCount: h.count,
        })),
        totalEventCount: hours.reduce((sum, h) => sum + h.count, 0),
        daily: daily.map((d) => ({
          day: d.day,
          eventSourceId: d.eventSourceId,
          eventType: d.eventType,
          eventCount: d.count,
        })),
      };
    },
  };
}
