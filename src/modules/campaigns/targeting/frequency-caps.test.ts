import { describe, expect, it } from 'vitest';
import { refusesFrequencyCap } from './frequency-caps.js';

/** A seller's refusal as the upstream client keeps it (its adcp_error as details). */
const refusal = (adcpError: Record<string, unknown>) => ({
  code: 'tool_error',
  message: String(adcpError['message']),
  details: adcpError,
});

describe('refusesFrequencyCap', () => {
  it('trusts the field a refusal names: the cap, or something else', () => {
    expect(
      refusesFrequencyCap(
        refusal({
          code: 'INVALID_REQUEST',
          message: 'not accepted',
          field: 'packages[0].targeting_overlay.frequency_cap',
        }),
      ),
    ).toBe(true);
    expect(
      refusesFrequencyCap(
        refusal({
          code: 'VALIDATION_ERROR',
          message: 'invalid',
          issues: [{ pointer: '/packages/1/targeting_overlay/frequency_cap', message: 'no' }],
        }),
      ),
    ).toBe(true);
    // Words about the cap do not count when the field says the budget was the problem.
    expect(
      refusesFrequencyCap(
        refusal({
          code: 'BUDGET_TOO_LOW',
          message: 'with this frequency cap the budget is too low',
          field: 'packages[0].budget',
        }),
      ),
    ).toBe(false);
  });

  it('reads a storefront’s refusal: its sources’ fields in forward_result', () => {
    const viaStorefront = {
      code: 'tool_error',
      message: 'refused',
      details: {
        code: 'INVALID_REQUEST',
        message: 'demo: refused',
        details: {
          forward_result: [
            {
              sourceId: 'demo',
              status: 'failed',
              error: {
                code: 'INVALID_REQUEST',
                message: 'refused',
                field: 'packages[0].targeting_overlay.frequency_cap',
              },
            },
          ],
        },
      },
    };
    expect(refusesFrequencyCap(viaStorefront)).toBe(true);
  });

  it('falls back to words only without a field, and only for UNSUPPORTED_FEATURE', () => {
    expect(
      refusesFrequencyCap(
        refusal({ code: 'UNSUPPORTED_FEATURE', message: 'frequency_cap is not supported' }),
      ),
    ).toBe(true);
    expect(
      refusesFrequencyCap(
        refusal({ code: 'INVALID_REQUEST', message: 'frequency cap and budget both wrong' }),
      ),
    ).toBe(false);
    expect(
      refusesFrequencyCap({ code: 'timeout', message: 'frequency_cap', details: undefined }),
    ).toBe(false);
  });
});
