import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { ForwardLeg, ForwardSummary, MediaBuyRow } from '../../modules/media-buys/index.js';
import {
  type Established,
  unknownOutcomeCodes,
  unknownTransportCodes,
  type Verdict,
  type WriteIntent,
  type WriteResolver,
} from '../../modules/seller-writes/index.js';
import { isRecord } from '../../platform/is-record.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from './deps.js';
import { sourceError } from './source-errors.js';
import { callSources, routableSources, type SourceOutcome } from './sources.js';
import type { AdcpErrorObject } from './types.js';

/*
 * A storefront's writes to its sources (a buy's forward, an update of it) as seller writes
 * (modules/seller-writes): each source's request recorded before it is sent, and what became of
 * one whose answer was lost established at the source before anything is sent again.
 */

export const forwardKind = 'storefront.create_media_buy';
export const updateKind = 'storefront.update_media_buy';

/** Every AdCP media-buy status: a look-up must not be limited to active buys (the default). */
const everyStatus = [
  'pending_creatives',
  'pending_start',
  'active',
  'paused',
  'completed',
  'rejected',
  'canceled',
];

export const subjectOf = (row: Pick<MediaBuyRow, 'storefrontId' | 'mediaBuyId'>) =>
  `${row.storefrontId}/${row.mediaBuyId}`;
const targetOf = (storefrontId: number, sourceId: string) => `${storefrontId}/${sourceId}`;
const sourceIdOf = (intent: WriteIntent) => intent.target.slice(intent.target.indexOf('/') + 1);

function parseSubject(subject: string) {
  const slash = subject.indexOf('/');
  return { storefrontId: Number(subject.slice(0, slash)), mediaBuyId: subject.slice(slash + 1) };
}

const budgetOf = (deps: MerchandisingDeps) => deps.transactBudgetMs ?? defaultTransactBudgetMs;
/** How long a request holds a source's write: the source's budget and a margin for recording. */
const leaseOf = (deps: MerchandisingDeps) => Math.ceil(budgetOf(deps) * 1.5) + 1000;

/** The intents a fan-out recorded, by source id. */
export type SourceWrites = Map<string, WriteIntent>;

/** Reason of a source skipped because an earlier write of the same key is still in doubt. */
const writePending = 'write_pending';

/**
 * callSources hooks that record each source's request as a seller write of `kind` about the
 * buy before it is sent (and give tests their crash points). A source whose key has a write
 * still in doubt is not asked again: its leg stays `unknown` until recovery settles it.
 */
export function recordedCalls(
  deps: MerchandisingDeps,
  row: Pick<MediaBuyRow, 'storefrontId' | 'mediaBuyId' | 'buyerCustomerId'>,
  kind: string,
  tool: string,
) {
  const intents: SourceWrites = new Map();
  return {
    intents,
    beforeCall: async (source: SourceRow, asked: Record<string, unknown>) => {
      const { intent, held } = await deps.writes.begin(
        {
          kind,
          subjectId: subjectOf(row),
          customerId: row.buyerCustomerId,
          target: targetOf(row.storefrontId, source.sourceId),
          tool,
          idempotencyKey: String(asked['idempotency_key']),
          request: asked,
        },
        leaseOf(deps),
      );
      if (!held) return false;
      intents.set(source.sourceId, intent);
      deps.writes.checkpoint(kind, 'before-call');
      return true;
    },
    afterCall: () => deps.writes.checkpoint(kind, 'after-answer'),
    skipped: (source: SourceRow): AdcpErrorObject =>
      sourceError(source, 'SERVICE_UNAVAILABLE', 'transient', writePending, {
        message: `An earlier request of this buy to inventory source "${source.name}" (${source.sourceId}) is still being established; it was not sent again`,
      }),
  };
}

