import type { RunnerPatch } from '../stock/citations.js';

/**
 * 3.1's account-level webhook receiver contract (core/webhook-challenge.json,
 * core/webhook-challenge-response.json): before a seller keeps a `notification_configs[]`
 * subscriber `active: true` it MUST POST a `webhook.challenge` to the URL, and the receiver
 * proves control by answering 2xx with the challenge echoed; when proof fails the seller MUST
 * answer the account entry `action: "failed"` (account/sync-accounts-request.json, "Activation
 * proof"). 3.1.19's creative_lifecycle_webhooks points a subscriber at the runner's receiver
 * ("The runner MUST host the webhook receiver contract") and expects it `active`; 6.11's
 * receiver predates the challenge and answers every POST with an empty 204, so a seller that
 * does the proof was graded failed for keeping the MUST, and one that skips it passed.
 *
 * Pinned run only, the copy's receiver answers a `webhook.challenge` POST 200 with
 * `{"challenge": …}`, not recorded as a delivered webhook (it is the handshake, not an event);
 * every other POST, and every POST of a 3.0.6 run, is recorded and answered as before. The
 * receiver does not verify the challenge's RFC 9421 signature: the storefront's is tested
 * against the SDK's verifier (test/agents/adcp31-feed-webhooks.test.ts).
 */
export function challengeEchoPatch(pinVariable: string): RunnerPatch {
  const anchor =
    "        const raw = Buffer.concat(chunks).toString('utf8');\n" +
    '        const headers = normalizeHeaders(req.headers);\n';
  return {
    cites: [
      {
        file: 'compliance/domains/creative/scenarios/creative_lifecycle_webhooks.yaml',
        quote:
          'The runner MUST host the webhook receiver contract so the account-level notification_configs[] URL can point at a per-step receiver.',
      },
      {
        file: 'schemas/core/webhook-challenge-response.json',
        quote:
          'The receiver must echo the challenge value from webhook-challenge.json in exactly one of `challenge` or `token`.',
      },
    ],
    file: 'dist/lib/testing/storyboard/webhook-receiver.js',
    find: anchor,
    replace:
      anchor +
      `        const interchangeChallenge = process.env.${pinVariable} ? parseBody(raw, headers['content-type']).body : undefined;\n` +
      "        if (interchangeChallenge?.type === 'webhook.challenge' && typeof interchangeChallenge.challenge === 'string') {\n" +
      '            res.statusCode = 200;\n' +
      "            res.setHeader('content-type', 'application/json');\n" +
      '            res.end(JSON.stringify({ challenge: interchangeChallenge.challenge }));\n' +
      '            return;\n' +
      '        }\n',
  };
}

/**
 * The receiver's half of 3.1's expect_webhook scoping (webhook-assert-patch.ts): a filter may
 * carry `since` (epoch ms, set only in the pinned run), and a webhook received before it does
 * not match. 6.11's filters never carry it, so a 3.0.6 run matches as before.
 */
export const sinceFilterPatch: RunnerPatch = {
  cites: [
    {
      file: 'compliance/universal/storyboard-schema.yaml',
      quote: 'triggered_by: <step_id> # earlier step whose task triggered this webhook',
    },
  ],
  file: 'dist/lib/testing/storyboard/webhook-receiver.js',
  find: 'function matchesFilter(webhook, filter) {\n',
  replace:
    'function matchesFilter(webhook, filter) {\n' +
    "    if (typeof filter.since === 'number' && webhook.received_at < filter.since)\n" +
    '        return false;\n',
};
