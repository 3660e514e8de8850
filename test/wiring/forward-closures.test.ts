import { describe, expect, it } from 'vitest';
import { forwardClosures } from '../../scripts/structure/forward-closures.js';

describe('closures in the composition that name a later const (npm run structure)', () => {
  it('finds a closure over a service built further down, and nothing else', () => {
    const text = `export function area(base) {
  const early = make({ later: () => later.run(), ok: (x) => x.later });
  function inner() { return later; }
  const later = make({ early });
  const fine = () => later.run();
  return { early, later, fine, inner };
}`;
    const found = forwardClosures([
      { file: 'src/wiring/area.ts', text },
      { file: 'src/modules/x/service.ts', text },
    ]);
    expect(found).toEqual(['src/wiring/area.ts:2: a closure names later, declared further down']);
  });
});
