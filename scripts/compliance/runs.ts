import { DEFAULT_TOOLS } from '@adcp/sdk/conformance';
import { runCommand, tail } from './processes.js';
import type { Protocol, Target } from './server.js';
import { assessmentSeconds, run31, run31Stock, runnerInvocation } from './spec31.js';

/**
 * One storyboard or fuzz run through @adcp/sdk's CLI, and its result as this script reports it.
 * The runner exits 0 even when steps fail, so results are read from its JSON, never its status.
 */

const runTimeoutMs = 300_000;
// The 3.1 run is a whole assessment (every universal storyboard and the declared bundles).
const assessmentTimeoutMs = (assessmentSeconds + 60) * 1000;

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'moot';

// Skips that grade nothing missing: an either/or peer branch ran, or a peer step provided the
// state. Every other skip reason (missing_tool, missing_test_controller, prerequisite_failed…)
// means a step that should have run did not.
const mootSkipReasons = new Set(['peer_branch_taken', 'peer_substituted']);

export interface StepResult {
  /** `storyboard/phase` as the runner names it. */
  scenario: string;
  step: string;
  task: string;
  status: StepStatus;
  skipReason?: string;
  message?: string;
}

export interface StoryboardResult {
  kind: 'storyboard';
  storyboard: string;
  protocol: Protocol;
  url: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Skips that are not a gap ({@link mootSkipReasons}); already left out of `skipped`. */
  moot: number;
  overallStatus?: string;
  /** A run that graded nothing or crashed: counts as a failure. */
  error?: string;
  steps: StepResult[];
  serverStartMs?: number;
  /** How long the job's example seller took to start (0: none), beside the server's start. */
  sellerStartMs?: number;
  durationMs: number;
  raw?: unknown;
  serverLogTail?: string;
  /** What the harness did before the run (the idempotency storyboard's out-of-band seeding). */
  note?: string;
}

export interface FuzzResult {
  kind: 'fuzz';
  protocol: Protocol;
  url: string;
  seed: number;
  runs: number;
  failures: number;
  failureList: { tool: string; message: string }[];
  /** Tools of the fuzzer's default set the agent does not serve, so not fuzzed. */
  notServed: string[];
  error?: string;
  serverStartMs?: number;
  /** How long the job's example seller took to start (0: none), beside the server's start. */
  sellerStartMs?: number;
  durationMs: number;
  raw?: unknown;
  serverLogTail?: string;
  /** What the harness did before the run (the idempotency storyboard's out-of-band seeding). */
  note?: string;
}

export type Result = StoryboardResult | FuzzResult;

// The runner's JSON (ComplianceResult), as far as this script reads it.
interface RunnerStep {
  step: string;
  task: string;
  passed: boolean;
  skipped?: boolean;
  skip_reason?: string;
  error?: string;
  details?: string;
  warnings?: string[];
}
interface RunnerFailure {
  storyboard_id: string;
  step_id: string;
  step_title?: string;
  task?: string;
  error?: string;
  validation?: { description?: string; actual?: unknown };
}
export interface RunnerOutput {
  overall_status: string;
  summary: { steps_passed: number; steps_failed: number; steps_skipped: number };
  tracks: { scenarios: { scenario: string; steps: RunnerStep[] }[] }[];
  failures?: RunnerFailure[];
}

/**
 * The failures the runner counts in its summary but lists under no track (the `security` and
 * `security_transport` tracks of the 3.1.19 assessment: signed_requests' vectors,
 * security_baseline's assertion, comply_controller_mode_gate), as failed steps named
 * `storyboard/step_id › title`, so every miss the summary counts is listed and judged.
 */
