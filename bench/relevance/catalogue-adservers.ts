import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import { videoFormatsOf } from '../../src/modules/ad-servers/media.js';
import type { MediaChannel } from '@adcp/sdk/types';
import type { Entry, Product } from './types.js';
import { adServerWordCount } from './wordcount.js';

/*
 * Ad-server products as a GAM / FreeWheel / SpringServe sync makes them: one product per product
 * rule, in the shape src/modules/ad-servers/products.ts productOf builds (its builder is private
 * to the module): description `<rule description> (targeting k=v)`, display_WxH formats from the
 * rule's ad units or video_standard/video_vast per duration, guaranteed, a fixed CPM and a
 * minimum spend when the rule has one.
 */

export interface Rule {
  productId: string;
  name: string;
  description: string;
  keyValues: Record<string, string[]>;
  sizes?: Array<[number, number]>;
  durations?: number[];
  channel: MediaChannel;
  cpm: number;
  minSpend?: number;
  countries: string[];
  topics: string[];
}

const formatsAgentUrl = 'https://creative.adcontextprotocol.org';

function productOf(rule: Rule, currency: string, domain: string): Product {
  const targeting = Object.entries(rule.keyValues)
    .map(([k, v]) => `${k}=${v.join('|')}`)
    .join(', ');
  return buildProduct({
    id: rule.productId,
    name: rule.name,
    description: `${rule.description}${targeting ? ` (targeting ${targeting})` : ''}`,
    formats: rule.durations
      ? videoFormatsOf(rule.durations)
      : (rule.sizes ?? [[300, 250]]).map(([w, h]) => ({ id: `display_${w}x${h}` })),
    agentUrl: formatsAgentUrl,
    delivery_type: 'guaranteed',
    channels: [rule.channel],
    publisher_domain: domain,
    pricing: [
      buildPricingOption({
        id: `${rule.productId}_cpm`,
        model: 'cpm',
        fixed: rule.cpm,
        currency,
        ...(rule.minSpend !== undefined && { min_spend_per_package: rule.minSpend }),
      }),
    ],
  });
}

/** A display network's sites: each site's run-of-site rules by size. */
const displaySizes: Array<[string, Array<[number, number]>]> = [
  ['ROS leaderboard 728x90', [[728, 90]]],
  ['ROS MPU 300x250', [[300, 250]]],
  ['ROS half page 300x600', [[300, 600]]],
  ['Mobile banner 320x50', [[320, 50]]],
  ['Homepage billboard 970x250', [[970, 250]]],
];

const displayNetworks: Array<{
  network: string;
  currency: string;
  country: string;
  sites: Array<[site: string, domain: string, topic: string, about: string]>;
}> = [
  {
    network: 'Northwind Media Group (Google Ad Manager)',
    currency: 'USD',
    country: 'US',
    sites: [
      ['Northwind Finance', 'northwindfinance.com', 'business', 'stocks, retirement and banking'],
      ['Gadgetry', 'gadgetry.com', 'tech', 'consumer tech reviews and how-tos'],
      ['Motorhead', 'motorhead.com', 'auto', 'new car reviews and buying guides'],
      ['Wellspring', 'wellspring.com', 'health', 'health, fitness and nutrition advice'],
      ['Playbook', 'playbook.com', 'sport', 'fantasy football, NFL and NBA news'],
    ],
  },
  {
    network: 'Rheinland Digital (Google Ad Manager)',
    currency: 'EUR',
    country: 'DE',
    sites: [
      ['Rheinische Rundschau', 'rundschau.de', 'news', 'regional and national news for Germany'],
      ['Fussball Heute', 'fussballheute.de', 'sport', 'Bundesliga and Champions League'],
      ['Finanzblick', 'finanzblick.de', 'business', 'German markets and personal finance'],
    ],
  },
  {
    network: 'Ibérica Medios (Google Ad Manager)',
    currency: 'EUR',
    country: 'ES',
    sites: [
      ['Diario Sol', 'diariosol.es', 'news', 'Spanish national news'],
      ['Golazo', 'golazo.es', 'sport', 'La Liga, football and basketball'],
    ],
  },
];

