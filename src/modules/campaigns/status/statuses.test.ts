import { describe, expect, it } from 'vitest';
import { campaignStatusAfterExecute, statusFromSeller } from './statuses.js';

describe('the seller status mapping table', () => {
  it.each([
    [{ taskState: 'submitted' }, 'PENDING_APPROVAL', 'awaiting_storefront_approval'],
    [
      { taskState: 'working', adcpStatus: 'active' },
      'PENDING_APPROVAL',
      'awaiting_storefront_approval',
    ],
    [{ taskState: 'input-required' }, 'INPUT_REQUIRED', null],
    [{ taskState: 'failed' }, 'FAILED', null],
    [{ taskState: 'rejected' }, 'REJECTED', null],
    [{ taskState: 'canceled' }, 'CANCELED', null],
    [{ adcpStatus: 'pending_creatives' }, 'ACTIVE', 'no_creatives_attached'],
    [{ taskState: 'completed', adcpStatus: 'pending_start' }, 'ACTIVE', 'scheduled_not_started'],
    [{ adcpStatus: 'active' }, 'ACTIVE', null],
    [{ adcpStatus: 'paused' }, 'PAUSED', null],
    [{ adcpStatus: 'completed' }, 'COMPLETED', null],
    [{ adcpStatus: 'rejected' }, 'REJECTED', null],
    [{ adcpStatus: 'canceled' }, 'CANCELED', null],
    [{ taskState: 'completed' }, 'ACTIVE', null],
    [{ adcpStatus: 'something_new' }, 'ACTIVE', null],
  ])('maps %o to %s', (report, status, pendingReason) => {
    expect(statusFromSeller(report)).toEqual({ status, pendingReason });
  });

  it('lets the task state outrank a buy status the seller has not settled', () => {
    expect(statusFromSeller({ taskState: 'submitted', adcpStatus: 'rejected' }).status).toBe(
      'PENDING_APPROVAL',
    );
  });
});

describe('a campaign after execution', () => {
  it('turns ACTIVE once one buy is placed, and stays DRAFT when every buy failed', () => {
    expect(campaignStatusAfterExecute('DRAFT', ['FAILED', 'PENDING_APPROVAL'])).toBe('ACTIVE');
    expect(campaignStatusAfterExecute('DRAFT', ['FAILED', 'FAILED'])).toBe('DRAFT');
    expect(campaignStatusAfterExecute('PAUSED', ['ACTIVE'])).toBe('PAUSED');
  });
});
