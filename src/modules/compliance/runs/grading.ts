import type { RunnerReport, RunnerScenario, RunnerStep } from '../runner/types.js';
import { type StoryboardId, storyboardTitles } from '../storyboards.js';

/**
 * How a compliance run is graded, one track per storyboard (the storyboards' own scenarios,
 * `media_buy_seller/*`, count towards media_buy_seller).
 *
 * Every step the runner graded is kept and shown, but not every miss makes a source unfit to
 * sell: @adcp/sdk's own reference sellers miss steps (baseline.json lists them) and the runner
 * cannot grade some from here (a remote seller cannot reach the runner's webhook receiver). So
 * each storyboard names the steps it exists to verify, its **essential** steps: the products
 * answer for a brief and a buy is booked (media-buy storyboards), the answers match the AdCP
 * schemas (schema validation), errors carry the AdCP error envelope (error compliance), a
 * replayed request books nothing twice (idempotency). A track:
 *   - `fail`: an essential step failed, or every step it graded failed;
 *   - `partial`: other steps failed, or an essential step could not be graded (skipped);
 *   - `pass`: nothing failed and every essential step that exists passed;
 *   - `skip`: nothing was graded.
 * A run passes when no track fails (and the agent answered). Steps are named `phase/step` by
 * the storyboard's own ids; a test checks each still exists in the SDK's storyboards.
 */
export const essentialSteps: Record<StoryboardId, readonly string[]> = {
  capability_discovery: ['protocol_discovery/get_capabilities'],
  media_buy_seller: ['product_discovery/get_products_brief', 'create_buy/create_media_buy'],
  sales_non_guaranteed: ['product_discovery/get_products_brief', 'create_buy/create_media_buy'],
  sales_guaranteed: [
    'product_discovery/get_products_brief',
    'create_buy_submitted/create_media_buy',
  ],
  schema_validation: [
    'schema_compliance/get_products_schema',
    'schema_compliance/pricing_options_present',
  ],
  error_compliance: [
    'error_structure/validate_error_shape',
    'error_transport/validate_transport_binding',
  ],
  idempotency: [
    'replay_same_payload/create_media_buy_replay',
    'key_reuse_conflict/create_media_buy_conflict',
    'verify_media_buy_count/get_media_buys_dedup_check',
  ],
};

/** Skips that grade nothing missing: another branch ran, or the step does not apply. */
const mootSkips = new Set(['peer_branch_taken', 'peer_substituted', 'not_applicable']);

export type TrackStatus = 'pass' | 'fail' | 'partial' | 'skip';

export interface GradedTrack {
  /** The storyboard id. */
  track: string;
  label: string;
  status: TrackStatus;
  durationMs: number;
  stepsPassed: number;
  stepsFailed: number;
  stepsSkipped: number;
  failureReason?: string;
}

export interface GradedFailure {
  track: string;
  /** `storyboard/phase` as the runner names it. */
  scenario: string;
  stepId: string | null;
  step: string;
  task: string;
  /** An essential step of its track: this failure fails the track. */
  essential: boolean;
  error?: string;
  /** What the storyboard expects, in its own words. */
  expected?: string;
  /** The checks that failed, with the runner's hints. */
  checks: string[];
  /** The adcp CLI command that re-runs this step alone. */
  fix?: string;
}

export interface GradedRun {
  passed: boolean;
  summary: string;
  tracks: GradedTrack[];
  failures: GradedFailure[];
}

/** The track (storyboard) a runner scenario belongs to: `media_buy_seller/x/phase` → media_buy_seller. */
export function trackOf(scenario: string): string {
  return scenario.split('/')[0] ?? scenario;
}

const phaseOf = (scenario: string) => scenario.slice(scenario.lastIndexOf('/') + 1);
/** Whether the scenario is the storyboard's own phase (not one of its required scenarios). */
const ownPhase = (scenario: string) => scenario.split('/').length === 2;

export function gradeRun(report: RunnerReport, storyboards: readonly string[]): GradedRun {
  const byTrack = new Map<string, RunnerScenario[]>();
  for (const id of storyboards) byTrack.set(id, []);
  for (const scenario of report.scenarios) {
    const track = trackOf(scenario.scenario);
    byTrack.set(track, [...(byTrack.get(track) ?? []), scenario]);
  }
  const failures: GradedFailure[] = [];
  const tracks = [...byTrack].map(([track, scenarios]) =>
    gradeTrack(track, scenarios, report, failures),
  );
  const failing = tracks.filter((t) => t.status === 'fail');
  const graded = tracks.filter((t) => t.status !== 'skip');
  const passed = failing.length === 0 && graded.length > 0;
  return { passed, summary: summaryOf(passed, tracks), tracks, failures };
}

