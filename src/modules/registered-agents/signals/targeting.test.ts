import { describe, expect, it } from 'vitest';
import { signalConfigInput, signalOverlay } from './targeting.js';

describe('signal targeting in audienceConfig', () => {
  it('becomes AdCP signal targeting: targeted included, suppressed excluded', () => {
    const config = signalConfigInput.parse({
      targetSignalIds: ['tridentauto.example:likely_ev_buyers'],
      suppressSignalIds: ['meridiangeo.example:competitor_visitors'],
    });
    expect(signalOverlay(config)).toEqual({
      signal_targeting: [
        {
          signal_id: {
            source: 'catalog',
            data_provider_domain: 'tridentauto.example',
            id: 'likely_ev_buyers',
          },
          value_type: 'binary',
          value: true,
        },
        {
          signal_id: {
            source: 'catalog',
            data_provider_domain: 'meridiangeo.example',
            id: 'competitor_visitors',
          },
          value_type: 'binary',
          value: false,
        },
      ],
    });
    expect(signalOverlay({})).toBeUndefined();
  });

  it('refuses a signal both targeted and suppressed, and ids not in the catalog form', () => {
    const both = signalConfigInput.safeParse({
      targetSignalIds: ['a.example:x'],
      suppressSignalIds: ['a.example:x'],
    });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.path).toEqual(['suppressSignalIds', 0]);
    const bad = signalConfigInput.safeParse({ targetSignalIds: ['no colon here'] });
    expect(bad.error?.issues[0]?.path).toEqual(['targetSignalIds', 0]);
  });
});
