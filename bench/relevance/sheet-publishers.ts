import type { FormatKind } from '../../src/modules/modular-sources/feeds/avail.js';

/** The spreadsheet kind's publishers and the slots their sections sell (catalogue-sheets.ts). */

export interface Slot {
  label: string;
  channel: string;
  formats: Array<{ id: string; kind: FormatKind }>;
  truth: string[];
  cpm: number;
}

const display = (w: number, h: number) => ({ id: `display_${w}x${h}`, kind: 'image' as const });
export const slots: Record<string, Slot> = {
  mpu: {
    label: 'MPU',
    channel: 'display',
    formats: [display(300, 250)],
    truth: ['display', 'size:300x250'],
    cpm: 9,
  },
  leaderboard: {
    label: 'Leaderboard',
    channel: 'display',
    formats: [display(728, 90)],
    truth: ['display', 'size:728x90'],
    cpm: 7,
  },
  halfpage: {
    label: 'Half page',
    channel: 'display',
    formats: [display(300, 600)],
    truth: ['display', 'size:300x600'],
    cpm: 14,
  },
  billboard: {
    label: 'Billboard',
    channel: 'display',
    formats: [display(970, 250)],
    truth: ['display', 'size:970x250'],
    cpm: 18,
  },
  native: {
    label: 'Sponsored article',
    channel: 'display',
    formats: [{ id: 'native_in_feed', kind: 'native_in_feed' }],
    truth: ['native'],
    cpm: 22,
  },
  preroll: {
    label: 'Pre-roll video 15s',
    channel: 'olv',
    formats: [{ id: 'video_standard_15s', kind: 'video_hosted' }],
    truth: ['video'],
    cpm: 24,
  },
  newsletter: {
    label: 'Newsletter sponsorship',
    channel: 'email',
    formats: [{ id: 'newsletter_sponsor', kind: 'sponsored_placement' }],
    truth: ['native'],
    cpm: 30,
  },
};

export interface Publisher {
  name: string;
  domain: string;
  country: string;
  currency: string;
  /** [section name, topic, what the section's readers come for]. */
  sections: Array<[string, string, string]>;
  slots: Array<keyof typeof slots>;
}

