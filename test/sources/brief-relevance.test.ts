import { describe, expect, it } from 'vitest';
import {
  budgetOfBrief,
  candidateOfProduct,
  rankForAsk,
  readAsk,
  termsOf,
} from '../../src/sources/brief/index.js';

const order = (brief: string, products: Parameters<typeof candidateOfProduct>[0][]) =>
  rankForAsk(products, readAsk({ brief }), candidateOfProduct).ranked.map((r) => r.item.name);

/**
 * What the matcher learned from the relevance set (bench/relevance.ts, issue 47 item 6): each
 * improvement in its own case, over products shaped as the kinds answer them.
 */
describe('the brief matcher reads where, what about, and through the platforms', () => {
  it('reads a country from its name in other languages, its adjective, a city or its capital ISO code', () => {
    expect(readAsk({ brief: 'Werbung auf Smart-TVs in Deutschland' }).countries).toEqual(['DE']);
    expect(readAsk({ brief: 'German business news' }).countries).toEqual(['DE']);
    expect(readAsk({ brief: 'Screens in London' }).countries).toEqual(['GB']);
    expect(readAsk({ brief: 'Pre-roll in the US' }).countries).toEqual(['US']);
    // Lower-case words that are also codes stay words; "IT" is information technology.
    expect(readAsk({ brief: 'show it to us' }).countries).toEqual([]);
    expect(readAsk({ brief: 'IT decision makers' }).countries).toEqual([]);
  });

  it("ranks a product in the asked country above one its publisher's domain puts elsewhere", () => {
    const products = [
      { name: 'Sport MPU', publisher_properties: [{ publisher_domain: 'dailycourier.co.uk' }] },
      { name: 'Sport MPU', publisher_properties: [{ publisher_domain: 'morgenblatt.de' }] },
      { name: 'Sport MPU', description: 'German football fans' },
    ];
    const ranked = rankForAsk(
      products,
      readAsk({ brief: 'MPU for sports fans in Germany' }),
      candidateOfProduct,
    ).ranked;
    const domains = ranked.map((r) => r.item.publisher_properties?.[0]?.publisher_domain);
    expect(domains.slice(0, 2)).toEqual(expect.arrayContaining(['morgenblatt.de', undefined]));
    expect(domains[2]).toBe('dailycourier.co.uk');
    expect(ranked[2]!.match.reasons).toContain('serves GB');
  });

  it('never leaves out a product over the country its domain implies (only a declared one)', () => {
    const ask = readAsk({ brief: '', filters: { countries: ['US'] } });
    const { ranked, excluded } = rankForAsk(
      [{ name: 'Sport MPU', publisher_properties: [{ publisher_domain: 'morgenblatt.de' }] }],
      ask,
      candidateOfProduct,
    );
    expect(ranked).toHaveLength(1);
    expect(excluded).toHaveLength(0);
  });

  it('reads topics across languages: football fans meet a Calcio section, not a Cucina one', () => {
    expect(
      order('Football fans in Italy', [
        { name: 'Cucina MPU' },
        { name: 'Calcio MPU' },
        { name: 'Run of site MPU' },
      ]),
    ).toEqual(['Calcio MPU', 'Run of site MPU', 'Cucina MPU']);
  });

  it('folds accents, so "series" meets "Séries"', () => {
    expect(termsOf('Séries')).toEqual(termsOf('series'));
    expect(termsOf('München')).toEqual(termsOf('munchen'));
  });

  it('reads a social platform as the social channel', () => {
    expect(readAsk({ brief: 'Instagram and TikTok vertical video' }).channels).toContain('social');
    expect(
      order('Snapchat for Gen Z in the UK', [
        { name: 'London breakfast show', channels: ['radio'] },
        { name: "Snap Ads between friends' Stories", channels: ['social'] },
      ])[0],
    ).toBe("Snap Ads between friends' Stories");
  });

  it('reads a word followed by a colon as the word', () => {
    expect(termsOf('Reach gamers: in-game ads')).toEqual(termsOf('Reach gamers in-game ads'));
  });

  // Issue 71 item 6, found on the grown set's tuning half (bench/relevance.ts --show-tuning).
  it('reads a day, week or month named with a holiday as time, never as a word to match', () => {
    const ask = readAsk({ brief: "Valentine's Day gifts, display in the UK" });
    expect(ask.terms).not.toContain('day');
    expect(ask.terms).not.toContain('dai'); // its English stem
    expect(
      order("Valentine's Day gifts, display in the UK", [
        { name: 'Days out MPU', channels: ['display'] },
        { name: 'Gift guides MPU', channels: ['display'] },
      ])[0],
    ).toBe('Gift guides MPU');
  });

  it('reads a German or Dutch compound that begins with a medium as that medium', () => {
    expect(readAsk({ brief: 'Videowerbung für Tierfreunde' }).formats).toContain('video');
    expect(readAsk({ brief: 'Audiospots in Nederland' }).formats).toContain('audio');
    expect(
      order('Videoadvertenties over tuinieren', [
        { name: 'Tuinieren leaderboard', channels: ['display'] },
        {
          name: 'Tuinieren pre-roll',
          channels: ['olv'],
          format_ids: [{ id: 'video_standard_15s' }],
        },
      ])[0],
    ).toBe('Tuinieren pre-roll');
  });

  it("reads Europe, in the markets' languages, as its countries", () => {
    for (const brief of ['Podcast ads in Europe', 'Pan-European video', 'Display in ganz Europa']) {
      const countries = readAsk({ brief }).countries;
      expect(countries).toEqual(expect.arrayContaining(['GB', 'DE', 'FR', 'ES', 'IT', 'NL']));
      expect(countries).not.toContain('US');
    }
  });

  it("leaves the other markets' function words out, not the words they join", () => {
    // "und", "für", "pour", "della", "voor": said of every product, they decided rankings.
    const briefs = [
      ['Werbung für Pendler und Studenten', ['fur', 'und']],
      ['Vidéos pour la cuisine et les voyages', ['pour', 'la', 'et', 'les']],
      ['Spot radio della mattina per le famiglie', ['della', 'per', 'le']],
      ['Video voor jonge ouders met kinderen', ['voor', 'met']],
    ] as const;
    for (const [brief, functionWords] of briefs) {
      const terms = termsOf(brief);
      for (const word of functionWords) expect(terms, brief).not.toContain(word);
    }
    // An insurance section that shares only "und" with the brief is no match for it.
    const ranked = rankForAsk(
      [{ name: 'Versicherung und Vorsorge MPU' }],
      readAsk({ brief: 'Werbung für Pendler und Studenten' }),
      candidateOfProduct,
    ).ranked;
    expect(ranked[0]!.match.reasons).toEqual([]);
    // A negation stays a word; a topic word the stop lists name ("famille") stays one too.
    expect(readAsk({ brief: 'Display ohne Sport' }).avoid.hard.topics).toEqual(['topic:sport']);
    expect(termsOf('Famille et enfants')).toEqual(['famill', 'enfant']);
  });
});

