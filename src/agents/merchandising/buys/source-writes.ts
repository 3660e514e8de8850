import type {
  InventorySource,
  SourceAnswer,
  SourceCall,
  SourceError,
} from '../../../modules/inventory-sources/index.js';
import type { ForwardLeg, ForwardSummary, MediaBuyRow } from '../../../modules/orders/index.js';
import {
  type Established,
  resolverLeaseMs,
  unknownOutcomeCodes,
  unknownTransportCodes,
  type Verdict,
  type WriteIntent,
  type WriteResolver,
} from '../../../modules/seller-writes/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../deps.js';
import { answeredOutOfSchema } from '../../../sources/errors.js';
import { answeredStatus } from './reads/status.js';
import { mediaBuyStatuses } from '../../../sources/answers.js';
import type { SourceOutcome } from '../../../sources/fan-out.js';
import { buyerAccountOf, placedAccountOf } from './forwarded-buys.js';
import { lookUpLostBuy } from './lost-buy-lookup.js';
import { confirmedBudgets } from './update/read-back.js';

/*
 * A storefront's writes to its sources (a buy's forward, an update of it: budget, flight,
 * pause, resume, cancel, creatives) as seller writes (modules/seller-writes): each source's
 * request recorded before the source port is asked (by the workflow runner, the one place that
 * does: workflow/recorded.ts), and what became of one whose answer was lost established at the
 * source before anything is sent again (the resolvers here, run by recovery). It works on the
 * port (src/sources/port.ts), so every kind of source is covered the same way.
 */

export const forwardKind = 'storefront.create_media_buy';
export const updateKind = 'storefront.update_media_buy';
/** What a buy's forward and its updates write (a step's `records`: workflow/recorded.ts). */
export const forwardRecords = { kind: forwardKind, tool: 'create_media_buy' } as const;
export const updateRecords = { kind: updateKind, tool: 'update_media_buy' } as const;

export const subjectOf = (row: Pick<MediaBuyRow, 'storefrontId' | 'mediaBuyId'>) =>
  `${row.storefrontId}/${row.mediaBuyId}`;
/** Where a storefront's write to one of its sources goes (an intent's target). */
export const targetOf = (storefrontId: number, sourceId: string) => `${storefrontId}/${sourceId}`;
const sourceIdOf = (intent: WriteIntent) => intent.target.slice(intent.target.indexOf('/') + 1);

function parseSubject(subject: string) {
  const slash = subject.indexOf('/');
  return { storefrontId: Number(subject.slice(0, slash)), mediaBuyId: subject.slice(slash + 1) };
}

export const budgetOf = (deps: MerchandisingDeps) =>
  deps.transactBudgetMs ?? defaultTransactBudgetMs;

/** Reason of a source skipped because an earlier write of the same key is still in doubt. */
export const writePending = 'write_pending';

/** What a write to a source is about: a buy (subjectOf), or a buyer's creatives. */
export interface WriteSubject {
  subjectId: string;
  storefrontId: number;
  customerId: number;
  /** What its resolver needs beside the request (the buyer's account words, say). */
  expect?: Record<string, unknown>;
}

export const buySubject = (
  row: Pick<MediaBuyRow, 'storefrontId' | 'mediaBuyId' | 'buyerCustomerId'>,
): WriteSubject => ({
  subjectId: subjectOf(row),
  storefrontId: row.storefrontId,
  customerId: row.buyerCustomerId,
});

/**
 * A stored intent's request, typed as the port's `tool` takes it: `recordedWrites` stored
 * exactly the request that tool was sent (a source write carries no credentials to leave out).
 */
export function storedRequest<Tool extends 'createMediaBuy' | 'updateMediaBuy' | 'syncCreatives'>(
  intent: WriteIntent,
  _tool: Tool,
): Parameters<InventorySource[Tool]>[0] {
  // cast: the JSON stored by recordedWrites.send from a request of this very tool, read back
  return intent.request as unknown as Parameters<InventorySource[Tool]>[0];
}

/** The source a write went to, from its intent's target (`{storefrontId}/{sourceId}`). */
export function targetOfIntent(intent: WriteIntent) {
  return { storefrontId: Number(intent.target.split('/')[0]), sourceId: sourceIdOf(intent) };
}

/** What a source's answer says about a write: answered, refused, or unknown (a buy may exist). */
export function sourceVerdict(answer: SourceAnswer<unknown>): Verdict {
  if (answer.ok) return { kind: 'answered' };
  const { code, message, details } = answer.error;
  const reason = isRecord(details) ? String(details['reason'] ?? '') : '';
  if (reason === writePending || unknownTransportCodes.has(reason)) {
    return { kind: 'unknown', reason: message };
  }
  if (reason === 'tool_error' && unknownOutcomeCodes.has(code)) {
    return { kind: 'unknown', reason: message };
  }
  if (reason === answeredOutOfSchema) return { kind: 'unknown', reason: message, resend: false };
  return { kind: 'refused', code, message };
}

