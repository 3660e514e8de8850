import { describe, expect, it } from 'vitest';
import type { SpringServeCall } from '../../../src/modules/ad-servers/adapters/springserve/client.js';
import {
  MAX_LOOKUP_PAGES,
  findByName,
} from '../../../src/modules/ad-servers/adapters/springserve/trafficking.js';

describe('SpringServe name look-ups', () => {
  it('stop at a bound when the list answers full pages forever', async () => {
    let calls = 0;
    const endless = (async () => {
      calls++;
      return [{ id: calls, name: `other ${calls}` }];
    }) as SpringServeCall;
    await expect(findByName(endless, 'campaigns', 'Interchange acme', 1)).rejects.toMatchObject({
      code: 'ADAPTER_REFUSED',
    });
    expect(calls).toBe(MAX_LOOKUP_PAGES);
  });

  it('still finds a name on a later page and misses one on a short page', async () => {
    const pages = [[{ name: 'a' }, { name: 'b' }], [{ name: 'c' }]];
    const call = (async (_m: string, _p: string, input?: { query?: Record<string, unknown> }) =>
      pages[Number(input?.query?.['page']) - 1] ?? []) as SpringServeCall;
    expect(await findByName(call, 'campaigns', 'c', 2)).toEqual({ name: 'c' });
    expect(await findByName(call, 'campaigns', 'z', 2)).toBeUndefined();
  });
});