/** Issue 71 item 3: time, place, topic and budget as a planner reads them (bench/relevance-worst.ts). */
describe('the brief matcher reads flights, topics, markets and budgets as a planner does', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const sheetRow = (name: string, start: string, end: string) => ({
    name,
    publisher_properties: [{ publisher_domain: 'elfaro.es' }],
    ext: { interchange: { available: { start, end } } },
  });

  it('ranks a product its source says cannot run through the flight below one that can', () => {
    const products = [
      sheetRow('Viajes travel billboard', '2027-01-01', '2027-03-31'),
      sheetRow('Run of site billboard', '2026-11-01', '2027-12-31'),
    ];
    const { ranked } = rankForAsk(
      products,
      readAsk({ brief: 'Summer 2027 travel campaign in Spain' }, now),
      candidateOfProduct,
    );
    expect(ranked.map((r) => r.item.name)).toEqual([
      'Run of site billboard',
      'Viajes travel billboard',
    ]);
    expect(ranked[1]!.match.reasons).toContain('not available through the flight');
    // "real estate" is property, not the Italian summer; "l'estate" is the season.
    expect(readAsk({ brief: 'Real estate readers in Sydney' }, now).flight).toBeNull();
    expect(readAsk({ brief: "Video per l'estate in Italia" }, now).flight?.start).toEqual(
      new Date('2027-06-01T00:00:00Z'),
    );
  });

  it('reads fashion, education and home, and topics and nationalities in the markets words', () => {
    const ask = (brief: string) => readAsk({ brief }, now);
    expect(ask('Banner su siti di moda italiani').topics).toContain('topic:fashion');
    expect(ask('Banner su siti di moda italiani').countries).toEqual(['IT']);
    expect(ask('Luxury fashion across Europe').topics).toContain('topic:fashion');
    expect(ask('Back to school 2027 for students in the US').topics).toContain('topic:education');
    expect(ask('Home and garden, interiors').topics).toContain('topic:home');
    expect(ask("Bannières sur l'actualité sportive française").topics).toContain('topic:sport');
    expect(ask("Bannières sur l'actualité sportive française").channels).toEqual(['display']);
    expect(ask('Llegar a los amantes de la montaña').topics).toContain('topic:outdoor');
  });

  it("reads a product's market from a currency only one country uses, where nothing else says", () => {
    const priced = (currency: string, domain: string) => ({
      name: `Rugby CTV ${currency}`,
      channels: ['ctv'],
      publisher_properties: [{ publisher_domain: domain }],
      pricing_options: [{ pricing_model: 'cpm', fixed_price: 30, currency }],
    });
    const products = [
      priced('USD', 'arena.tv'),
      priced('EUR', 'arena.tv'),
      priced('GBP', 'arena.tv'),
    ];
    const uk = rankForAsk(
      products,
      readAsk({ brief: 'Rugby on CTV in the UK' }, now),
      candidateOfProduct,
    );
    expect(uk.ranked[0]!.item.name).toBe('Rugby CTV GBP');
    expect(uk.ranked[0]!.match.reasons).toContain('country GB');
    const us = rankForAsk(
      products,
      readAsk({ brief: 'Rugby on CTV in the US' }, now),
      candidateOfProduct,
    );
    expect(us.ranked.at(-1)!.match.reasons).toContain('serves GB');
    // USD and EUR are priced in by sellers of many markets: they say nothing of where it runs.
    expect(us.ranked.slice(0, 2).map((r) => r.match.reasons)).not.toContainEqual(
      expect.arrayContaining([expect.stringMatching(/^serves|^country/)]),
    );
    // A domain's country wins over its currency; a buyer's country filter never leaves it out.
    expect(candidateOfProduct(priced('GBP', 'kanal.de')).impliedCountries).toEqual(['DE']);
    const filtered = rankForAsk(
      products,
      readAsk({ brief: '', filters: { countries: ['US'] } }, now),
      candidateOfProduct,
    );
    expect(filtered.excluded).toEqual([]);
  });

  it('reads a budget written with a word for thousand in the markets languages', () => {
    expect(budgetOfBrief('Italian CTV with a budget of 15 thousand euros')).toBe(15_000);
    expect(budgetOfBrief('CTV in Deutschland, Budget 20 Tausend Euro')).toBe(20_000);
    expect(budgetOfBrief('Vidéo en France, budget de 30 mille euros')).toBe(30_000);
    expect(readAsk({ brief: 'Italian CTV with a budget of 15 thousand euros' }, now).budget).toBe(
      15_000,
    );
  });
});

