/**
 * What crosses between the service and the runner's worker thread: plain, structured-cloneable
 * data only. The credential travels in memory to the worker and nowhere else.
 */

export type RunnerAuth =
  { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

export interface RunnerRequest {
  agentUrl: string;
  protocol: 'mcp' | 'a2a';
  auth: RunnerAuth | undefined;
  storyboards: string[];
  /** The storyboards stop starting new work after this; the worker is ended a little later. */
  timeoutMs: number;
  /** The guarded client's policy, as the instance applies it to every other outbound call. */
  allowPrivateNetwork: boolean;
  trustedHosts: string[];
  /**
   * Whether the run may call tools that book, change or traffic buys (the source declares a
   * sandbox, or its seller allowed it); without, only read-only tools leave (read-only.ts).
   */
  bookings: boolean;
  /**
   * Seed the fixture the idempotency storyboard books (`test-product`) through the agent's
   * comply_test_controller in a sandbox account first: the storyboard assumes it exists.
   */
  seedFixtures: boolean;
}

/** One step as the runner graded it (ids are the storyboard's own). */
export interface RunnerStep {
  /** The step's id in its storyboard; undefined for a step the storyboard does not name. */
  id?: string;
  title: string;
  task: string;
  passed: boolean;
  skipped: boolean;
  skipReason?: string;
  error?: string;
  /** The validations that failed, each with the runner's hint when it gave one. */
  failedChecks: string[];
  durationMs: number;
}

/** One phase of one storyboard (`scenario` is `storyboard_id/phase_id`, or the storyboard id). */
export interface RunnerScenario {
  scenario: string;
  passed: boolean;
  durationMs: number;
  steps: RunnerStep[];
}

export interface RunnerFailure {
  storyboardId: string;
  stepId: string;
  stepTitle: string;
  task: string;
  error?: string;
  /** What the storyboard expects of this step, in its own words. */
  expected?: string;
  validation?: { check: string; description: string; expected?: string; actual?: string };
  fixCommand: string;
}

export interface RunnerObservation {
  category: string;
  severity: 'info' | 'suggestion' | 'warning' | 'error';
  message: string;
}

export interface RunnerReport {
  overallStatus: string;
  headline: string;
  scenarios: RunnerScenario[];
  failures: RunnerFailure[];
  observations: RunnerObservation[];
  storyboardsExecuted: string[];
  controllerDetected: boolean;
  /** What the fixture seeding did, when it was asked for. */
  seeding?: string;
  durationMs: number;
}

export type RunnerOutcome =
  | { ok: true; report: RunnerReport }
  /** `unreachable`: the agent did not answer capability discovery; `error`: the run failed. */
  | { ok: false; kind: 'unreachable' | 'auth_required' | 'timeout' | 'error'; message: string };
