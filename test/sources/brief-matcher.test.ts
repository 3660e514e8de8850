import { describe, expect, it } from 'vitest';
import {
  budgetOfBrief,
  candidateOfProduct,
  flightOfBrief,
  quarterOfBrief,
  rankForAsk,
  readAsk,
  termsOf,
} from '../../src/sources/brief/index.js';

/** The one brief matcher (issue 47, item 1): what it reads, what it leaves out, how it ranks. */
describe('the brief matcher', () => {
  it('reads the ad vocabulary one way, whichever spelling the brief or the product uses', () => {
    expect(termsOf('MPU')).toEqual(termsOf('medium rectangle'));
    expect(termsOf('MPU')).toEqual(termsOf('300 x 250'));
    expect(termsOf('leaderboard')).toEqual(['size:728x90']);
    // A placement reads as its family, and stays a term of its own: pre-roll is video, and a
    // pre-roll product is a closer match for a pre-roll brief than a mid-roll one.
    expect(termsOf('pre-roll')).toEqual(['video', 'preroll']);
    expect(termsOf('instream')).toEqual(['video', 'instream']);
    expect(termsOf('OTT')).toEqual(termsOf('connected TV'));
    expect(termsOf('sports podcasts in the UK')).toEqual(['sport', 'podcast', 'geo:GB']);
  });

  it('reads channels, countries, flight and budget from the brief, requirements from filters', () => {
    const ask = readAsk({
      brief: 'CTV and podcasts in the UK, 2026-12-01 to 2026-12-31, budget of $40k',
      filters: { channels: ['ctv'], countries: ['gb'] },
    });
    expect(ask.channels).toEqual(expect.arrayContaining(['ctv', 'podcast']));
    expect(ask.countries).toEqual(['GB']);
    expect(ask.flight?.start?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(ask.budget).toBe(40_000);
    expect(ask.required.channels).toEqual(['ctv']);
    expect(ask.required.countries).toEqual(['GB']);
    expect(flightOfBrief('Running in March 2027')?.end.toISOString()).toBe(
      '2027-03-31T23:59:59.999Z',
    );
    expect(budgetOfBrief('about 25,000 USD')).toBe(25_000);
    expect(budgetOfBrief('no money named')).toBeNull();
  });

  it('reads a quarter as the flight to plan and price by, never as a filter', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const iso = (brief: string) => {
      const q = quarterOfBrief(brief, now);
      return q && [q.start.toISOString().slice(0, 10), q.end.toISOString()];
    };
    // The storyboards' proposal brief: a quarter with no year is the next one not yet over.
    expect(iso('Q2 flight, $50K budget')).toEqual(['2027-04-01', '2027-06-30T23:59:59.999Z']);
    expect(iso('Q4 push')).toEqual(['2026-10-01', '2026-12-31T23:59:59.999Z']);
    expect(iso('q3 2028 launch')).toEqual(['2028-07-01', '2028-09-30T23:59:59.999Z']);
    expect(iso("Q1'27")).toEqual(['2027-01-01', '2027-03-31T23:59:59.999Z']);
    expect(iso('2027 Q3')).toEqual(['2027-07-01', '2027-09-30T23:59:59.999Z']);
    expect(iso('Q3 25 markets')?.[0]).toBe('2027-07-01');
    expect(iso('FAQ2 pages, IQ4 audiences')).toBeNull();
    const ask = readAsk({ brief: 'Premium video, Q2 flight, $50K budget' }, now);
    expect(ask.flight?.start?.toISOString()).toBe('2027-04-01T00:00:00.000Z');
    expect(ask.budget).toBe(50_000);
    expect(ask.required.flight).toBeNull();
    // Dates spelled out win over a quarter.
    expect(
      readAsk({ brief: 'Q2, 2027-05-01 to 2027-05-31' }, now).flight?.start?.toISOString(),
    ).toBe('2027-05-01T00:00:00.000Z');
  });

  it('leaves out what the filters plainly exclude, and says why', () => {
    const ask = readAsk({ brief: 'sports', filters: { channels: ['ctv'] } });
    const { ranked, excluded } = rankForAsk(
      [
        { name: 'Sports display', channels: ['display'] },
        { name: 'Sports CTV', channels: ['ctv'] },
        { name: 'Sports anything' },
      ],
      ask,
      (x) => x,
    );
    expect(ranked.map((r) => r.item.name)).toEqual(['Sports CTV', 'Sports anything']);
    expect(excluded).toHaveLength(1);
    expect(excluded[0]!.match.excluded).toContain('channel display');
  });

  it('a format_ids filter leaves out a v2-only product (format_options alone), keeps one whose formats are unknown', () => {
    const ask = readAsk({ filters: { format_ids: [{ id: 'pagination_display' }] } });
    const { ranked, excluded } = rankForAsk(
      [
        { name: 'Named', format_ids: [{ id: 'pagination_display' }] },
        { name: 'Other named', format_ids: [{ id: 'display_728x90' }] },
        { name: 'Canonical only', format_options: [{ format_kind: 'image' }] },
        { name: 'Unknown formats' },
      ],
      ask,
      candidateOfProduct,
    );
    expect(ranked.map((r) => r.item.name).sort()).toEqual(['Named', 'Unknown formats']);
    expect(excluded.map((e) => e.item.name).sort()).toEqual(['Canonical only', 'Other named']);
  });

  it('ranks structured matches above words, and a product named in full above all', () => {
    const products = [
      { name: 'Sports sports weekly video roundup', channels: ['display'] },
      { name: 'Homepage takeover', channels: ['display'], format_ids: [{ id: 'display_300x250' }] },
      { name: 'Weekend edition native article', channels: ['display'] },
      { name: 'Evening news', channels: ['ctv'], format_ids: [{ id: 'video_standard' }] },
    ];
    const order = (brief: string) =>
      rankForAsk(products, readAsk({ brief }), candidateOfProduct).ranked.map((r) => r.item.name);
    expect(order('connected TV')[0]).toBe('Evening news');
    expect(order('an MPU')[0]).toBe('Homepage takeover');
    expect(order('Weekend edition native article for sports weekly video fans')[0]).toBe(
      'Weekend edition native article',
    );
    const [best] = rankForAsk(
      products,
      readAsk({ brief: 'OTT pre-roll' }),
      candidateOfProduct,
    ).ranked;
    expect(best!.item.name).toBe('Evening news');
    expect(best!.match.reasons).toEqual(['channel ctv', 'format video']);
  });

  it('ranks a pre-roll product above other video for a pre-roll brief', () => {
    const products = [
      { name: 'Live events mid-roll', channels: ['olv'], format_ids: [{ id: 'video_15s' }] },
      { name: 'Run of site video', channels: ['olv'], format_ids: [{ id: 'video_30s' }] },
      { name: 'News pre-roll', channels: ['olv'], format_ids: [{ id: 'video_15s' }] },
    ];
    const ranked = rankForAsk(
      products,
      readAsk({ brief: 'Display banners and video pre-roll for a spring launch' }),
      candidateOfProduct,
    ).ranked;
    expect(ranked[0]!.item.name).toBe('News pre-roll');
    expect(ranked[0]!.match.reasons).toContain('words: video, preroll');
  });

  it('keeps the given order between equal matches (the source tie-break)', () => {
    const items = ['a', 'b', 'c'].map((name) => ({ name }));
    expect(rankForAsk(items, readAsk({ brief: '' }), (x) => x).ranked.map((r) => r.item)).toEqual(
      items,
    );
  });
});