/** What w27 read better (issue 71): each case failed on the matcher before it. */
describe('the brief matcher reads what a planner reads (w27)', () => {
  it('reads "sports news" as sport: a topic word beside a news word says what the news is about', () => {
    const sport = ['topic:sport'];
    expect(readAsk({ brief: "Bannières sur l'actualité sportive française" }).topics).toEqual(
      sport,
    );
    expect(readAsk({ brief: 'Sports news in the UK' }).topics).toEqual(sport);
    expect(readAsk({ brief: 'noticias deportivas' }).topics).toEqual(sport);
    expect(readAsk({ brief: 'UK news sites' }).topics).toEqual(['topic:news']);
    expect(
      order("Bannières sur l'actualité sportive française", [
        { name: 'Actualités Billboard', description: 'Le Quotidien, actualités' },
        { name: 'Sport Billboard', description: 'Le Quotidien, sport' },
      ])[0],
    ).toBe('Sport Billboard');
  });

  it('reads a compound with a short topic head and a reader or site tail (Autofans, woonsites)', () => {
    expect(readAsk({ brief: 'Autofans in Österreich erreichen' }).topics).toEqual(['topic:auto']);
    expect(readAsk({ brief: 'Display op Nederlandse woonsites' }).topics).toEqual(['topic:home']);
    expect(readAsk({ brief: 'Videoadvertenties rond voetbal' }).topics).toEqual(['topic:sport']);
    // A head that merely begins a word names nothing: automation is not motoring.
    expect(readAsk({ brief: 'Marketing automation software buyers' }).topics).not.toContain(
      'topic:auto',
    );
  });

  it('counts a name as named only when its own words are in the brief, not generic ones', () => {
    const products = [
      { name: 'Sports MPU', publisher_properties: [{ publisher_domain: 'sydneyledger.com.au' }] },
      { name: 'Fussball MPU', publisher_properties: [{ publisher_domain: 'morgenblatt.de' }] },
    ];
    const ranked = rankForAsk(
      products,
      readAsk({ brief: 'German sports MPU' }),
      candidateOfProduct,
    ).ranked;
    expect(ranked[0]!.item.name).toBe('Fussball MPU');
    expect(ranked[1]!.match.reasons).not.toContain('named in the brief');
    const named = rankForAsk(
      [{ name: 'Weekend edition native' }, { name: 'Lifestyle native' }],
      readAsk({ brief: 'Weekend edition native article' }),
      candidateOfProduct,
    ).ranked;
    expect(named[0]!.match.reasons).toContain('named in the brief');
  });

  it('reads "over the holidays" as a time, not as travel', () => {
    expect(
      readAsk({ brief: 'UK business leaderboard over the holidays, December 2026' }).topics,
    ).toEqual(['topic:business']);
    expect(readAsk({ brief: 'Holiday destinations for families' }).topics).toContain(
      'topic:travel',
    );
  });

  it('reads a size named in the plural ("leaderboards", "half pages") as that size', () => {
    expect(readAsk({ brief: 'Cheap UK leaderboards under £9 CPM' }).formats).toEqual([
      'size:728x90',
    ]);
    expect(readAsk({ brief: 'Billboards and half pages in Italy' }).formats).toEqual([
      'size:970x250',
      'size:300x600',
    ]);
  });

  it('reads a placement kind ("Newsletter sponsorship", "Sponsored article") as no name', () => {
    const [first] = rankForAsk(
      [{ name: 'Newsletter sponsorship', description: 'Property Ledger, buying a home' }],
      readAsk({ brief: 'Newsletter sponsorship for a personal finance app, US' }),
      candidateOfProduct,
    ).ranked;
    expect(first!.match.reasons).not.toContain('named in the brief');
  });

  it('reads lifestyle sections, and a toy brand as one for kids', () => {
    expect(readAsk({ brief: 'UK fashion and lifestyle sites' }).topics).toContain(
      'topic:lifestyle',
    );
    expect(readAsk({ brief: 'CTV in the US for a toy brand' }).topics).toEqual(['topic:kids']);
  });

  it('reads "New Year 2027" as the turn into 2027, and "Silvester 2026" as the same days', () => {
    const now = new Date('2026-11-29T00:00:00Z');
    const day = (brief: string) =>
      readAsk({ brief }, now).flight?.start?.toISOString().slice(0, 10);
    expect(day('Dutch news around New Year 2027')).toBe('2026-12-26');
    expect(day('Nachrichten zu Silvester 2026')).toBe('2026-12-26');
    // Without a year: the next one not yet over.
    expect(day('Dutch news around New Year')).toBe('2026-12-26');
  });
});
