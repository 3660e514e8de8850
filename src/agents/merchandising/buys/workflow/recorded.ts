import type { InventorySource, SourceAnswer } from '../../../../modules/inventory-sources/index.js';
import type { ForwardLeg } from '../../../../modules/orders/index.js';
import { callLeaseMs, type WriteIntent } from '../../../../modules/seller-writes/index.js';
import { sourceError } from '../../../../sources/errors.js';
import type { MerchandisingDeps } from '../../deps.js';
import {
  budgetOf,
  recoveryOf,
  sourceVerdict,
  targetOf,
  type WriteSubject,
  writePending,
} from '../source-writes.js';

/*
 * The recorded writes of a workflow's steps (issue 68, item 5): the one place the recorded-write
 * protocol (modules/seller-writes; source-writes.ts says what a source's answer means and how
 * recovery establishes a write) is invoked, for create_media_buy's
 * forward, update_media_buy's changes and sync_creatives' forward alike. A step that writes at
 * sources declares it (`records`); the runner hands it `Writes`, and only through them can it
 * send: each source's request is recorded (an intent) before the source is asked, and once the
 * workflow ends (answered or thrown) each write is settled by the outcome a step kept on its
 * subject (`kept`: the buy's legs, the creatives' forward). A write whose outcome was not kept
 * (the process died, a later record failed) stays open: recovery establishes it at its source
 * (settle/decisions.ts `sourceWriteResolvers`, sync-writes.ts), never a second booking.
 */

/** What a recorded-write step writes at sources: the writes' kind and the AdCP tool it sends. */
export interface Records {
  readonly kind: string;
  readonly tool: string;
}

/** One source's outcome as kept on the subject: a leg's status (unknown: left to recovery). */
export type KeptLeg = Pick<ForwardLeg, 'sourceId' | 'status' | 'error'>;

/** A step's writes about one subject: each request recorded before it is sent. */
export interface SubjectWrites {
  send: RecordedWrites['send'];
  /** What the sources said is kept on the subject now: each write is settled by it at the end. */
  kept(legs: readonly KeptLeg[]): void;
}

/** What the runner gives a step to write at sources with (a step not declaring `records` cannot). */
export interface Writes {
  about(deps: MerchandisingDeps, subject: WriteSubject): SubjectWrites;
}

interface Opened {
  deps: MerchandisingDeps;
  intents: RecordedWrites['intents'];
  kept?: readonly KeptLeg[];
}

/** A run's recorded writes: each step's `Writes`, and their settling when the run ends. */
export function writeLedger() {
  const opened: Opened[] = [];
  return {
    /** The writes `step` may make: those it declares, or none (using them is a wrong list). */
    of(step: string, records: Records | undefined): Writes {
      return {
        about(deps, subject) {
          if (!records) {
            throw new Error(`workflow: step "${step}" writes at sources without declaring records`);
          }
          const writes = recordedWrites(deps, subject, records.kind, records.tool);
          const entry: Opened = { deps, intents: writes.intents };
          opened.push(entry);
          return { send: writes.send, kept: (legs) => void (entry.kept = [...legs]) };
        },
      };
    },
    /** Settles each write whose outcome a step kept (source-writes.ts); the rest are recovery's. */
    async settle(): Promise<void> {
      for (const entry of opened.splice(0)) {
        if (entry.kept) await settleWrites(entry.deps, entry.intents, entry.kept);
      }
    },
  };
}

/** The intents a step's fan-out recorded, by source id. */
type SourceWrites = Map<string, WriteIntent>;
type RecordedWrites = ReturnType<typeof recordedWrites>;

/**
 * Records each source's write of `kind` about `subject` before the port is asked (`send`), and
 * gives tests their crash points around the call. A source whose key has a write still in
 * doubt is not asked again: its leg stays `unknown` until recovery settles it.
 */
function recordedWrites(
  deps: MerchandisingDeps,
  subject: WriteSubject,
  kind: string,
  tool: string,
) {
  const intents: SourceWrites = new Map();
  return {
    intents,
    async send<T>(
      port: InventorySource,
      request: { idempotency_key: string },
      call: () => Promise<SourceAnswer<T>>,
    ): Promise<SourceAnswer<T>> {
      const { intent, held } = await deps.writes.begin(
        {
          kind,
          subjectId: subject.subjectId,
          customerId: subject.customerId,
          target: targetOf(subject.storefrontId, port.source.sourceId),
          tool,
          idempotencyKey: request.idempotency_key,
          request: { ...request },
          expect: subject.expect,
        },
        callLeaseMs(budgetOf(deps)),
      );
      if (!held) {
        return {
          ok: false,
          error: sourceError(port.source, 'SERVICE_UNAVAILABLE', 'transient', writePending, {
            message: `An earlier request of this buy to inventory source "${port.source.name}" (${port.source.sourceId}) is still being established; it was not sent again`,
          }),
        };
      }
      intents.set(port.source.sourceId, intent);
      deps.writes.checkpoint(kind, 'before-call');
      const answer = await call();
      deps.writes.checkpoint(kind, 'after-answer');
      if (recoveryOf(sourceVerdict(answer)).resend === false) lookOnly.add(intent);
      return answer;
    },
  };
}

/** Writes whose source ran them and answered out of schema: recovery only looks them up. */
const lookOnly = new WeakSet<WriteIntent>();

/**
 * After a step kept its writes' outcomes on their subject (the buy's legs, the creatives'
 * forward): each source's write whose leg is known is settled, one whose leg is `unknown` (or
 * missing) is left to recovery.
 */
async function settleWrites(
  deps: MerchandisingDeps,
  intents: SourceWrites,
  legs: readonly KeptLeg[],
): Promise<void> {
  for (const [sourceId, intent] of intents) {
    const leg = legs.find((l) => l.sourceId === sourceId);
    if (!leg || leg.status === 'unknown') {
      const options = lookOnly.has(intent) ? { resend: false as const } : {};
      await deps.writes.unknown(intent, leg?.error?.message ?? 'No answer was recorded', options);
    } else {
      await deps.writes.settle(intent, leg.status === 'failed' ? 'refused' : 'answered');
    }
  }
}
