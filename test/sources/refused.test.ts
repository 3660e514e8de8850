import { describe, expect, it } from 'vitest';
import { sourceRefused } from '../../src/sources/refused.js';

const source = {
  id: 7,
  storefrontId: 3,
  sourceId: 'sheet',
  name: 'Spring sheet',
  executionType: 'MODULAR_SOURCE',
};

describe('one "source refused" error for every kind', () => {
  it('names the source in the details, with the kind’s code, words, field and reason', () => {
    expect(
      sourceRefused(source, {
        code: 'BUDGET_TOO_LOW',
        message: 'A budget of 1 buys no impression',
        field: 'packages[0].budget',
        recovery: 'correctable',
        retryAfter: 30,
        reason: 'tool_error',
        details: { minimum: 10 },
      }),
    ).toEqual({
      code: 'BUDGET_TOO_LOW',
      message: 'A budget of 1 buys no impression',
      field: 'packages[0].budget',
      recovery: 'correctable',
      retry_after: 30,
      details: {
        source_id: 'sheet',
        source_name: 'Spring sheet',
        reason: 'tool_error',
        minimum: 10,
      },
    });
  });

  it('leaves out what the kind does not say, and never lets its details rename the source', () => {
    const error = sourceRefused(source, {
      code: 'UNSUPPORTED_FEATURE',
      message: 'No creative library',
      field: '',
      details: { source_id: 'other', source_name: 'Other' },
    });
    expect(error).toEqual({
      code: 'UNSUPPORTED_FEATURE',
      message: 'No creative library',
      details: { source_id: 'sheet', source_name: 'Spring sheet' },
    });
    expect(Object.keys(error.details ?? {})).toEqual(['source_id', 'source_name']);
  });
});