/** What a source's outcome says about a write: answered, refused, or unknown (a buy may exist). */
export function sourceVerdict(outcome: SourceOutcome<unknown>): Verdict {
  if (outcome.ok) return { kind: 'answered' };
  const { code, message, details } = outcome.error;
  const reason = isRecord(details) ? String(details['reason'] ?? '') : '';
  if (reason === writePending || unknownTransportCodes.has(reason)) {
    return { kind: 'unknown', reason: message };
  }
  if (reason === 'tool_error' && unknownOutcomeCodes.has(code)) {
    return { kind: 'unknown', reason: message };
  }
  return { kind: 'refused', code, message };
}

/** A leg whose outcome is being established. */
export const unknownLeg = (sourceId: string, error: AdcpErrorObject): ForwardLeg => ({
  sourceId,
  status: 'unknown',
  error: { code: error.code, message: error.message },
});

/** The intents each forward recorded, until the caller saved its legs and settles them. */
const recorded = new WeakMap<ForwardSummary, SourceWrites>();

export function remember(summary: ForwardSummary, intents: SourceWrites): ForwardSummary {
  recorded.set(summary, intents);
  return summary;
}

/**
 * After a forward's legs are saved on the buy: each source's write whose leg is known is
 * settled, one whose leg is `unknown` is left to recovery.
 */
export async function settleSourceWrites(
  deps: MerchandisingDeps,
  intents: SourceWrites | undefined,
  legs: ForwardLeg[],
): Promise<void> {
  for (const [sourceId, intent] of intents ?? []) {
    const leg = legs.find((l) => l.sourceId === sourceId);
    if (!leg || leg.status === 'unknown') {
      await deps.writes.unknown(intent, leg?.error?.message ?? 'No answer was recorded');
    } else {
      await deps.writes.settle(intent, leg.status === 'failed' ? 'refused' : 'answered');
    }
  }
}

export const settleForward = (deps: MerchandisingDeps, summary: ForwardSummary) =>
  settleSourceWrites(deps, recorded.get(summary), summary.legs);