/** CTV and online-video sellers: their schedules or verticals, in 15 and 30 second spots. */
const videoSellers: Array<{
  seller: string;
  domain: string;
  currency: string;
  country: string;
  channel: 'ctv' | 'olv';
  keyName: string;
  minSpend?: number;
  lines: Array<[slug: string, name: string, topic: string, about: string]>;
}> = [
  {
    seller: 'StreamMax (FreeWheel)',
    domain: 'streammax.tv',
    currency: 'USD',
    country: 'US',
    channel: 'ctv',
    keyName: 'genre',
    minSpend: 25_000,
    lines: [
      [
        'live-sports',
        'StreamMax Live Sports',
        'sport',
        'live NFL, NBA and college games on the big screen',
      ],
      [
        'drama',
        'StreamMax Prime-time Drama',
        'entertainment',
        'scripted drama series, full-episode streaming',
      ],
      ['reality', 'StreamMax Reality & Lifestyle', 'lifestyle', 'reality, home and cooking shows'],
      [
        'kids',
        'StreamMax Kids & Family',
        'parenting',
        'animated series and family films (COPPA-safe)',
      ],
      ['news', 'StreamMax News Live', 'news', 'live and on-demand news channels'],
      ['movies', 'StreamMax Movies', 'entertainment', 'blockbuster and classic films'],
    ],
  },
  {
    seller: 'Kanal Acht (FreeWheel)',
    domain: 'kanalacht.de',
    currency: 'EUR',
    country: 'DE',
    channel: 'ctv',
    keyName: 'genre',
    minSpend: 20_000,
    lines: [
      [
        'bundesliga',
        'Kanal Acht Bundesliga live',
        'sport',
        'live football on smart TVs across Germany',
      ],
      ['krimi', 'Kanal Acht Krimi & Drama', 'entertainment', 'crime series and drama'],
      ['nachrichten', 'Kanal Acht Nachrichten', 'news', 'news and current affairs'],
      ['kinder', 'Kanal Acht Kinderprogramm', 'parenting', 'children programming'],
      ['wintersport', 'Kanal Acht Wintersport', 'sport', 'ski jumping, biathlon and alpine skiing'],
    ],
  },
  {
    seller: 'Arena Sports TV (FreeWheel)',
    domain: 'arenasports.tv',
    currency: 'GBP',
    country: 'GB',
    channel: 'ctv',
    keyName: 'sport',
    minSpend: 15_000,
    lines: [
      [
        'football',
        'Arena Premier Football',
        'sport',
        'top-flight football on connected TVs in the UK',
      ],
      ['rugby-cricket', 'Arena Rugby & Cricket', 'sport', 'international rugby and test cricket'],
      ['motorsport', 'Arena F1 & Motorsport', 'sport', 'Formula 1 race weekends and MotoGP'],
      ['darts', 'Arena Darts & Snooker', 'sport', 'the World Darts Championship in December'],
    ],
  },
  {
    seller: 'Canal Lumière (FreeWheel)',
    domain: 'canallumiere.fr',
    currency: 'EUR',
    country: 'FR',
    channel: 'ctv',
    keyName: 'genre',
    minSpend: 15_000,
    lines: [
      ['series', 'Canal Lumière Séries', 'entertainment', 'French and international series'],
      ['sport', 'Canal Lumière Sport', 'sport', 'rugby, cycling and football'],
      ['cuisine', 'Canal Lumière Cuisine', 'food', 'cooking competitions and food travel'],
    ],
  },
  {
    seller: 'ClipStream (SpringServe)',
    domain: 'clipstream.com',
    currency: 'USD',
    country: 'US',
    channel: 'olv',
    keyName: 'vertical',
    lines: [
      [
        'sports-highlights',
        'ClipStream sports highlights pre-roll',
        'sport',
        'instream video before sports highlight clips',
      ],
      [
        'news-clips',
        'ClipStream news clips pre-roll',
        'news',
        'instream video in news publishers players',
      ],
      [
        'gaming-streams',
        'ClipStream gaming streams pre-roll',
        'gaming',
        'pre-roll on gameplay and esports streams',
      ],
      [
        'food-videos',
        'ClipStream recipe videos pre-roll',
        'food',
        'instream video before recipe and cooking videos',
      ],
      [
        'music-videos',
        'ClipStream music videos pre-roll',
        'entertainment',
        'pre-roll on music videos',
      ],
      [
        'outstream',
        'ClipStream in-article outstream',
        'general',
        'outstream video inside articles across 400 US sites',
      ],
      [
        'tech-reviews',
        'ClipStream tech reviews pre-roll',
        'tech',
        'pre-roll on unboxing and review videos',
      ],
    ],
  },
  {
    seller: 'VidéoPlus (SpringServe)',
    domain: 'videoplus.fr',
    currency: 'EUR',
    country: 'FR',
    channel: 'olv',
    keyName: 'verticale',
    lines: [
      ['info', 'VidéoPlus actualités pre-roll', 'news', 'instream video on French news sites'],
      ['sport', 'VidéoPlus sport pre-roll', 'sport', 'instream video on French sports sites'],
      [
        'outstream',
        'VidéoPlus outstream',
        'general',
        'outstream video in articles across French sites',
      ],
    ],
  },
];

export const entryOf = (rule: Rule, source: string, currency: string, domain: string): Entry => ({
  kind: 'ad_server',
  source,
  product: productOf(rule, currency, domain),
  truth: {
    channels: [rule.channel],
    countries: rule.countries,
    formats: rule.durations
      ? ['video']
      : ['display', ...(rule.sizes ?? []).map(([w, h]) => `size:${w}x${h}`)],
    topics: rule.topics,
    start: '2026-11-01',
    end: '2027-12-31',
    minSpend: rule.minSpend ?? null,
  },
  wordCount: adServerWordCount(rule),
});

/** Every ad-server product of the catalogue, in its rules' order. */
export function adServerEntries(): Entry[] {
  const out: Entry[] = [];
  for (const net of displayNetworks) {
    for (const [site, domain, topic, about] of net.sites) {
      for (const [label, sizes] of displaySizes) {
        const rule: Rule = {
          productId: `${domain.split('.')[0]}-${label.split(' ')[0]!.toLowerCase()}-${sizes[0]!.join('x')}`,
          name: `${site} ${label}`,
          description: `${site}: ${about}`,
          keyValues: { site: [domain.split('.')[0]!] },
          sizes,
          channel: 'display',
          cpm: 6 + (out.length % 9),
          countries: [net.country],
          topics: [topic],
        };
        out.push(entryOf(rule, net.network, net.currency, domain));
      }
    }
  }
  for (const s of videoSellers) {
    for (const [slug, name, topic, about] of s.lines) {
      for (const seconds of [15, 30]) {
        const rule: Rule = {
          productId: `${s.domain.split('.')[0]}-${slug}-${seconds}s`,
          name: `${name} ${seconds}s`,
          description: `${name}: ${about}`,
          keyValues: { [s.keyName]: [slug] },
          durations: [seconds],
          channel: s.channel,
          cpm: (s.channel === 'ctv' ? 32 : 14) + (out.length % 7),
          ...(s.minSpend !== undefined && { minSpend: s.minSpend }),
          countries: [s.country],
          topics: [topic],
        };
        out.push(entryOf(rule, s.seller, s.currency, s.domain));
      }
    }
  }
  return out;
}