function gradeTrack(
  track: string,
  scenarios: RunnerScenario[],
  report: RunnerReport,
  failures: GradedFailure[],
): GradedTrack {
  const essential = new Set(essentialSteps[track as StoryboardId] ?? []);
  const isEssential = (scenario: string, step: RunnerStep) =>
    ownPhase(scenario) && step.id !== undefined && essential.has(`${phaseOf(scenario)}/${step.id}`);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const essentialFailed: string[] = [];
  const essentialSkipped: string[] = [];
  const otherFailed: string[] = [];
  for (const scenario of scenarios) {
    for (const step of scenario.steps) {
      const key = isEssential(scenario.scenario, step);
      if (step.skipped) {
        if (mootSkips.has(step.skipReason ?? '')) continue;
        skipped++;
        if (key) essentialSkipped.push(step.title);
        continue;
      }
      if (step.passed) {
        passed++;
        continue;
      }
      failed++;
      (key ? essentialFailed : otherFailed).push(step.title);
      failures.push(failureOf(track, scenario.scenario, step, key, report));
    }
  }
  const durationMs = scenarios.reduce((sum, s) => sum + s.durationMs, 0);
  const base = {
    track,
    label: storyboardTitles[track as StoryboardId] ?? track,
    durationMs,
    stepsPassed: passed,
    stepsFailed: failed,
    stepsSkipped: skipped,
  };
  if (passed + failed === 0) {
    return { ...base, status: 'skip', failureReason: 'No step could be graded' };
  }
  if (essentialFailed.length > 0 || passed === 0) {
    const what = essentialFailed.length ? essentialFailed : otherFailed;
    return { ...base, status: 'fail', failureReason: `Failed: ${listed(what)}` };
  }
  if (failed > 0) {
    return {
      ...base,
      status: 'partial',
      failureReason: `${failed} step(s) failed: ${listed(otherFailed)}`,
    };
  }
  if (essentialSkipped.length > 0) {
    return {
      ...base,
      status: 'partial',
      failureReason: `Not verified (skipped): ${listed(essentialSkipped)}`,
    };
  }
  return { ...base, status: 'pass' };
}

function failureOf(
  track: string,
  scenario: string,
  step: RunnerStep,
  essential: boolean,
  report: RunnerReport,
): GradedFailure {
  const storyboardId = scenario.slice(0, scenario.lastIndexOf('/'));
  const known = report.failures.find(
    (f) => f.storyboardId === storyboardId && (f.stepId === step.id || f.stepTitle === step.title),
  );
  const validation = known?.validation;
  const checks = step.failedChecks.length
    ? step.failedChecks
    : validation
      ? [
          `${validation.description}${validation.expected ? `: expected ${validation.expected}` : ''}` +
            `${validation.actual ? `, got ${validation.actual}` : ''}`,
        ]
      : [];
  return {
    track,
    scenario,
    stepId: step.id ?? null,
    step: step.title,
    task: step.task,
    essential,
    ...(step.error !== undefined && { error: step.error }),
    ...(known?.expected !== undefined && { expected: known.expected }),
    checks,
    ...(known?.fixCommand !== undefined && { fix: known.fixCommand }),
  };
}

function listed(titles: string[]): string {
  const shown = titles.slice(0, 3).join('; ');
  return titles.length > 3 ? `${shown} (+${titles.length - 3} more)` : shown;
}

function summaryOf(passed: boolean, tracks: GradedTrack[]): string {
  const count = (status: TrackStatus) => tracks.filter((t) => t.status === status).length;
  const failing = tracks.filter((t) => t.status === 'fail').map((t) => t.label);
  const counts = `${count('pass')} passing, ${count('partial')} partial, ${count('fail')} failing`;
  if (!passed && failing.length) return `Failed ${failing.join(', ')} (${counts})`;
  if (!passed) return `Nothing could be graded (${tracks.length} tracks)`;
  return `Compliant: ${counts} of ${tracks.length} tracks`;
}