/** What a source's answer to a write lets recovery do: look it up only, or send it again too. */
export const recoveryOf = (verdict: Verdict) =>
  verdict.kind === 'unknown' && verdict.resend === false ? { resend: false as const } : {};

/** A leg whose outcome is being established. */
export const unknownLeg = (sourceId: string, error: SourceError): ForwardLeg => ({
  sourceId,
  status: 'unknown',
  error: { code: error.code, message: error.message },
});

/** Each source's outcome of an update as the leg its write settles by (answered, refused, unknown). */
export function keptOutcomes(outcomes: ReadonlyArray<SourceOutcome<unknown>>) {
  return outcomes.map((outcome) => {
    const verdict = sourceVerdict(outcome);
    const sourceId = outcome.source.sourceId;
    if (verdict.kind === 'unknown') {
      return { sourceId, status: 'unknown' as const, error: { code: '', message: verdict.reason } };
    }
    return {
      sourceId,
      status: verdict.kind === 'answered' ? ('completed' as const) : ('failed' as const),
    };
  });
}

/** Establishes now a buy's writes to its sources that nobody holds (their answer was lost). */
export async function resumeSourceWrites(
  deps: MerchandisingDeps,
  row: Pick<MediaBuyRow, 'storefrontId' | 'mediaBuyId'>,
): Promise<void> {
  for (const intent of await deps.writes.openOf([subjectOf(row)])) {
    await deps.writes.resume(intent);
  }
}

/** A source's outcome as recovery saw it (an answer it looked up, or one it asked again). */
type Outcome = SourceOutcome<Record<string, unknown>>;

/**
 * The resolvers of a storefront's writes to its sources. A forward's leg whose answer was lost
 * is looked up at the source (get_media_buys through the port, under the buyer's account there,
 * across every status, by its po_number), else sent again under its key; the leg is recorded,
 * and once the buy has no leg in doubt its forward is finished (`finished`: the buyer's task
 * settles, a source's own task is followed). An update in doubt is looked up (the buy as the
 * source reports it shows it), else sent again under its key, and its leg's status recorded.
 */
