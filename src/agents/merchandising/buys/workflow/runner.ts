import { type Records, writeLedger, type Writes } from './recorded.js';

export type { KeptLeg, Records, Writes } from './recorded.js';

/*
 * A buy as named steps (issue 68, item 5): create_media_buy and update_media_buy are each a list
 * of steps over one shared context, run in order by `runSteps`. A step is one of:
 * - a check: reads the context and throws an AdCP error at the field it refuses, or returns
 *   nothing (`check`);
 * - an effect: changes the context (what it found or wrote), or answers the buyer and ends the
 *   workflow (`{ answer }`). An effect that can be taken back says so with `undo`: when a later
 *   step throws, the runner undoes the steps that ran, last first, then rethrows. An effect at a
 *   source is a recorded write instead (`records`, recorded.ts): the runner records each source's
 *   request before it is sent and settles it by the outcome kept when the run ends; what a crash
 *   leaves open is established by recovery, never undone here.
 */

/** A step's result: nothing (go on), or the buyer's answer (the workflow ends with it). */
export type StepResult<A> = void | { answer: A };

/** One named step of a workflow over the context C, answering A. */
export interface Step<C, A> {
  readonly name: string;
  /** `writes`: how a step declaring `records` writes at sources (recorded.ts); others cannot. */
  run(context: C, writes: Writes): StepResult<A> | Promise<StepResult<A>>;
  /** Takes back what `run` did, when a later step fails. */
  undo?(context: C): void | Promise<void>;
  /** The step's effect is a recorded write at sources of this kind (recorded.ts). */
  readonly records?: Records;
}

/** A check's one signature: reads the context, throws an AdCP error at the field, or returns. */
export type Check<C> = (context: C) => void | Promise<void>;

/** A step that only checks. */
export const check = <C>(name: string, refuse: Check<C>): Step<C, never> => ({
  name,
  run: async (context) => {
    await refuse(context);
  },
});

/**
 * Runs the steps in order until one answers, and answers that. A step that throws ends the run:
 * the steps before it that have an `undo` are undone, last first (an undo that fails is reported
 * to `onError`, never instead of the step's error), and the step's error is thrown. A run no step
 * answered is a wrong list: an Error. Either way, once the run ends its recorded writes are
 * settled by the outcomes its steps kept (recorded.ts); those not kept are left to recovery.
 */
export async function runSteps<C, A>(
  workflow: string,
  steps: readonly Step<C, A>[],
  context: C,
  onError: (error: unknown, context: string) => void = reported,
): Promise<A> {
  const done: Step<C, A>[] = [];
  const writes = writeLedger();
  for (const step of steps) {
    let result: StepResult<A>;
    try {
      result = await step.run(context, writes.of(step.name, step.records));
    } catch (error) {
      // What the sources said and was kept is settled; the buyer gets the step's own error.
      await writes.settle().catch((failure: unknown) => onError(failure, `settling ${workflow}`));
      await undoAll(`${workflow} (${step.name})`, done, context, onError);
      throw error;
    }
    if (result) {
      await writes.settle();
      return result.answer;
    }
    done.push(step);
  }
  throw new Error(`${workflow}: no step answered (last: ${steps.at(-1)?.name ?? 'none'})`);
}

/**
 * One recorded write as a workflow of its own (an operator's approved forward, recovery's, a
 * creative sync's forward): `write` sends through `writes` and keeps what the sources said.
 */
export const runRecorded = <A>(
  name: string,
  records: Records,
  write: (writes: Writes) => Promise<A>,
  onError?: (error: unknown, context: string) => void,
): Promise<A> =>
  runSteps<undefined, A>(
    name,
    [{ name, records, run: async (_none, writes) => ({ answer: await write(writes) }) }],
    undefined,
    onError,
  );

async function undoAll<C, A>(
  failed: string,
  done: readonly Step<C, A>[],
  context: C,
  onError: (error: unknown, context: string) => void,
): Promise<void> {
  for (const step of [...done].reverse()) {
    if (!step.undo) continue;
    try {
      await step.undo(context);
    } catch (failure) {
      // The buyer is answered the step's own error; the failed undo is the operator's to see.
      onError(failure, `undoing "${step.name}" after ${failed} failed`);
    }
  }
}

const reported = (error: unknown, context: string) => console.error(context, error);

/** A context field a step sets for later ones: read before it is set is a wrong order. */
export function given<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`workflow: ${field} read before the step that sets it`);
  return value;
}
