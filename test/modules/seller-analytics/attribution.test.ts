import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attributeEvents,
  type AttributableEvent,
  type AttributableRun,
} from '../../../src/modules/seller-analytics/runs/attribution.js';

const products = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5');
const buyer = fc.constantFrom(1, 2, 3);
// Few distinct instants, so equal timestamps (the tie rule) happen often.
const instant = fc.integer({ min: 0, max: 12 }).map((m) => new Date(Date.UTC(2026, 0, 1, 0, m)));

const runsArb = fc
  .array(
    fc.record({
      createdAt: instant,
      buyerCustomerId: fc.option(buyer, { nil: null, freq: 6 }),
      productIds: fc.uniqueArray(products, { maxLength: 3 }),
    }),
    { maxLength: 25 },
  )
  .map((rs) => rs.map((r, i): AttributableRun => ({ ...r, id: i + 1 })));
const eventsArb = fc
  .array(
    fc.record({
      createdAt: instant,
      buyerCustomerId: buyer,
      productIds: fc.uniqueArray(products, { maxLength: 3 }),
    }),
    { maxLength: 25 },
  )
  .map((es) => es.map((e, i): AttributableEvent => ({ ...e, id: 1000 + i })));

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((p) => b.includes(p));
const eligible = (run: AttributableRun, event: AttributableEvent) =>
  run.buyerCustomerId === event.buyerCustomerId &&
  run.createdAt.getTime() <= event.createdAt.getTime() &&
  overlaps(run.productIds, event.productIds);
const newer = (a: AttributableRun, b: AttributableRun) =>
  a.createdAt.getTime() > b.createdAt.getTime() ||
  (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id);

describe('last-touch product-overlap attribution', () => {
  it('gives each event to a run of the same buyer, not after it, sharing a product', () => {
    let attributed = 0;
    fc.assert(
      fc.property(runsArb, eventsArb, (runs, events) => {
        const result = attributeEvents(runs, events);
        for (const event of events) {
          const runId = result.get(event.id);
          // Left unattributed only when no run could take it.
          if (runId === undefined) {
            expect(runs.some((r) => eligible(r, event))).toBe(false);
            continue;
          }
          attributed += 1;
          expect(
            eligible(
              runs.find((r) => r.id === runId)!,
              event,
            ),
          ).toBe(true);
        }
      }),
    );
    // The generated cases did attribute events: the property was not met by attributing none.
    expect(attributed).toBeGreaterThan(0);
  });

  it('picks the latest such run; equal timestamps go to the run recorded last', () => {
    fc.assert(
      fc.property(runsArb, eventsArb, (runs, events) => {
        const result = attributeEvents(runs, events);
        for (const event of events) {
          const winner = runs.find((r) => r.id === result.get(event.id));
          for (const other of runs.filter((r) => eligible(r, event))) {
            expect(winner).toBeDefined();
            expect(other === winner || newer(winner!, other)).toBe(true);
          }
        }
      }),
    );
  });

  it('leaves an event unattributed exactly when no run qualifies', () => {
    fc.assert(
      fc.property(runsArb, eventsArb, (runs, events) => {
        const result = attributeEvents(runs, events);
        for (const event of events) {
          expect(result.has(event.id)).toBe(runs.some((r) => eligible(r, event)));
        }
      }),
    );
  });

  it('does not depend on the order runs and events arrive in', () => {
    fc.assert(
      fc.property(runsArb, eventsArb, fc.integer(), (runs, events, seed) => {
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x, i) => ({ x, k: (i * 7919 + seed) % 104729 }))
            .sort((a, b) => a.k - b.k)
            .map((y) => y.x);
        expect(attributeEvents(shuffle(runs), shuffle(events))).toEqual(
          attributeEvents(runs, events),
        );
      }),
    );
  });

  it('is not changed by runs recorded after the event, nor by another buyer’s runs', () => {
    fc.assert(
      fc.property(runsArb, eventsArb, (runs, events) => {
        const before = attributeEvents(runs, events);
        const late = runs.map((r, i) => ({
          ...r,
          id: 500 + i,
          createdAt: new Date(Date.UTC(2026, 0, 2)),
        }));
        const strangers = runs.map((r, i) => ({ ...r, id: 800 + i, buyerCustomerId: 99 }));
        expect(attributeEvents([...runs, ...late, ...strangers], events)).toEqual(before);
      }),
    );
  });

  it('never attributes to a run without a buyer, nor an event whose buy lists no product', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const later = new Date('2026-01-01T01:00:00Z');
    const runs = [
      { id: 1, createdAt: at, buyerCustomerId: null, productIds: ['p1'] },
      { id: 2, createdAt: at, buyerCustomerId: 7, productIds: ['p1'] },
    ];
    const result = attributeEvents(runs, [
      { id: 10, createdAt: later, buyerCustomerId: 7, productIds: [] },
      { id: 11, createdAt: later, buyerCustomerId: 7, productIds: ['p1'] },
    ]);
    expect([...result]).toEqual([[11, 2]]);
  });
});