export const publishers: Publisher[] = [
  {
    name: 'The Daily Courier',
    domain: 'dailycourier.co.uk',
    country: 'GB',
    currency: 'GBP',
    sections: [
      ['News', 'news', 'Breaking UK and world news, politics and analysis'],
      ['Sport', 'sport', 'Premier League match reports, transfer news, cricket and rugby'],
      ['Business', 'business', 'Markets, personal finance and the City'],
      ['Travel', 'travel', 'Weekend breaks, city guides and long-haul trips'],
      ['Culture', 'entertainment', 'Film, TV, music and theatre reviews'],
    ],
    slots: ['mpu', 'leaderboard', 'halfpage', 'native', 'preroll'],
  },
  {
    name: 'Morgenblatt',
    domain: 'morgenblatt.de',
    country: 'DE',
    currency: 'EUR',
    sections: [
      ['Politik', 'news', 'German national politics and world news'],
      ['Sport', 'sport', 'Bundesliga, Formel 1 and Olympic sport'],
      ['Wirtschaft', 'business', 'Economy, DAX companies and personal finance'],
      ['Auto', 'auto', 'Car reviews, e-mobility and motoring news'],
      ['Reise', 'travel', 'Holidays, city breaks and travel deals'],
    ],
    slots: ['mpu', 'leaderboard', 'billboard', 'native', 'preroll', 'newsletter'],
  },
  {
    name: 'Le Quotidien',
    domain: 'lequotidien.fr',
    country: 'FR',
    currency: 'EUR',
    sections: [
      ['Actualités', 'news', 'French and international news'],
      ['Sport', 'sport', 'Ligue 1, rugby and the Tour de France'],
      ['Économie', 'business', 'Business, markets and jobs'],
      ['Cuisine', 'food', 'Recipes, restaurants and wine'],
    ],
    slots: ['mpu', 'leaderboard', 'halfpage', 'billboard', 'native', 'preroll'],
  },
  {
    name: 'Harbor City Times',
    domain: 'harborcitytimes.com',
    country: 'US',
    currency: 'USD',
    sections: [
      ['Local news', 'news', 'Metro news, city hall and weather'],
      ['Sports', 'sport', 'NFL, NBA and college sports coverage'],
      ['Money', 'business', 'Personal finance, real estate and local business'],
      ['Food & Dining', 'food', 'Restaurant reviews and recipes'],
      ['Entertainment', 'entertainment', 'Movies, streaming, concerts and celebrity news'],
    ],
    slots: ['mpu', 'leaderboard', 'billboard', 'native', 'preroll', 'newsletter'],
  },
  {
    name: 'Sydney Ledger',
    domain: 'sydneyledger.com.au',
    country: 'AU',
    currency: 'AUD',
    sections: [
      ['News', 'news', 'Australian news, politics and world affairs'],
      ['Sport', 'sport', 'AFL, NRL, cricket and tennis'],
      ['Lifestyle', 'lifestyle', 'Health, fashion, food and home'],
      ['Property', 'real_estate', 'Housing market, renovations and listings'],
    ],
    slots: ['mpu', 'leaderboard', 'halfpage', 'billboard', 'native'],
  },
  {
    name: 'Kitchen Table',
    domain: 'kitchentable.com',
    country: 'US',
    currency: 'USD',
    sections: [
      ['Recipes', 'food', 'Weeknight dinners and family recipes'],
      ['Baking', 'food', 'Bread, cakes and holiday baking'],
      ['Healthy eating', 'health', 'Nutrition, meal prep and wellness'],
    ],
    slots: ['mpu', 'halfpage', 'native', 'preroll', 'newsletter'],
  },
  {
    name: 'Trail & Peak',
    domain: 'trailandpeak.com',
    country: 'US',
    currency: 'USD',
    sections: [
      ['Hiking', 'outdoor', 'Trail guides, camping and backpacking'],
      ['Gear reviews', 'outdoor', 'Boots, jackets, tents and outdoor gear tested'],
      ['Ski & snow', 'outdoor', 'Ski resorts, snowboarding and winter trips'],
    ],
    slots: ['mpu', 'leaderboard', 'native', 'newsletter'],
  },
  {
    name: 'Pixel Arcade',
    domain: 'pixelarcade.gg',
    country: 'US',
    currency: 'USD',
    sections: [
      ['Reviews', 'gaming', 'Console and PC game reviews'],
      ['Esports', 'gaming', 'Tournaments, teams and live esports coverage'],
    ],
    slots: ['mpu', 'leaderboard', 'halfpage', 'preroll'],
  },
  {
    name: 'The Parent Post',
    domain: 'theparentpost.co.uk',
    country: 'GB',
    currency: 'GBP',
    sections: [
      ['Pregnancy & baby', 'parenting', 'Pregnancy week by week, newborn care'],
      ['Family life', 'parenting', 'School, days out and family recipes'],
    ],
    slots: ['mpu', 'leaderboard', 'native', 'newsletter'],
  },
  {
    name: 'Il Mattino Digitale',
    domain: 'ilmattinodigitale.it',
    country: 'IT',
    currency: 'EUR',
    sections: [
      ['Cronaca', 'news', 'Italian national and local news'],
      ['Calcio', 'sport', 'Serie A and the national team'],
      ['Motori', 'auto', 'Cars, motorbikes and Formula 1'],
      ['Cucina', 'food', 'Recipes and regional Italian cooking'],
    ],
    slots: ['mpu', 'leaderboard', 'halfpage', 'native', 'preroll'],
  },
  {
    name: 'El Faro',
    domain: 'elfaro.es',
    country: 'ES',
    currency: 'EUR',
    sections: [
      ['Nacional', 'news', 'Spanish politics and society'],
      ['Deportes', 'sport', 'La Liga, basketball and tennis'],
      ['Economía', 'business', 'Companies, markets and jobs in Spain'],
      ['Viajes', 'travel', 'Holidays in Spain and abroad'],
    ],
    slots: ['mpu', 'leaderboard', 'billboard', 'native', 'preroll'],
  },
  {
    name: 'Het Ochtendblad',
    domain: 'ochtendblad.nl',
    country: 'NL',
    currency: 'EUR',
    sections: [
      ['Nieuws', 'news', 'Dutch and international news'],
      ['Sport', 'sport', 'Eredivisie, cycling and speed skating'],
      ['Geld', 'business', 'Money, housing and pensions'],
    ],
    slots: ['mpu', 'leaderboard', 'native', 'preroll'],
  },
  {
    name: 'Dublin Evening Post',
    domain: 'dublineveningpost.ie',
    country: 'IE',
    currency: 'EUR',
    sections: [
      ['News', 'news', 'Irish news and politics'],
      ['Sport', 'sport', 'GAA, rugby and League of Ireland'],
      ['Business', 'business', 'Irish economy, tech companies and property'],
    ],
    slots: ['mpu', 'leaderboard', 'halfpage', 'native', 'preroll'],
  },
];