/** Settles each source's write by its outcome (an update's), or leaves it to recovery. */
export async function settleOutcomes(
  deps: MerchandisingDeps,
  intents: SourceWrites,
  outcomes: Array<SourceOutcome<unknown>>,
): Promise<void> {
  for (const outcome of outcomes) {
    const intent = intents.get(outcome.source.sourceId);
    if (!intent) continue;
    const verdict = sourceVerdict(outcome);
    if (verdict.kind === 'unknown') await deps.writes.unknown(intent, verdict.reason);
    else await deps.writes.settle(intent, verdict.kind === 'answered' ? 'answered' : 'refused');
  }
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

/**
 * The resolvers of a storefront's writes to its sources. A forward's leg whose answer was lost
 * is looked up at the source (get_media_buys under the account it was sent with, across every
 * status, by its po_number), else sent again under its key; the leg is recorded, and once the
 * buy has no leg in doubt its forward is finished (`finished`: the buyer's task settles, a
 * source's own task is followed). An update in doubt is sent again under its key (a source
 * that applied it answers its replay) and its leg's status recorded.
 */
export function sourceWriteResolvers(
  deps: MerchandisingDeps,
  finished: (row: MediaBuyRow, summary: ForwardSummary) => Promise<void>,
  summarize: (legs: ForwardLeg[]) => ForwardSummary,
  legOf: (sourceId: string, outcome: SourceOutcome<Record<string, unknown>>) => ForwardLeg,
): WriteResolver[] {
  const leaseMs = 3 * leaseOf(deps);

  async function subjectAndSource(intent: WriteIntent) {
    const { storefrontId, mediaBuyId } = parseSubject(intent.subjectId);
    const row = await deps.mediaBuys.findRecord(storefrontId, mediaBuyId);
    const sourceId = sourceIdOf(intent);
    const source = row
      ? routableSources(
          deps,
          await deps.inventorySources.rowsOf(storefrontId),
          storefrontId,
          row.buyerCustomerId,
        ).find((s) => s.sourceId === sourceId)
      : undefined;
    return { row, sourceId, source };
  }

  /** One call of a source with the exact request given (its account included). */
  async function ask(
    row: MediaBuyRow,
    source: SourceRow,
    tool: string,
    args: Record<string, unknown>,
  ) {
    const [outcome] = await callSources<Record<string, unknown>>(deps, {
      sources: [source],
      customerId: row.buyerCustomerId,
      tool,
      budgetMs: budgetOf(deps),
      argsFor: () => args,
      acceptTasks: true,
    });
    return outcome;
  }

  async function recordLeg(intent: WriteIntent, row: MediaBuyRow, leg: ForwardLeg) {
    const account = isRecord(intent.request['account']) ? intent.request['account'] : undefined;
    const saved = await deps.mediaBuys.putLeg(row, {
      ...leg,
      ...(account && leg.status !== 'failed' && { account }),
    });
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
      const { row, sourceId, source } = await subjectAndSource(intent);
      const leg = row?.forwardResult?.find((l) => l.sourceId === sourceId);
      if (!row || (leg && leg.status !== 'unknown')) return { settled: 'recorded' };
      if (!source)
        return { unknown: `Inventory source ${sourceId} is not active on the storefront` };
      const po = intent.request['po_number'];
      if (typeof po === 'string') {
        const listed = await ask(row, source, 'get_media_buys', {
          ...(intent.request['account'] !== undefined && { account: intent.request['account'] }),
          status_filter: everyStatus,
        });
        const buys =
          listed?.ok && Array.isArray(listed.data['media_buys']) ? listed.data['media_buys'] : [];
        const found = buys.filter(isRecord).find((b) => b['po_number'] === po);
        if (found && typeof found['media_buy_id'] === 'string') {
          await recordLeg(
            intent,
            row,
            legOf(sourceId, { source, ok: true, data: found, latencyMs: 0 }),
          );
          return { settled: 'found' };
        }
      }
      const outcome = await ask(row, source, intent.tool, intent.request);
      if (!outcome) return { unknown: `Inventory source ${sourceId} was not asked` };
      const verdict = sourceVerdict(outcome);
      if (verdict.kind === 'unknown') return { unknown: verdict.reason };
      await recordLeg(intent, row, legOf(sourceId, outcome));
      return { settled: verdict.kind === 'answered' ? 'resent' : 'resent_refused' };
    },
  };

  const update: WriteResolver = {
    kind: updateKind,
    leaseMs,
    async establish(intent): Promise<Established> {
      const { row, sourceId, source } = await subjectAndSource(intent);
      if (!row) return { settled: 'recorded' };
      if (!source)
        return { unknown: `Inventory source ${sourceId} is not active on the storefront` };
      // A source that applied it shows it (a seller's replay cannot be relied on: one that
      // lost the call's record answers a repeated cancel NOT_CANCELLABLE).
      const id = intent.request['media_buy_id'];
      const listed = await ask(row, source, 'get_media_buys', {
        ...(intent.request['account'] !== undefined && { account: intent.request['account'] }),
        media_buy_ids: [id],
      });
      const buys =
        listed?.ok && Array.isArray(listed.data['media_buys']) ? listed.data['media_buys'] : [];
      const there = buys.filter(isRecord).find((b) => b['media_buy_id'] === id);
      if (there && patchShows(there, intent.request)) {
        if (typeof there['status'] === 'string') {
          await deps.mediaBuys.setLegStatuses(row, { [sourceId]: there['status'] });
        }
        return { settled: 'found' };
      }
      const outcome = await ask(row, source, intent.tool, intent.request);
      if (!outcome) return { unknown: `Inventory source ${sourceId} was not asked` };
      const verdict = sourceVerdict(outcome);
      if (verdict.kind === 'unknown') return { unknown: verdict.reason };
      if (outcome.ok && typeof outcome.data['status'] === 'string') {
        await deps.mediaBuys.setLegStatuses(row, { [sourceId]: outcome.data['status'] });
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