export function untrackedFailures(parsed: RunnerOutput, steps: StepResult[]): StepResult[] {
  const scenarios = new Set(steps.map((step) => step.scenario));
  const tracked = (id: string) =>
    scenarios.has(id) || [...scenarios].some((scenario) => scenario.startsWith(`${id}/`));
  return (parsed.failures ?? [])
    .filter((failure) => !tracked(failure.storyboard_id))
    .map((failure) => ({
      scenario: `${failure.storyboard_id}/${failure.step_id}`,
      step: failure.step_title ?? failure.step_id,
      task: failure.task ?? '',
      status: 'failed' as const,
      message: [
        failure.error,
        failure.validation?.description &&
          `${failure.validation.description} (got ${JSON.stringify(failure.validation.actual ?? null)})`,
      ]
        .filter(Boolean)
        .join(' | '),
    }));
}

/** `runner` is the patched copy's adcp CLI (runner-patch.ts). */
export async function runStoryboard(
  runner: string,
  storyboard: string,
  protocol: Protocol,
  target: Target,
  invocation = runnerInvocation(storyboard),
): Promise<StoryboardResult> {
  const started = Date.now();
  const args = [
    'storyboard',
    'run',
    target.url,
    ...invocation.positional,
    '--json',
    '--allow-http',
  ];
  // The runner does not detect A2A from a URL ending in /a2a, so the protocol is always named.
  args.push('--protocol', protocol);
  // Hosts a loopback receiver so webhook steps (idempotency's among them) grade, not skip.
  args.push('--webhook-receiver');
  if (target.auth) args.push('--auth', target.auth);
  const assessment = storyboard === run31 || storyboard === run31Stock;
  const timeoutMs = assessment ? assessmentTimeoutMs : runTimeoutMs;
  const exit = await runCommand(process.execPath, [runner, ...args], timeoutMs, invocation);
  const base = { kind: 'storyboard' as const, storyboard, protocol, url: target.url };
  const durationMs = Date.now() - started;

  const parsed = parseJson<RunnerOutput>(exit.stdout);
  if (!parsed?.summary) {
    const error = `runner exited ${exit.code} without a result: ${tail(exit.stderr, 10)}`;
    return { ...base, passed: 0, failed: 0, skipped: 0, moot: 0, error, steps: [], durationMs };
  }
  const tracked = parsed.tracks.flatMap((track) =>
    track.scenarios.flatMap((scenario) => scenario.steps.map((s) => stepOf(scenario.scenario, s))),
  );
  const steps = [...tracked, ...untrackedFailures(parsed, tracked)];
  const { steps_passed, steps_failed, steps_skipped } = parsed.summary;
  const graded = steps_passed + steps_failed + steps_skipped;
  const moot = steps.filter((step) => step.status === 'moot').length;
  return {
    ...base,
    passed: steps_passed,
    failed: steps_failed,
    skipped: steps_skipped - moot,
    moot,
    overallStatus: parsed.overall_status,
    ...(graded === 0 && {
      error: `nothing graded (${parsed.overall_status}): ${failLines(exit.stderr)}`,
    }),
    steps,
    durationMs,
    raw: parsed,
  };
}

function stepOf(scenario: string, step: RunnerStep): StepResult {
  const base = { scenario, step: step.step, task: step.task };
  if (step.skipped) {
    const message = step.error ?? step.warnings?.[0];
    const status = mootSkipReasons.has(step.skip_reason ?? '') ? 'moot' : 'skipped';
    return { ...base, status, skipReason: step.skip_reason, message };
  }
  if (step.passed) return { ...base, status: 'passed' };
  // details lists every validation as "✓ …" or "✗ …", joined with "; ".
  const failedChecks = (step.details ?? '')
    .split(/; (?=[✓✗])/)
    .filter((check) => check.startsWith('✗'))
    .map((check) => check.slice(2));
  const message = [step.error, ...failedChecks].filter(Boolean).join(' | ');
  return { ...base, status: 'failed', message: message || 'failed (no message)' };
}

