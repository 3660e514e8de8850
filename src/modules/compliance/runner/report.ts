import type * as Testing from '@adcp/sdk/testing';
import { type ComplianceResult, getComplianceStoryboardById } from '@adcp/sdk/testing';

/** The parts of @adcp/sdk/testing a run uses (the installed module or the patched copy). */
export type TestingModule = Pick<typeof Testing, 'comply' | 'createTestClient'>;
import type { RunnerReport, RunnerRequest, RunnerStep } from './types.js';

/** Longest text kept from one field of an agent's answer (error messages, values). */
const maxText = 600;

/**
 * The runner's result as the service keeps it: phases with their steps, the failures with the
 * storyboard's own expectation and fix command, and the observations, without the agents'
 * raw answers (observation_data, evidence) and with every credential redacted.
 */
export function reportOf(
  result: ComplianceResult,
  secrets: string[],
  seeding: string | undefined,
  durationMs: number,
): RunnerReport {
  const clean = (text: string | undefined) =>
    text === undefined ? undefined : redact(text, secrets).slice(0, maxText);
  const stepIds = stepIdLookup();
  return {
    overallStatus: result.overall_status,
    headline: result.summary.headline,
    scenarios: result.tracks.flatMap((track) =>
      track.scenarios.map((scenario) => ({
        scenario: scenario.scenario,
        passed: scenario.overall_passed,
        durationMs: Math.round(scenario.total_duration_ms ?? 0),
        steps: (scenario.steps ?? []).map((step): RunnerStep => ({
          ...withId(stepIds(scenario.scenario, step.step)),
          title: step.step,
          task: step.task ?? '',
          passed: step.passed === true,
          skipped: (step as { skipped?: boolean }).skipped === true,
          ...((step as { skip_reason?: string }).skip_reason !== undefined && {
            skipReason: (step as { skip_reason?: string }).skip_reason,
          }),
          ...(step.error !== undefined && { error: clean(step.error) }),
          failedChecks: failedChecksOf(step.details).map((c) => clean(c) as string),
          durationMs: Math.round(step.duration_ms ?? 0),
        })),
      })),
    ),
    failures: (result.failures ?? []).map((f) => ({
      storyboardId: f.storyboard_id,
      stepId: f.step_id,
      stepTitle: f.step_title,
      task: f.task,
      ...(f.error !== undefined && { error: clean(f.error) }),
      ...(f.expected !== undefined && { expected: f.expected.slice(0, 2000) }),
      ...(f.validation && {
        validation: {
          check: f.validation.check,
          description: f.validation.description,
          ...(f.validation.expected !== undefined && {
            expected: clean(JSON.stringify(f.validation.expected)),
          }),
          ...(f.validation.actual !== undefined && {
            actual: clean(JSON.stringify(f.validation.actual)),
          }),
        },
      }),
      fixCommand: clean(f.fix_command) as string,
    })),
    observations: result.observations.map((o) => ({
      category: o.category,
      severity: o.severity,
      message: clean(o.message) as string,
    })),
    storyboardsExecuted: result.storyboards_executed ?? [],
    controllerDetected: result.controller_detected === true,
    ...(seeding !== undefined && { seeding }),
    durationMs,
  };
}

const withId = (id: string | undefined) => (id === undefined ? {} : { id });

/**
 * The runner reports a step by its title within `storyboard/phase`; its id comes from the
 * storyboard definition the runner used (the SDK's compliance cache).
 */
function stepIdLookup(): (scenario: string, title: string) => string | undefined {
  const byScenario = new Map<string, Map<string, string>>();
  return (scenario, title) => {
    let titles = byScenario.get(scenario);
    if (!titles) {
      titles = new Map();
      const cut = scenario.lastIndexOf('/');
      const storyboard = cut > 0 ? getComplianceStoryboardById(scenario.slice(0, cut)) : undefined;
      const phase = storyboard?.phases.find((p) => p.id === scenario.slice(cut + 1));
      for (const step of phase?.steps ?? []) titles.set(step.title, step.id);
      byScenario.set(scenario, titles);
    }
    return titles.get(title);
  };
}

/** The runner lists each validation of a step as "✓ …" or "✗ …", joined with "; ". */
function failedChecksOf(details: string | undefined): string[] {
  return (details ?? '')
    .split(/; (?=[✓✗])/)
    .filter((check) => check.startsWith('✗'))
    .map((check) => check.slice(2));
}

function redact(text: string, secrets: string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
  return safe;
}

/**
 * The account the storyboards play (AdCP's fictional entities): the idempotency storyboard books
 * `test-product` at `test-pricing` (the 6.11.0 runner sends `default` when no discovery step
 * came first) under it, in sandbox.
 */
const sandboxAccount = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'pinnacle-agency.example',
  sandbox: true,
};

/**
 * Seeds the fixture the idempotency storyboard books through the agent's own test controller,
 * in the sandbox account: the storyboard names a product it never creates. Answers what was
 * done; a refusal is reported, not thrown (the storyboard then grades what it can).
 */
export async function seedFixtures(
  testing: TestingModule,
  request: RunnerRequest,
): Promise<string> {
  const client = testing.createTestClient(request.agentUrl, request.protocol, {
    ...(request.auth && { auth: request.auth }),
  });
  const seed = async (scenario: string, params: Record<string, unknown>) => {
    const raw = await client.executeTask('comply_test_controller', {
      scenario,
      params,
      account: sandboxAccount,
    });
    const answer = controllerAnswer(raw);
    if (answer?.success !== true) {
      throw new Error(`${scenario} refused${answer?.error ? `: ${String(answer.error)}` : ''}`);
    }
  };
  try {
    await seed('seed_product', {
      product_id: 'test-product',
      fixture: { delivery_type: 'non_guaranteed', channels: ['display'] },
    });
    for (const pricingOptionId of ['test-pricing', 'default']) {
      await seed('seed_pricing_option', {
        product_id: 'test-product',
        pricing_option_id: pricingOptionId,
        fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 10 },
      });
    }
    return 'seeded test-product (pricing options test-pricing, default) in a sandbox account';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const secrets = request.auth
      ? [request.auth.type === 'bearer' ? request.auth.token : request.auth.password]
      : [];
    return `fixture seeding failed: ${redact(message, secrets).slice(0, maxText)}`;
  }
}

/** The controller's answer inside the client's task result (MCP text content or parsed data). */
function controllerAnswer(raw: unknown): { success?: unknown; error?: unknown } | undefined {
  const data = (raw as { data?: unknown } | undefined)?.data as
    { content?: { text?: string }[]; success?: unknown; error?: unknown } | undefined;
  const text = data?.content?.[0]?.text;
  if (typeof text === 'string') {
    try {
      return JSON.parse(text) as { success?: unknown };
    } catch {
      return undefined;
    }
  }
  return data;
}
