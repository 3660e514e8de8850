import { getComplianceStoryboardById } from '@adcp/sdk/testing';
import { describe, expect, it } from 'vitest';
import { essentialSteps, gradeRun } from './grading.js';
import type { RunnerReport, RunnerStep } from '../runner/types.js';
import { readOnlyTools } from '../runner/read-only.js';
import {
  readOnlyStoryboards,
  type StoryboardId,
  storyboardsFor,
  storyboardTitles,
} from '../storyboards.js';

const step = (id: string, outcome: 'passed' | 'failed' | 'skipped', skipReason?: string) =>
  ({
    id,
    title: `step ${id}`,
    task: 'create_media_buy',
    passed: outcome === 'passed',
    skipped: outcome === 'skipped',
    ...(skipReason && { skipReason }),
    failedChecks: outcome === 'failed' ? [`${id} check failed`] : [],
    durationMs: 1,
  }) satisfies RunnerStep;

const report = (scenarios: RunnerReport['scenarios']): RunnerReport => ({
  overallStatus: 'partial',
  headline: '',
  scenarios,
  failures: [],
  observations: [],
  storyboardsExecuted: [],
  controllerDetected: false,
  durationMs: 1,
});

describe('compliance grading', () => {
  it("names essential steps that exist in the SDK's storyboards", () => {
    for (const [storyboard, steps] of Object.entries(essentialSteps)) {
      const definition = getComplianceStoryboardById(storyboard);
      expect(definition, storyboard).toBeDefined();
      for (const key of steps) {
        const [phase, stepId] = key.split('/');
        const found = definition?.phases
          .find((p) => p.id === phase)
          ?.steps.some((s) => s.id === stepId);
        expect(found, `${storyboard}: ${key}`).toBe(true);
      }
    }
  });

  it('fails a track on an essential step, marks other misses partial, and passes the run only without a failing track', () => {
    const graded = gradeRun(
      report([
        {
          scenario: 'idempotency/replay_same_payload',
          passed: false,
          durationMs: 2,
          steps: [
            step('create_media_buy_initial', 'passed'),
            step('create_media_buy_replay', 'failed'),
          ],
        },
        {
          scenario: 'error_compliance/error_responses',
          passed: false,
          durationMs: 2,
          steps: [step('negative_budget', 'passed'), step('nonexistent_product', 'failed')],
        },
        {
          scenario: 'capability_discovery/protocol_discovery',
          passed: true,
          durationMs: 2,
          steps: [step('get_capabilities', 'passed')],
        },
      ]),
      ['capability_discovery', 'error_compliance', 'idempotency'],
    );
    const status = Object.fromEntries(graded.tracks.map((t) => [t.track, t.status]));
    expect(status).toEqual({
      capability_discovery: 'pass',
      error_compliance: 'partial',
      idempotency: 'fail',
    });
    expect(graded.passed).toBe(false);
    expect(graded.failures.find((f) => f.track === 'idempotency')).toMatchObject({
      essential: true,
      stepId: 'create_media_buy_replay',
      checks: ['create_media_buy_replay check failed'],
    });
    expect(graded.summary).toMatch(/^Failed Idempotency/);
  });

  it('counts an essential step that could not run as not verified, and moot skips as nothing', () => {
    const graded = gradeRun(
      report([
        {
          scenario: 'idempotency/replay_same_payload',
          passed: true,
          durationMs: 2,
          steps: [
            step('create_media_buy_initial', 'passed'),
            step('create_media_buy_replay', 'skipped', 'prerequisite_failed'),
            step('no_duplicate_webhooks_on_replay', 'skipped', 'not_applicable'),
          ],
        },
      ]),
      ['idempotency', 'schema_validation'],
    );
    expect(graded.tracks[0]).toMatchObject({
      track: 'idempotency',
      status: 'partial',
      stepsSkipped: 1,
      failureReason: expect.stringMatching(/^Not verified/),
    });
    expect(graded.tracks[1]).toMatchObject({ track: 'schema_validation', status: 'skip' });
    expect(graded.passed).toBe(true);
  });

  it('chooses storyboards by what a source says it does', () => {
    expect(storyboardsFor(null, { bookings: true })).toEqual(['capability_discovery']);
    const seller = {
      tools: ['get_products', 'create_media_buy'],
      specialisms: ['sales-guaranteed'],
    } as Parameters<typeof storyboardsFor>[0];
    // Without bookings (no sandbox, no leave) only what reads is played.
    expect(storyboardsFor(seller, { bookings: false })).toEqual(['capability_discovery']);
    expect(storyboardsFor(seller, { bookings: true })).toEqual([
      'capability_discovery',
      'media_buy_seller',
      'sales_guaranteed',
      'schema_validation',
      'error_compliance',
      'idempotency',
    ]);
    expect(Object.keys(essentialSteps).sort()).toEqual(Object.keys(storyboardTitles).sort());
  });

  it("plays without bookings exactly the storyboards whose every step, in the SDK's storyboards, only reads", () => {
    const tasksOf = (id: string, seen = new Set<string>()): string[] => {
      if (seen.has(id)) return [];
      seen.add(id);
      const definition = getComplianceStoryboardById(id);
      expect(definition, id).toBeDefined();
      const own = (definition?.phases ?? []).flatMap((p) => p.steps.map((s) => s.task));
      const required = (definition?.requires_scenarios ?? []).flatMap((s) => tasksOf(s, seen));
      return [...own, ...required];
    };
    // Pseudo-tasks the runner plays itself (assertions, webhook waits) call no tool.
    const callsATool = (task: string) => !/^(assert_|expect_)/.test(task);
    for (const id of Object.keys(storyboardTitles) as StoryboardId[]) {
      const writes = tasksOf(id).filter((t) => callsATool(t) && !readOnlyTools.has(t));
      expect(readOnlyStoryboards.has(id), `${id}: ${writes.join(', ')}`).toBe(writes.length === 0);
    }
    // Reading the SDK's storyboard files takes seconds each on a loaded machine.
  }, 240_000);
});
