import { describe, expect, it } from 'vitest';
import { archiveNotConfirmed } from './archive-answer.js';

const answer = (...creatives: Array<Record<string, unknown>>) => ({ creatives });

describe('a sync_creatives answer to an archive', () => {
  it('confirms it when the creative is reported archived, or its action without a status', () => {
    expect(
      archiveNotConfirmed(
        answer({ creative_id: 'cr_1', action: 'updated', status: 'archived' }),
        'cr_1',
      ),
    ).toBeUndefined();
    expect(
      archiveNotConfirmed(answer({ creative_id: 'cr_1', action: 'updated' }), 'cr_1'),
    ).toBeUndefined();
  });

  it('does not when the creative is reported in another status', () => {
    expect(
      archiveNotConfirmed(
        answer({ creative_id: 'cr_1', action: 'updated', status: 'approved' }),
        'cr_1',
      ),
    ).toBe('it reported the creative approved, not archived');
    // The status of another creative in the answer says nothing about this one.
    expect(
      archiveNotConfirmed(
        answer(
          { creative_id: 'cr_2', action: 'updated', status: 'approved' },
          { creative_id: 'cr_1', action: 'unchanged', status: 'archived' },
        ),
        'cr_1',
      ),
    ).toBeUndefined();
  });

  it('does not when the action failed, giving the seller’s reason', () => {
    expect(
      archiveNotConfirmed(
        answer({
          creative_id: 'cr_1',
          action: 'failed',
          errors: [{ code: 'INVALID_STATE', message: 'Creative is locked' }],
        }),
        'cr_1',
      ),
    ).toBe('Creative is locked');
    expect(archiveNotConfirmed(answer({ creative_id: 'cr_1', action: 'failed' }), 'cr_1')).toBe(
      'it did not confirm the creative was archived',
    );
  });

  it('does not when the creative is missing from the results, unless told to accept that', () => {
    const other = answer({ creative_id: 'seller_9', action: 'created', status: 'approved' });
    expect(archiveNotConfirmed(other, 'cr_1')).toBe('its answer did not report the creative');
    expect(archiveNotConfirmed({}, 'cr_1')).toBe('its answer did not report the creative');
    expect(archiveNotConfirmed(other, 'cr_1', { missingConfirms: true })).toBeUndefined();
  });
});
