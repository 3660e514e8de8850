import { describe, expect, it } from 'vitest';
import { candidateOfProduct, rankForAsk, readAsk } from '../../src/sources/brief/index.js';

const priceOf = (brief: string) => {
  const ask = readAsk({ brief });
  return { maxCpm: ask.price.maxCpm, currency: ask.price.currency, budget: ask.budget };
};
const ceiling = (maxCpm: number, currency: string | null) => ({ maxCpm, currency, budget: null });

/**
 * Price and budget wording as planners write it (issue 71 item 3, w31), found on the fourth set
 * (bench/relevance/briefs-unseen4.ts): each case is the general reading, in words of its own. An
 * amount is a price when a word for "per thousand" stands beside it, whatever bounds it; a range's
 * upper bound is the ceiling; currencies come from the platform's locale data.
 */
describe('a CPM ceiling however it is written (w31)', () => {
  it('reads "per thousand" written out, before or after the amount', () => {
    expect(priceOf('Pre-roll at $12 a thousand or less')).toEqual(ceiling(12, 'USD'));
    expect(priceOf('Banners, max €6 per thousand impressions')).toEqual(ceiling(6, 'EUR'));
    expect(priceOf('Keep it under seven euros per 1,000')).toEqual(ceiling(7, 'EUR'));
  });

  it('reads the bound after the amount, a prefix, and a phrase between the CPM and its amount', () => {
    expect(priceOf('Half page, £15 CPM tops')).toEqual(ceiling(15, 'GBP'));
    expect(priceOf('Tech display, sub-$10 CPMs only')).toEqual(ceiling(10, 'USD'));
    expect(priceOf('Food display, CPM not to exceed $9')).toEqual(ceiling(9, 'USD'));
    expect(priceOf('Value display, floor prices below €9')).toEqual(ceiling(9, 'EUR'));
  });

  it("reads a range's upper bound as the ceiling, and no budget in it", () => {
    expect(priceOf('Online video, CPMs between 10 and 15 euros')).toEqual(ceiling(15, 'EUR'));
    expect(priceOf('CTV at €30-35 CPM')).toEqual(ceiling(35, 'EUR'));
  });

  it('reads currencies by their names and slang, and numbers in words', () => {
    expect(priceOf('Sport display, CPM under 10 quid')).toEqual(ceiling(10, 'GBP'));
    expect(priceOf('Mobile banners for under five dollars CPM')).toEqual(ceiling(5, 'USD'));
    expect(priceOf('CTV with a ceiling of 35 Swiss francs CPM')).toEqual(ceiling(35, 'CHF'));
  });

  it('reads the ceiling in the other supported languages', () => {
    expect(priceOf('Bannières, CPM inférieur à 8 €')).toEqual(ceiling(8, 'EUR'));
    expect(priceOf('Vídeo online, CPM no superior a 14 euros')).toEqual(ceiling(14, 'EUR'));
    expect(priceOf('Display sui siti di viaggi, CPM sotto i 10 euro')).toEqual(ceiling(10, 'EUR'));
    expect(priceOf('Online-Video, Tausenderpreis bis 25 €')).toEqual(ceiling(25, 'EUR'));
    expect(priceOf('Display, maximaal 9 euro per duizend')).toEqual(ceiling(9, 'EUR'));
  });

  it('reads a floor as no ceiling, unless it is negated', () => {
    expect(priceOf('Premium video, CPMs from £20').maxCpm).toBeNull();
    expect(priceOf('Sport MPUs, nothing over £10 CPM')).toEqual(ceiling(10, 'GBP'));
  });
});

describe('a budget however it is written (w31)', () => {
  it('reads "grand", "half a million" and words between "budget" and its amount', () => {
    expect(priceOf('Podcast test, 5 grand').budget).toBe(5_000);
    expect(priceOf('CTV, total budget half a million dollars').budget).toBe(500_000);
    expect(priceOf('Budget circa €50K, CTV').budget).toBe(50_000);
  });

  it('reads a budget and a ceiling in one brief apart', () => {
    expect(priceOf('Food display, $25k budget, CPM not to exceed $9')).toEqual({
      maxCpm: 9,
      currency: 'USD',
      budget: 25_000,
    });
  });
});

describe('a ceiling read leaves out what costs more (w31)', () => {
  it('leaves out a dearer product for "a thousand or less", and ranks the ones within', () => {
    const priced = (name: string, cpm: number) => ({
      name,
      channels: ['olv'],
      pricing_options: [
        { pricing_option_id: 'cpm', pricing_model: 'cpm', currency: 'USD', fixed_price: cpm },
      ],
    });
    const { ranked, excluded } = rankForAsk(
      [priced('Premium pre-roll', 20), priced('Standard pre-roll', 11)],
      readAsk({ brief: 'US pre-roll at $12 a thousand or less' }),
      candidateOfProduct,
    );
    expect(ranked.map((r) => r.item.name)).toEqual(['Standard pre-roll']);
    expect(excluded[0]!.match.excluded).toBe("CPM 20 above the brief's 12");
  });
});

describe('a flight does not lift a product of another topic (w31)', () => {
  it('ranks UK station screens of no topic above a UK sport pre-roll for a UK travel brief', () => {
    const winter = { start: '2026-11-01', end: '2027-03-31' };
    const { ranked } = rankForAsk(
      [
        {
          name: 'Sport pre-roll 15s',
          description: 'Premier League match reports, cricket and rugby (courier.co.uk)',
          channels: ['olv'],
          format_ids: [{ id: 'video_standard_15s' }],
          ext: { interchange: { countries: ['GB'], available: winter } },
        },
        {
          name: 'Kings Cross station screens',
          channels: ['dooh'],
          ext: { interchange: { countries: ['GB'], available: winter } },
        },
      ],
      readAsk({ brief: 'UK travel video over winter 2026/27' }, new Date('2026-11-15')),
      candidateOfProduct,
    );
    // Its dates cover the winter, as the screens' do; its topic is another, and that decides.
    expect(ranked.map((r) => r.item.name)).toEqual([
      'Kings Cross station screens',
      'Sport pre-roll 15s',
    ]);
  });
});
