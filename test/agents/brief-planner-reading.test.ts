import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { askOver, ids, reasonsOf, type Row } from './brief-planner-support.js';
import { listen } from './storefront-agent-support.js';

/**
 * A brief read as an agency planner reads it (issue 71, items 2 and 3), end to end over MCP with
 * the official client against a storefront over a spreadsheet: what the brief rules out is left
 * out (in English and German) and never a reason in favour; "new" is no topic; flights from month
 * ranges, halves, seasons and selling seasons, a row that cannot run through one ranked below; a
 * CPM ceiling and a "50k budget" or "15 thousand" (which makes a proposal); a podcast's mid-roll is audio, in the brief and in the upload; a description's
 * passing mention of video gives a display placement no video format. Bad input answers.
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

describe('what a brief rules out', () => {
  const sections: Row[] = [
    {
      id: 'spirits',
      name: 'Spirits and alcohol reviews MPU',
      collection: 'drinks',
      impressions: 9_000_000,
    },
    { id: 'casino', name: 'Casino und Wetten MPU', collection: 'spiele', impressions: 8_000_000 },
    { id: 'news', name: 'Breaking news MPU', collection: 'news', impressions: 7_000_000 },
    { id: 'family', name: 'Family days out MPU', collection: 'family', impressions: 1_000_000 },
    { id: 'garden', name: 'Gardening MPU', collection: 'home', impressions: 500_000 },
  ];

  it('leaves out what "no alcohol or gambling" names, and never counts it in favour', async () => {
    const answer = await ask(sections, 'MPU for a family brand, no alcohol or gambling');
    expect(ids(answer)).not.toContain('spirits');
    expect(ids(answer)).not.toContain('casino');
    expect(ids(answer)[0]).toBe('family');
    for (const p of answer.products)
      expect(p.ext?.interchange?.match?.reasons.join(' ')).not.toMatch(/alcohol|gambl/);
  });

  it('reads a German brief\'s "keine" the same way', async () => {
    const answer = await ask(sections, 'MPU, keine Glücksspiel- oder Alkoholwerbung');
    expect(ids(answer)).not.toContain('casino');
    expect(ids(answer)).not.toContain('spirits');
    expect(ids(answer)).toContain('family');
  });

  it('ranks what the brief would rather not have last, and says so', async () => {
    const answer = await ask(sections, 'MPU, we would prefer not to appear next to news');
    expect(ids(answer).at(-1)).toBe('news');
    expect(reasonsOf(answer, 'news').join(' ')).toContain('would rather not: topic news');
  });

  it('does not read "new" as the topic news', async () => {
    const answer = await ask(sections, 'MPU for a new product launch');
    expect(reasonsOf(answer, 'news').join(' ')).not.toMatch(/\bnews?\b/);
    expect(ids(answer)[0]).not.toBe('news');
  });
});

describe('flights as people write them', () => {
  it('reads "February through April" as the whole span, not April', async () => {
    const answer = await ask(
      [
        {
          id: 'april',
          name: 'Homepage MPU April',
          start: '2028-04-01',
          end: '2028-04-30',
          impressions: 9_000_000,
        },
        {
          id: 'february',
          name: 'Homepage MPU February',
          start: '2028-02-01',
          end: '2028-02-29',
          impressions: 8_000_000,
        },
        {
          id: 'spring',
          name: 'Homepage MPU spring',
          start: '2028-02-01',
          end: '2028-04-30',
          impressions: 1_000_000,
        },
      ],
      'MPU from February through April 2028',
    );
    expect(
      ids(answer)[0],
      JSON.stringify(answer.products.map((p) => [p.product_id, p.ext?.interchange?.match])),
    ).toBe('spring');
    expect(reasonsOf(answer, 'spring')).toContain('flight covered');
    expect(ids(answer)).toContain('february');
  });

  it('reads a season, a half and a selling season as the flight to rank by', async () => {
    const rows: Row[] = [
      {
        id: 'autumn',
        name: 'Homepage MPU one',
        start: '2028-09-01',
        end: '2028-11-30',
        impressions: 9_000_000,
      },
      {
        id: 'summer',
        name: 'Homepage MPU two',
        start: '2028-06-01',
        end: '2028-08-31',
        impressions: 1_000_000,
      },
      {
        id: 'firsthalf',
        name: 'Homepage MPU three',
        start: '2028-01-01',
        end: '2028-06-30',
        impressions: 500_000,
      },
    ];
    expect(ids(await ask(rows, 'MPU for a summer 2028 campaign'))[0]).toBe('summer');
    expect(ids(await ask(rows, 'MPU, H1 2028'))[0]).toBe('firsthalf');
    expect(ids(await ask(rows, 'MPU for Black Friday 2028'))[0]).toBe('autumn');
  });

  it('ranks a row its sheet says cannot run through the season below one that can', async () => {
    const answer = await ask(
      [
        {
          id: 'july',
          name: 'Travel guides MPU',
          collection: 'travel',
          start: '2028-07-01',
          end: '2028-07-31',
          impressions: 9_000_000,
        },
        { id: 'summer', name: 'Homepage MPU', start: '2028-06-01', end: '2028-08-31' },
      ],
      'Travel MPU for a summer 2028 campaign',
    );
    expect(
      ids(answer),
      JSON.stringify(answer.products.map((p) => [p.product_id, p.ext?.interchange?.match])),
    ).toEqual(['summer', 'july']);
    expect(reasonsOf(answer, 'july')).toContain('not available through the flight');
  });

  it('makes a proposal for "Black Friday" and a "50k budget", as for dates and "$50,000"', async () => {
    const answer = await ask(
      // 10M impressions at $8: room for the whole budget (a proposal never allocates more).
      [
        {
          id: 'bf',
          name: 'Deals MPU',
          start: '2028-11-01',
          end: '2028-12-31',
          cpm: 8,
          impressions: 10_000_000,
        },
      ],
      'Deals MPU for Black Friday 2028, 50k budget',
    );
    expect(answer.proposals?.length).toBeGreaterThan(0);
    expect(answer.proposals![0]!.total_budget_guidance?.recommended).toBe(50_000);
    // A budget written with a word for thousand ("15 thousand", "15 Tausend", "15 mille").
    const worded = await ask(
      [
        {
          id: 'bf',
          name: 'Deals MPU',
          start: '2028-11-01',
          end: '2028-12-31',
          cpm: 8,
          impressions: 10_000_000,
        },
      ],
      'Deals MPU for Black Friday 2028, a budget of 15 thousand dollars',
    );
    expect(worded.proposals![0]!.total_budget_guidance?.recommended).toBe(15_000);
  });
});

describe('price words', () => {
  it('leaves out what costs more than "below $8 CPM"', async () => {
    const answer = await ask(
      [
        {
          id: 'dear',
          name: 'Premium pre-roll',
          channel: 'olv',
          formats: 'pre-roll 30s',
          cpm: 14,
          impressions: 9_000_000,
        },
        { id: 'cheap', name: 'Standard pre-roll', channel: 'olv', formats: 'pre-roll 30s', cpm: 6 },
      ],
      'Pre-roll below $8 CPM',
    );
    expect(ids(answer)).toEqual(['cheap']);
  });

  it('ranks the cheapest first for "lowest-cost banners"', async () => {
    const answer = await ask(
      [
        { id: 'dear', name: 'Homepage banner', cpm: 20, impressions: 9_000_000 },
        { id: 'mid', name: 'Section banner', cpm: 12, impressions: 5_000_000 },
        { id: 'cheap', name: 'Run of site banner', cpm: 4 },
      ],
      'lowest-cost banners',
    );
    expect(ids(answer)[0]).toBe('cheap');
  });
});

describe('media words by medium', () => {
  it('reads a podcast mid-roll as audio, in the brief and in the upload', async () => {
    const answer = await ask(
      [
        {
          id: 'video-mid',
          name: 'Mid-roll 30s',
          channel: 'olv',
          formats: 'video 30s',
          impressions: 9_000_000,
        },
        { id: 'pod-mid', name: 'Mid-roll 30s', channel: 'podcast', formats: 'pre-roll 30s' },
      ],
      'Podcast mid-roll ads for true crime listeners',
    );
    expect(ids(answer)[0]).toBe('pod-mid');
    const pod = answer.products.find((p) => p.product_id.endsWith('pod-mid'))!;
    expect(pod.format_ids.map((f) => f.id)).toEqual(['audio_30s']);
  });

  it('gives a display placement no video format for a description mentioning videos', async () => {
    const answer = await ask(
      [
        {
          id: 'highlights',
          name: 'Sport highlights MPU',
          about: 'Scores, reports and highlights videos',
          impressions: 9_000_000,
        },
        { id: 'preroll', name: 'Sport pre-roll', channel: 'olv', formats: 'pre-roll 30s' },
      ],
      'Sport video',
    );
    expect(ids(answer)[0]).toBe('preroll');
    expect(reasonsOf(answer, 'highlights')).not.toContain('format video');
  });
});

describe('what a brief is about, in the markets words (w27)', () => {
  it('reads "l\'actualité sportive" as sport and "Autofans" as motoring, not news', async () => {
    const rows: Row[] = [
      { id: 'actu', name: 'Actualités MPU', collection: 'actualites', impressions: 9_000_000 },
      { id: 'sport', name: 'Sport MPU', collection: 'sport', impressions: 1_000_000 },
      { id: 'auto', name: 'Autowelt MPU', collection: 'auto', impressions: 500_000 },
    ];
    const french = await ask(rows, "Bannières sur l'actualité sportive");
    expect(ids(french)[0]).toBe('sport');
    expect(reasonsOf(french, 'actu')).not.toContain('topic news');
    expect(ids(await ask(rows, 'Autofans in Österreich erreichen'))[0]).toBe('auto');
  });
});

describe('exclusions and sizes as planners write them (w28)', () => {
  it('leaves out what "anything but" names, and ranks other sizes below the size asked', async () => {
    const sections: Row[] = [
      { id: 'news', name: 'Breaking news MPU', collection: 'news', impressions: 9_000_000 },
      { id: 'family', name: 'Family days out MPU', collection: 'family', impressions: 1_000_000 },
    ];
    const answer = await ask(sections, 'MPU for a soft drink, anything but news');
    expect(ids(answer)).toEqual(['family']);
    const sizes: Row[] = [
      {
        id: 'mpu',
        name: 'Finance, markets and investing MPU',
        collection: 'finance',
        impressions: 9_000_000,
      },
      {
        id: 'lb',
        name: 'Money leaderboard',
        formats: 'display_728x90',
        impressions: 1_000_000,
      },
    ];
    const ranked = ids(await ask(sizes, 'Leaderboards on finance, markets and investing sites'));
    expect(ranked).toEqual(['lb', 'mpu']);
  });
});

describe('bad input', () => {
  it('answers a 100 KB brief and a brief in an unknown language, never an error', async () => {
    const rows: Row[] = [{ id: 'one', name: 'Homepage MPU' }];
    const long = await ask(rows, `MPU ${'sport fans in the UK, '.repeat(4_600)}`);
    expect(ids(long)).toEqual(['one']);
    const polish = await ask(rows, 'Reklama wideo dla fanów piłki nożnej, bez alkoholu');
    expect(ids(polish)).toEqual(['one']);
  });
});
