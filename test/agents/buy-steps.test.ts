import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '@adcp/sdk/server';
import { check, runSteps, type Step } from '../../src/agents/merchandising/buys/workflow/runner.js';
import { createSteps } from '../../src/agents/merchandising/buys/create/create.js';
import { updateSteps } from '../../src/agents/merchandising/buys/update/update.js';
import type { MerchandisingDeps } from '../../src/agents/merchandising/deps.js';

/*
 * The buy as steps (issue 68, item 5): the runner's order and undo, and docs/buying.md's lists
 * of create_media_buy's and update_media_buy's steps held to the lists in the code.
 */

interface Trace {
  ran: string[];
  failUndo?: string;
}

const effect = (name: string, undoable = true): Step<Trace, string> => ({
  name,
  run: (t) => {
    t.ran.push(`run ${name}`);
  },
  ...(undoable && {
    undo: (t: Trace) => {
      t.ran.push(`undo ${name}`);
      if (t.failUndo === name) throw new Error(`undo ${name} broke`);
    },
  }),
});
const answer = (name: string): Step<Trace, string> => ({
  name,
  run: (t) => {
    t.ran.push(`run ${name}`);
    return { answer: name };
  },
});
const refusing = check<Trace>('refuse', (t) => {
  t.ran.push('run refuse');
  throw new InvalidRequestError('packages[1].budget', 'too small');
});

describe('runSteps', () => {
  it('runs the steps in order and answers with the first that answers; later steps never run', async () => {
    const trace: Trace = { ran: [] };
    const steps = [effect('a'), check<Trace>('ok', () => undefined), answer('b'), effect('c')];
    await expect(runSteps('t', steps, trace)).resolves.toBe('b');
    expect(trace.ran).toEqual(['run a', 'run b']);
  });

  it('a failing step undoes the steps that ran, last first, skips those without undo, and throws its own error', async () => {
    const trace: Trace = { ran: [] };
    const steps = [effect('a'), effect('b', false), effect('c'), refusing, effect('d')];
    const thrown = await runSteps('t', steps, trace).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(InvalidRequestError);
    expect(thrown).toMatchObject({ code: 'INVALID_REQUEST', field: 'packages[1].budget' });
    expect(trace.ran).toEqual(['run a', 'run b', 'run c', 'run refuse', 'undo c', 'undo a']);
  });

  it('an undo that fails is reported and the rest still undone; the buyer gets the step’s error', async () => {
    const trace: Trace = { ran: [], failUndo: 'c' };
    const reported: string[] = [];
    const steps = [effect('a'), effect('c'), refusing];
    const thrown = await runSteps('t', steps, trace, (_e, where) => reported.push(where)).catch(
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(InvalidRequestError);
    expect(trace.ran).toEqual(['run a', 'run c', 'run refuse', 'undo c', 'undo a']);
    expect(reported).toEqual(['undoing "c" after t (refuse) failed']);
  });

  it('a step that does not declare `records` cannot write at sources: the run fails before any write is recorded', async () => {
    // cast: the step never reaches deps (it is refused first), so no store stands behind them
    const deps = {} as MerchandisingDeps;
    const sneaky: Step<Trace, string> = {
      name: 'sneaky',
      run: (_t, writes) => {
        writes.about(deps, { subjectId: '1/mb_x', storefrontId: 1, customerId: 1 });
        return { answer: 'sent' };
      },
    };
    await expect(runSteps('t', [sneaky], { ran: [] })).rejects.toThrow(
      'workflow: step "sneaky" writes at sources without declaring records',
    );
  });

  it('a list no step answers is a wrong list, not a silent undefined', async () => {
    await expect(runSteps('t', [effect('a')], { ran: [] })).rejects.toThrow(/no step answered/);
  });
});

/** The names a docs/buying.md list under `### <tool>` gives, in order. */
function documented(tool: string): string[] {
  const doc = readFileSync(new URL('../../docs/buying.md', import.meta.url), 'utf8');
  const section = doc.split('\n## The buy as steps\n')[1]?.split('\n## ')[0] ?? '';
  const list = section.split(`\n### ${tool}\n`)[1]?.split('\n### ')[0] ?? '';
  return [...list.matchAll(/^\d+\. `([^`]+)`/gm)].map((m) => m[1]!);
}

describe('docs/buying.md "The buy as steps"', () => {
  it('lists create_media_buy’s steps as the code runs them', () => {
    expect(documented('create_media_buy')).toEqual(createSteps.map((s) => s.name));
  });

  it('lists update_media_buy’s steps as the code runs them', () => {
    expect(documented('update_media_buy')).toEqual(updateSteps.map((s) => s.name));
  });

  it('says which steps are recorded writes, as the code declares them', () => {
    const declared = (steps: readonly Step<never, unknown>[]) =>
      steps.filter((s) => s.records).map((s) => [s.name, s.records?.kind]);
    expect(declared(createSteps)).toEqual([
      ['idempotent resume', 'storefront.create_media_buy'],
      ['hand off or forward', 'storefront.create_media_buy'],
    ]);
    expect(declared(updateSteps)).toEqual([['send to sources', 'storefront.update_media_buy']]);
    const doc = readFileSync(new URL('../../docs/buying.md', import.meta.url), 'utf8');
    for (const name of ['idempotent resume', 'hand off or forward', 'send to sources']) {
      const line = doc.split(`\`${name}\`: `)[1]?.split(/\n\d+\. /)[0] ?? '';
      expect(line.replace(/\s+/g, ' '), name).toMatch(/recorded write/);
    }
  });
});
