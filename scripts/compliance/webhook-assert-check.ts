import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { pinVariable, prepareRunner, removeRunner } from './patches/runner-patch.js';
import { spec31Dir } from './spec31.js';

/**
 * A quick check of the 3.1 expect_webhook patch (webhook-assert-patch.ts), off any agent: the
 * patched runner's own receiver and assertion code, the steps as creative_lifecycle_webhooks
 * writes them, and webhooks POSTed by hand to the account-level subscriber URL. Prints each
 * case's outcome; exits 1 when one is not what the patch promises (absent, wrong payload, another
 * creative's, one from before the trigger: fail; the right one: pass; unpinned: 6.11's miss).
 *
 *   npx tsx scripts/compliance/webhook-assert-check.ts
 */
process.env['ADCP_COMPLIANCE_DIR'] = spec31Dir();
const cli = await prepareRunner();
const sdk = dirname(dirname(cli));
const load = createRequire(import.meta.url);
const lib = (file: string) => load(join(sdk, 'dist/lib/testing/storyboard', file));
const { executeWebhookAssertionStep } = lib('webhook-assertions.js');
const { createWebhookReceiver } = lib('webhook-receiver.js');
const { createRunnerVariables } = lib('context.js');

const yaml = parse(
  readFileSync(
    join(spec31Dir(), 'protocols/creative/scenarios/creative_lifecycle_webhooks.yaml'),
    'utf8',
  ),
);
const steps = yaml.phases.flatMap((p: { steps: Array<Record<string, unknown>> }) => p.steps);
const stepOf = (id: string) => ({
  ...steps.find((s: { id: string }) => s.id === id),
  timeout_seconds: 2,
});

const receiver = await createWebhookReceiver();
const runnerVars = createRunnerVariables({ webhookBase: receiver.base_url });
const opId = randomUUID();
runnerVars.stepOperationIds.set('creative_lifecycle_events', opId);
const url = `${receiver.base_url}/step/creative_lifecycle_events/${opId}`;
const starts = new Map<string, string>();
const runState = {
  priorStepResults: new Map(),
  webhookReceiver: receiver,
  runnerVars,
  stepRequestStarts: starts,
};
const options = { contracts: ['webhook_receiver_runner'] };

const statusChanged = (creativeId: string, extra: Record<string, unknown> = {}) => ({
  idempotency_key: `whk_${randomUUID().replace(/-/g, '')}`,
  notification_id: `cs_${randomUUID().slice(0, 8)}`,
  notification_type: 'creative.status_changed',
  fired_at: new Date().toISOString(),
  subscriber_id: 'buyer-primary',
  account_id: 'acc_1',
  creative_id: creativeId,
  transition: { from: 'approved', to: 'suspended', observed_at: new Date().toISOString() },
  reason_code: 'identity_authorization_expired',
  initiator: 'seller',
  ...extra,
});
const post = (body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const trigger = (id: string) => {
  starts.set(id, new Date().toISOString());
  return new Promise((resolve) => setTimeout(resolve, 5));
};
const run = async (id: string) => {
  const result = await executeWebhookAssertionStep(stepOf(id), 'p', {}, steps, options, runState);
  const failed = result.validations.find((v: { passed: boolean }) => !v.passed);
  return result.passed ? 'passed' : `failed ${failed?.actual?.code}: ${failed?.error}`;
};

const creative = 'acme_lifecycle_banner_001';
const cases: Array<[string, () => Promise<string>, RegExp]> = [
  [
    'absent',
    async () => (await trigger('force_creative_suspended'), run('expect_suspended_webhook')),
    /^failed no_webhook_received/,
  ],
  [
    'before the trigger',
    async () => {
      await post(statusChanged(creative));
      await trigger('force_creative_suspended');
      return run('expect_suspended_webhook');
    },
    /^failed no_webhook_received/,
  ],
  [
    'another creative',
    async () => {
      await trigger('force_creative_suspended');
      await post(statusChanged('another_creative'));
      return run('expect_suspended_webhook');
    },
    /^failed no_webhook_received/,
  ],
  [
    'no transition (schema)',
    async () => {
      await trigger('force_creative_suspended');
      await post({ ...statusChanged(creative), transition: undefined });
      return run('expect_suspended_webhook');
    },
    /^failed schema_violation/,
  ],
  [
    'no idempotency_key',
    async () => {
      await trigger('force_creative_suspended');
      await post({ ...statusChanged(creative), idempotency_key: undefined });
      return run('expect_suspended_webhook');
    },
    /^failed missing_idempotency_key/,
  ],
  [
    'the right one',
    async () => {
      await trigger('force_creative_suspended');
      await post(statusChanged(creative));
      return run('expect_suspended_webhook');
    },
    /^passed/,
  ],
  [
    'purged, no triggered_by',
    async () => {
      await trigger('force_creative_purged');
      await post({
        ...statusChanged(creative),
        notification_type: 'creative.purged',
        transition: undefined,
        initiator: 'seller',
        purge_kind: 'soft',
        purged_at: new Date().toISOString(),
        reason_code: 'retention_expired',
      });
      return run('expect_purged_webhook');
    },
    /^passed/,
  ],
  [
    'unpinned (6.11 as it was)',
    async () => {
      delete process.env[pinVariable];
      await trigger('force_creative_suspended');
      await post(statusChanged(creative));
      return run('expect_suspended_webhook');
    },
    /^failed no_webhook_received/,
  ],
];
process.env[pinVariable] = '3.1';
let wrong = 0;
for (const [name, check, expected] of cases) {
  const outcome = await check();
  const ok = expected.test(outcome);
  if (!ok) wrong++;
  console.log(`${ok ? 'ok  ' : 'WRONG'} ${name}: ${outcome.slice(0, 220)}`);
}
await receiver.close();
removeRunner();
process.exit(wrong === 0 ? 0 : 1);
