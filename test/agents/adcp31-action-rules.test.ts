import { describe, expect, it } from 'vitest';
import {
  attemptedActions,
  refusedAction,
  resolveAvailableActions,
} from '../../src/agents/adcp31/index.js';

/*
 * AdCP 3.1's action rules as the storefront applies them (enums/media-buy-valid-action.json's
 * update_fields and rollups, core/media-buy-available-action.json, error-details/
 * action-not-allowed.json); the storefront agent's use of them is adcp31-actions.test.ts.
 */

const now = {
  end_time: '2099-07-31T23:59:59Z',
  packages: [
    { package_id: 'a', budget: 100 },
    { package_id: 'b', budget: 200 },
  ],
};

describe('which actions an update_media_buy amounts to', () => {
  it.each([
    [{ paused: true }, ['pause']],
    [{ paused: false }, ['resume']],
    [{ canceled: true }, ['cancel']],
    [{ end_time: '2099-08-31T23:59:59Z' }, ['extend_flight']],
    [{ end_time: '2099-06-30T23:59:59Z' }, ['shorten_flight']],
    [{ start_time: '2099-01-01T00:00:00Z' }, ['update_flight_dates']],
    [{ packages: [{ package_id: 'a', budget: 150 }] }, ['increase_budget']],
    [{ packages: [{ package_id: 'a', budget: 50 }] }, ['decrease_budget']],
    [
      {
        packages: [
          { package_id: 'a', budget: 150 },
          { package_id: 'b', budget: 150 },
        ],
      },
      ['reallocate_budget'],
    ],
    [{ packages: [{ package_id: 'a', budget: 100 }] }, []],
    [
      { packages: [{ package_id: 'a', targeting_overlay: { frequency_cap: {} } }] },
      ['update_frequency_caps'],
    ],
    [
      { packages: [{ package_id: 'a', targeting_overlay: { geo_countries: ['US'] } }] },
      ['update_targeting'],
    ],
    [{ packages: [{ package_id: 'a', pacing: 'even' }] }, ['update_pacing']],
    [{ packages: [{ package_id: 'a', canceled: true }] }, ['remove_packages']],
    [
      { packages: [{ package_id: 'a', creative_assignments: [] }] },
      ['update_creative_assignments'],
    ],
    [{ new_packages: [{}] }, ['add_packages']],
  ])('%j is %j', (request, expected) => {
    expect(attemptedActions(request, now).sort()).toEqual([...expected].sort());
  });
});

describe('the actions open on a buy, and the refusal of one that is not', () => {
  const template = [
    {
      action: 'pause' as const,
      modes: ['self_serve' as const],
      allowed_statuses: ['active' as const],
    },
    { action: 'cancel' as const, modes: ['self_serve' as const] },
    { action: 'extend_flight' as const, modes: ['self_serve' as const] },
  ];

  it('opens what every part allows, in the strictest mode any part gives', () => {
    const open = resolveAvailableActions(template, 'active', [
      { status: 'active' },
      {
        availableActions: [
          { action: 'pause', mode: 'self_serve' },
          { action: 'cancel', mode: 'requires_approval' },
        ],
      },
    ]);
    expect(open).toEqual([
      { action: 'pause', mode: 'self_serve' },
      { action: 'cancel', mode: 'requires_approval' },
    ]);
    expect(resolveAvailableActions(template, 'active', [])).toEqual([]);
  });

  it('names why: the status, the product, the buy, or the mode', () => {
    const open = resolveAvailableActions(template, 'paused', [
      { status: 'paused', validActions: ['cancel'] },
    ]);
    expect(open).toEqual([{ action: 'cancel', mode: 'self_serve' }]);
    expect(refusedAction(['pause'], template, 'paused', open)).toMatchObject({
      attempted_action: 'pause',
      reason: 'wrong_status',
      currently_available_actions: open,
    });
    expect(refusedAction(['extend_flight'], template, 'paused', open)?.reason).toBe(
      'not_supported_on_buy',
    );
    expect(refusedAction(['update_pacing'], template, 'paused', open)?.reason).toBe(
      'not_supported_on_product',
    );
    const approval = [{ action: 'cancel' as const, mode: 'requires_approval' as const }];
    expect(refusedAction(['cancel'], template, 'paused', approval)?.reason).toBe('mode_mismatch');
    expect(refusedAction(['cancel'], template, 'paused', open)).toBeUndefined();
  });
});