interface FuzzOutput {
  totalRuns: number;
  totalFailures: number;
  failures: {
    tool: string;
    verdict?: string;
    invariantFailures?: string[];
    response?: { error?: unknown };
  }[];
  /** The paired-probe invariant: unknown and inaccessible ids must get the same error. */
  uniformError?: { tool: string; verdict: string; differences?: string[] }[];
}

export async function runFuzz(
  runner: string,
  protocol: Protocol,
  target: Target,
  seed: number,
): Promise<FuzzResult> {
  const started = Date.now();
  const base = { kind: 'fuzz' as const, protocol, url: target.url, seed };
  const served = await servedTools(target, protocol);
  const tools = DEFAULT_TOOLS.filter((tool) => served.has(tool));
  const notServed = DEFAULT_TOOLS.filter((tool) => !served.has(tool));
  const args = ['fuzz', target.url, '--format', 'json', '--seed', String(seed)];
  args.push('--protocol', protocol, '--tools', tools.join(','));
  if (target.auth) args.push('--auth-token', target.auth);
  const exit = await runCommand(process.execPath, [runner, ...args], runTimeoutMs);
  const durationMs = Date.now() - started;
  const parsed = parseJson<FuzzOutput>(exit.stdout);
  if (!parsed || typeof parsed.totalFailures !== 'number') {
    const error = `fuzzer exited ${exit.code} without a result: ${tail(exit.stderr, 10)}`;
    return { ...base, runs: 0, failures: 0, failureList: [], notServed, error, durationMs };
  }
  const failureList = parsed.failures.map((failure) => ({
    tool: failure.tool,
    message: [
      failure.verdict,
      ...(failure.invariantFailures ?? []),
      typeof failure.response?.error === 'string' ? failure.response.error : undefined,
    ]
      .filter(Boolean)
      .join(' | '),
  }));
  for (const probe of parsed.uniformError ?? []) {
    if (probe.verdict !== 'fail') continue;
    const differences = (probe.differences ?? []).join('; ');
    failureList.push({ tool: probe.tool, message: `uniform-error invariant: ${differences}` });
  }
  return {
    ...base,
    runs: parsed.totalRuns,
    failures: failureList.length,
    failureList,
    notServed,
    ...(parsed.totalRuns === 0 && { error: 'the fuzzer made no calls' }),
    durationMs,
    raw: parsed,
  };
}

/** Tool names the agent lists: MCP tools/list, or the skills on the A2A agent card. */
async function servedTools(target: Target, protocol: Protocol): Promise<Set<string>> {
  const authorization = target.auth ? { authorization: `Bearer ${target.auth}` } : undefined;
  if (protocol === 'a2a') {
    const response = await fetch(`${target.url}/.well-known/agent-card.json`, {
      headers: { ...authorization },
    });
    const card = (await response.json()) as { skills?: { id: string }[] };
    return new Set((card.skills ?? []).map((skill) => skill.id));
  }
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...authorization,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  // A server may answer a POST with JSON or as an SSE stream (@adcp/sdk's example seller does):
  // the JSON-RPC message is then the `data:` line of its one event.
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('text/event-stream')
    ? (text
        .split('\n')
        .find((line) => line.startsWith('data:'))
        ?.slice('data:'.length) ?? '{}')
    : text;
  const body = JSON.parse(json) as { result?: { tools?: { name: string }[] } };
  return new Set((body.result?.tools ?? []).map((tool) => tool.name));
}

/** One job: a fresh server, one storyboard or fuzz run against it, the server stopped. */
export function isClean(result: Result): boolean {
  if (result.error) return false;
  return result.kind === 'fuzz' ? result.failures === 0 : result.failed + result.skipped === 0;
}

function parseJson<T>(text: string): T | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start)) as T;
  } catch {
    return undefined;
  }
}

function failLines(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /STORYBOARD-FAIL|^\s+- /.test(l));
  return (lines.length ? lines : stderr.trim().split('\n').slice(-5)).join(' ').trim();
}
