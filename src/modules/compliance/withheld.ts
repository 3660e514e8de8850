import type { GradedRun } from './runs/grading.js';
import type { RunnerObservation } from './runner/types.js';
import { type StoryboardId, storyboardTitles } from './storyboards.js';

/*
 * How a run reports the storyboards it left out because they would book for real (no sandbox
 * declared, no leave from the seller): each as a `skip` track saying why, a note in the
 * summary, and an observation saying how to have them run. Nothing is failed for them: the
 * source is judged on what was played.
 */

const reason =
  'Not run: it books, changes or traffics buys, and this source declares no sandbox ' +
  '(get_adcp_capabilities account.sandbox) nor has its seller allowed booking runs';

export function withWithheld(graded: GradedRun, withheld: readonly StoryboardId[]): GradedRun {
  if (withheld.length === 0) return graded;
  const skipped = withheld.map((track) => ({
    track,
    label: storyboardTitles[track],
    status: 'skip' as const,
    durationMs: 0,
    stepsPassed: 0,
    stepsFailed: 0,
    stepsSkipped: 0,
    failureReason: reason,
  }));
  return {
    ...graded,
    summary: `${graded.summary}; not run without a sandbox: ${withheld.map((id) => storyboardTitles[id]).join(', ')}`,
    tracks: [...graded.tracks, ...skipped],
  };
}

export function withheldObservation(withheld: readonly StoryboardId[]): RunnerObservation {
  return {
    category: 'sandbox',
    severity: 'warning',
    message:
      `${withheld.length} storyboard(s) were not run (${withheld.join(', ')}): they book at the ` +
      'source, which declares no sandbox. If it honours sandbox: true, or its bookings may ' +
      'stand, allow them: PUT /api/v2/storefront/inventory-sources/{sourceId}/compliance-settings ' +
      '{"allowBookingStoryboards": true}',
  };
}
