import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { askOver, ids, reasonsOf, type Row } from './brief-planner-support.js';
import { listen } from './storefront-agent-support.js';

/**
 * Price wording of w31 (issue 71 item 3) a buyer sees, end to end over MCP with the official
 * client against a storefront over a spreadsheet: "per thousand" written out and a range leave
 * out what costs more, and a budget in slang ("5 grand") makes a proposal as "$5,000" does.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const ask = (rows: Row[], brief: string) => askOver(h, base, rows, brief);
const preRolls: Row[] = [
  {
    id: 'dear',
    name: 'Premium pre-roll',
    channel: 'olv',
    formats: 'pre-roll 30s',
    cpm: 20,
    impressions: 9_000_000,
  },
  { id: 'cheap', name: 'Standard pre-roll', channel: 'olv', formats: 'pre-roll 30s', cpm: 11 },
];

describe('a planner reads price and budget wording (w31)', () => {
  it('leaves out what costs more than "$12 a thousand or less", and says the price is within', async () => {
    const answer = await ask(preRolls, 'US pre-roll at $12 a thousand or less');
    expect(ids(answer)).toEqual(['cheap']);
    expect(reasonsOf(answer, 'cheap')).toContain('CPM 11 within 12');
  });

  it('reads the upper bound of "CPMs between 10 and 15 dollars" as the ceiling', async () => {
    const answer = await ask(preRolls, 'Online video, CPMs between 10 and 15 dollars');
    expect(ids(answer)).toEqual(['cheap']);
  });

  it('makes a proposal for "5 grand", as for "$5,000"', async () => {
    const answer = await ask(
      [
        {
          id: 'mpu',
          name: 'Deals MPU',
          start: '2028-11-01',
          end: '2028-12-31',
          cpm: 8,
          impressions: 10_000_000,
        },
      ],
      'Deals MPU for Black Friday 2028, 5 grand to test',
    );
    expect(answer.proposals?.length).toBeGreaterThan(0);
    expect(answer.proposals![0]!.total_budget_guidance?.recommended).toBe(5_000);
  });
});
