import type { RunnerPatch } from '../stock/citations.js';

/**
 * 3.1.19's `expect_webhook` (universal/storyboard-schema.yaml, "Webhook-assertion steps": wait
 * for a webhook, "validate the payload, then apply the filter"), which 6.11's runner cannot run
 * as creative_lifecycle_webhooks writes it:
 * - 6.11 scopes the match to the URL minted for the `triggered_by` step
 *   (webhook-assertions.js buildFilter: `filter.step_id = triggered_by`). An account-anchored
 *   event (creative.status_changed, creative.purged) is triggered by a comply_test_controller
 *   call that minted no URL: the seller fires it at the account-level subscriber URL registered
 *   earlier as `{{runner.webhook_url:creative_lifecycle_events}}`, so 6.11 waited at a URL no
 *   seller could know and timed out, whatever the seller sent.
 * - it reads only `filter.body` and `filter.operation_id`, so the storyboard's flat filter
 *   (`notification_type`, `creative_id`, `subscriber_id` beside `triggered_by`) matched nothing
 *   it named: any webhook at the URL passed.
 * - it never validates the payload against `webhook_payload_schema_ref`.
 *
 * Pinned (3.1) run only; a 3.0.6 run is graded exactly as before:
 * - a filter's fields other than `operation_id` and `body` are payload fields, matched as
 *   `filter.body`'s dotted paths are (`body` wins where both name one);
 * - when `triggered_by` names a step that minted no receiver URL, or there is no `triggered_by`,
 *   the match is not held to one step's URL but to the run's receiver (every URL the run minted,
 *   the account-level subscriber's among them) and to what arrived since the triggering step's
 *   request started (with no `triggered_by`: since the last request the run sent), so an earlier
 *   step's webhook with the same filter is not taken for this one. A step whose `triggered_by`
 *   minted a URL keeps 6.11's per-step scope;
 * - the first matching webhook's payload is validated against the spec's own schema named by
 *   `webhook_payload_schema_ref` (the 3.1 schema files, through the runner's spec-schema loader
 *   in validations.js): a payload that fails is `schema_violation`.
 * No webhook matching within the window still fails `no_webhook_received`; a missing or malformed
 * idempotency_key still fails as before.
 */
export function webhookAssertPatches(pinVariable: string): RunnerPatch[] {
  const pinned = `process.env.${pinVariable}`;
  const cites = [
    {
      file: 'compliance/universal/storyboard-schema.yaml',
      quote:
        'Wait up to `timeout_seconds` (default 30) for a webhook delivered to the triggered receiver, validate the payload, then apply the filter.',
    },
    {
      file: 'compliance/domains/creative/scenarios/creative_lifecycle_webhooks.yaml',
      quote:
        'A webhook arrives at the account-level subscriber URL. Payload validates against creative-status-changed-webhook.json and carries: notification_type: creative.status_changed, subscriber_id: buyer-primary, creative_id: acme_lifecycle_banner_001',
    },
  ];
  const exportSpecSchema = {
    cites,
    file: 'dist/lib/testing/storyboard/validations.js',
    find: 'function validateResponseSchema(validation, ctx, taskResult) {\n    const taskName = ctx.taskName;',
    replace:
      'exports.interchangeSpecSchema = interchangeSpecSchema;\n' +
      'function validateResponseSchema(validation, ctx, taskResult) {\n    const taskName = ctx.taskName;',
  };
  const scopeFunction =
    'function interchangeScope31(filter, step, context, runnerVars, runState) {\n' +
    '    const resolved = step.filter ? (0, context_1.injectContext)({ __f: { ...step.filter } }, context, runnerVars).__f : undefined;\n' +
    '    const flat = {};\n' +
    "    for (const [key, value] of Object.entries(resolved && typeof resolved === 'object' ? resolved : {})) if (key !== 'operation_id' && key !== 'body') flat[key] = value;\n" +
    '    if (Object.keys(flat).length > 0) filter.body = { ...flat, ...(filter.body ?? {}) };\n' +
    '    if (step.triggered_by && runnerVars.stepOperationIds.has(step.triggered_by)) return;\n' +
    '    delete filter.step_id;\n' +
    '    const starts = runState.stepRequestStarts;\n' +
    '    const since = step.triggered_by ? starts?.get(step.triggered_by) : [...(starts?.values() ?? [])].pop();\n' +
    "    if (typeof since === 'string' && Number.isFinite(Date.parse(since))) filter.since = Date.parse(since);\n" +
    '}\n';
  const scopePatches = [
    {
      cites,
      file: 'dist/lib/testing/storyboard/webhook-assertions.js',
      find: 'function buildFilter(step, context, runnerVars) {',
      replace: scopeFunction + 'function buildFilter(step, context, runnerVars) {',
    },
    {
      cites,
      file: 'dist/lib/testing/storyboard/webhook-assertions.js',
      find: '    const filter = buildFilter(step, context, runnerVars);\n',
      replace:
        '    const filter = buildFilter(step, context, runnerVars);\n' +
        `    if (${pinned}) interchangeScope31(filter, step, context, runnerVars, runState);\n`,
    },
  ];
  const idempotencyAnchor =
    '    if (checkIdempotency) {\n' +
    '        const idempotencyCheck = assertIdempotencyKey(first);\n' +
    '        if (idempotencyCheck)\n' +
    '            return { validations: [idempotencyCheck], passed: false };\n' +
    '    }\n' +
    "    if (typeof capCount === 'number') {\n";
  const payloadSchemaPatch = {
    cites,
    file: 'dist/lib/testing/storyboard/webhook-assertions.js',
    find: idempotencyAnchor,
    replace: idempotencyAnchor.replace(
      "    if (typeof capCount === 'number') {\n",
      `    if (${pinned} && typeof step.webhook_payload_schema_ref === 'string') {\n` +
        "        const schema = require('./validations').interchangeSpecSchema?.(step.webhook_payload_schema_ref);\n" +
        '        const parsed = schema?.safeParse(first.body);\n' +
        '        if (parsed && !parsed.success)\n' +
        "            return singleFailure(step, 'schema_violation', 'Webhook payload does not validate against ' + step.webhook_payload_schema_ref + ': ' + parsed.error.issues.slice(0, 5).map((i) => '/' + i.path.join('/') + ' ' + i.message).join('; '), step.webhook_payload_schema_ref, first.body);\n" +
        '    }\n' +
        "    if (typeof capCount === 'number') {\n",
    ),
  };
  return [exportSpecSchema, ...scopePatches, payloadSchemaPatch];
}
