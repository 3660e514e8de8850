import { describe, expect, it } from 'vitest';
import { untrackedFailures, type StepResult } from '../../scripts/compliance/runs.js';

/*
 * Issue 70 item 6: the 6.11 runner counts the `security` and `security_transport` tracks'
 * failures (signed_requests' vectors, security_baseline's assertion) in its summary but lists
 * them in no track, so the compliance report never showed them and the baseline could not name
 * them. They are now listed as failed steps, once: a failure of a storyboard the tracks list is
 * already a step.
 */
describe('failures the runner lists under no track', () => {
  const tracked: StepResult[] = [
    {
      scenario: 'media_buy_seller/create_buy',
      step: 'Create a media buy',
      task: 'create_media_buy',
      status: 'failed',
      message: 'PRODUCT_NOT_FOUND',
    },
  ];
  const output = {
    overall_status: 'partial',
    summary: { steps_passed: 1, steps_failed: 3, steps_skipped: 0 },
    tracks: [],
    failures: [
      {
        storyboard_id: 'media_buy_seller/create_buy',
        step_id: 'create',
        error: 'PRODUCT_NOT_FOUND',
      },
      {
        storyboard_id: 'signed_requests',
        step_id: 'positive-001-basic-post',
        step_title: 'Positive: basic POST, Ed25519',
        task: 'request_signing_probe',
        error: 'expected a 2xx status, got 404',
        validation: { description: 'Agent accepts positive vector 001-basic-post', actual: 404 },
      },
      {
        storyboard_id: 'security_baseline',
        step_id: 'assert_mechanism',
        step_title: 'Require auth_mechanism_verified from at least one path',
        error: 'Probe validations failed.',
      },
    ],
  };

  it('lists each as a failed step named storyboard/step_id › title, with its message', () => {
    expect(untrackedFailures(output, tracked)).toEqual([
      {
        scenario: 'signed_requests/positive-001-basic-post',
        step: 'Positive: basic POST, Ed25519',
        task: 'request_signing_probe',
        status: 'failed',
        message:
          'expected a 2xx status, got 404 | Agent accepts positive vector 001-basic-post (got 404)',
      },
      {
        scenario: 'security_baseline/assert_mechanism',
        step: 'Require auth_mechanism_verified from at least one path',
        task: '',
        status: 'failed',
        message: 'Probe validations failed.',
      },
    ]);
  });
});