export function sourceWriteResolvers(
  deps: MerchandisingDeps,
  finished: (row: MediaBuyRow, summary: ForwardSummary) => Promise<void>,
  summarize: (legs: ForwardLeg[]) => ForwardSummary,
  legOf: (sourceId: string, outcome: Outcome) => ForwardLeg,
): WriteResolver[] {
  const leaseMs = resolverLeaseMs(budgetOf(deps));

  async function subjectAndSource(intent: WriteIntent) {
    const { storefrontId, mediaBuyId } = parseSubject(intent.subjectId);
    const row = await deps.mediaBuys.findRecord(storefrontId, mediaBuyId);
    const sourceId = sourceIdOf(intent);
    const port = row
      ? // A write whose answer was lost is settled with its source, selling now or not.
        (await deps.sources.of(storefrontId, row.buyerCustomerId)).serving.find(
          (p) => p.source.sourceId === sourceId,
        )
      : undefined;
    return { row, sourceId, port };
  }

  /** How the source was asked: for the buyer, under its account there (as placed, for a leg). */
  const callOf = (row: MediaBuyRow, leg?: ForwardLeg): SourceCall => ({
    customerId: row.buyerCustomerId,
    budgetMs: budgetOf(deps),
    account: leg ? { ...buyerAccountOf(row), placedAs: placedAccountOf(leg) } : buyerAccountOf(row),
    ...(leg && { placed: true }),
  });

  const outcomeOf = (port: InventorySource, answer: SourceAnswer<unknown>): Outcome =>
    ({ ...answer, source: port.source, latencyMs: 0 }) as Outcome;

  async function recordLeg(intent: WriteIntent, row: MediaBuyRow, leg: ForwardLeg) {
    const saved = await deps.mediaBuys.putLeg(row, leg);
    const others = (await deps.writes.openOf([intent.subjectId])).filter((i) => i.id !== intent.id);
    const legs = saved.forwardResult ?? [];
    if (others.length > 0 || legs.some((l) => l.status === 'unknown')) return;
    const summary = summarize(legs);
    await finished(await deps.mediaBuys.saveForward(saved, summary), summary);
  }

  const forward: WriteResolver = {
    kind: forwardKind,
    leaseMs,
    async establish(intent): Promise<Established> {
      const { row, sourceId, port } = await subjectAndSource(intent);
      const leg = row?.forwardResult?.find((l) => l.sourceId === sourceId);
      if (!row || (leg && leg.status !== 'unknown')) return { settled: 'recorded' };
      if (!port) return { unknown: `Inventory source ${sourceId} is not active on the storefront` };
      const call = callOf(row);
      const found = await lookUpLostBuy(deps, port, intent, row, call, intent.resendBlocked);
      if (found) {
        await recordLeg(intent, row, legOf(sourceId, outcomeOf(port, found)));
        return { settled: 'found' };
      }
      if (intent.resendBlocked) {
        return {
          unknown: `Inventory source ${sourceId} ran this create_media_buy and answered out of its own schema; no buy there matches it alone yet, and it is not sent again, which could book it twice`,
          resend: false,
        };
      }
      const answer = await port.createMediaBuy(storedRequest(intent, 'createMediaBuy'), call);
      const verdict = sourceVerdict(answer);
      if (verdict.kind === 'unknown') return { unknown: verdict.reason, ...recoveryOf(verdict) };
      await recordLeg(intent, row, legOf(sourceId, outcomeOf(port, answer)));
      return { settled: verdict.kind === 'answered' ? 'resent' : 'resent_refused' };
    },
  };

  const update: WriteResolver = {
    kind: updateKind,
    leaseMs,
    async establish(intent): Promise<Established> {
      const { row, sourceId, port } = await subjectAndSource(intent);
      if (!row) return { settled: 'recorded' };
      if (!port) return { unknown: `Inventory source ${sourceId} is not active on the storefront` };
      const leg = row.forwardResult?.find((l) => l.sourceId === sourceId);
      const call = callOf(row, leg);
      // A source that applied it shows it (a seller's replay cannot be relied on: one that
      // lost the call's record answers a repeated cancel NOT_CANCELLABLE).
      const id = String(intent.request['media_buy_id']);
      const listed = await port.getMediaBuys(
        { media_buy_ids: [id], status_filter: [...mediaBuyStatuses] },
        call,
      );
      const there = (listed.ok ? listed.data.media_buys : []).find((b) => b.media_buy_id === id);
      if (isRecord(there) && patchShows(there, intent.request)) {
        await deps.mediaBuys.setLegStatuses(row, { [sourceId]: there.status });
        // The budgets it shows are confirmed: the buy's record from now on (update/read-back.ts).
        const asked = intent.request['packages'];
        const budgets = leg
          ? confirmedBudgets(leg, Array.isArray(asked) ? asked : [], there.packages ?? [])
          : {};
        if (Object.keys(budgets).length > 0) await deps.mediaBuys.setPackageBudgets(row, budgets);
        return { settled: 'found' };
      }
      if (intent.resendBlocked) {
        return {
          unknown: `Inventory source ${sourceId} ran this update_media_buy and answered out of its own schema; the buy there does not show it yet, and it is not sent again, which could apply it twice`,
          resend: false,
        };
      }
      const answer = await port.updateMediaBuy(storedRequest(intent, 'updateMediaBuy'), call);
      const verdict = sourceVerdict(answer);
      if (verdict.kind === 'unknown') return { unknown: verdict.reason, ...recoveryOf(verdict) };
      const status = answer.ok && isRecord(answer.data) ? answeredStatus(answer.data) : undefined;
      if (status !== undefined) {
        await deps.mediaBuys.setLegStatuses(row, { [sourceId]: status });
      }
      return { settled: verdict.kind === 'answered' ? 'resent' : 'resent_refused' };
    },
  };

  return [forward, update];
}

/** Whether a buy as its source reports it shows an update_media_buy (so it took effect). */
export function patchShows(buy: Record<string, unknown>, patch: Record<string, unknown>): boolean {
  const status = buy['status'];
  if (patch['canceled'] === true && status !== 'canceled') return false;
  if (patch['paused'] === true && status !== 'paused') return false;
  if (patch['paused'] === false && (status === 'paused' || status === undefined)) return false;
  const end = patch['end_time'];
  if (typeof end === 'string' && Date.parse(String(buy['end_time'])) !== Date.parse(end)) {
    return false;
  }
  const packages = (Array.isArray(buy['packages']) ? buy['packages'] : []).filter(isRecord);
  const changes = (Array.isArray(patch['packages']) ? patch['packages'] : []).filter(isRecord);
  const comparable = ['budget', 'bid_price', 'paused', 'canceled'] as const;
  return changes.every((change) => {
    const pkg = packages.find((p) => p['package_id'] === change['package_id']);
    // A change the source's report cannot show (creatives, targeting): sent again instead.
    const unseen = Object.keys(change).some(
      (k) => k !== 'package_id' && !(comparable as readonly string[]).includes(k),
    );
    if (!pkg || unseen) return false;
    return comparable.every((field) => change[field] === undefined || pkg[field] === change[field]);
  });
}
