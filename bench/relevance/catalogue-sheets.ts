import type { AvailRow } from '../../src/modules/modular-sources/buys/avails-store.js';
import { productOf } from '../../src/modules/modular-sources/buys/products.js';
import type { Entry } from './types.js';
import { spreadsheetWordCount } from './wordcount.js';
import { type Publisher, type Slot, publishers, slots } from './sheet-publishers.js';

/*
 * Spreadsheet avails as a modular source makes them (productOf over modular_avails rows):
 * publishers' direct-sold sections, a podcast network's shows and a DOOH network's screens.
 */

/** Flights a spreadsheet row runs in: the quarter to year-end, the winter, the next quarter. */
const flights: Array<[string, string]> = [
  ['2026-11-01', '2026-12-31'],
  ['2026-11-01', '2027-03-31'],
  ['2027-01-01', '2027-03-31'],
];

export function availRow(
  id: number,
  row: Pick<AvailRow, 'availId' | 'name' | 'collectionName' | 'collectionDescription'> &
    Partial<Pick<AvailRow, 'countries' | 'audience' | 'content'>> & {
      channel: string;
      flight: [string, string];
      formats: Slot['formats'];
      cpm: number;
      currency: string;
      domain: string;
      capacity: number;
    },
): AvailRow {
  return {
    id,
    inventorySourceId: 1,
    storefrontId: 1,
    availId: row.availId,
    collectionId: row.collectionName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    collectionName: row.collectionName,
    collectionDescription: row.collectionDescription,
    name: row.name,
    channel: row.channel,
    startTime: new Date(`${row.flight[0]}T00:00:00Z`),
    endTime: new Date(`${row.flight[1]}T23:59:59Z`),
    impressionsCapacity: row.capacity,
    upstreamBooked: 0,
    held: 0,
    booked: 0,
    cpm: row.cpm,
    currency: row.currency,
    formatOptions: row.formats.map((f) => ({
      format_option_id: f.id,
      format_kind: f.kind,
      params: {},
    })),
    publisherProperties: [{ publisher_domain: row.domain, selection_type: 'all' }],
    targeting: {},
    countries: row.countries ?? [],
    audience: row.audience ?? null,
    content: row.content ?? null,
    sourceMetadata: {},
    sandboxCustomerId: null,
    revisionId: 'r1',
    active: true,
    updatedAt: new Date('2026-11-01T00:00:00Z'),
  };
}

const formatsAgent = 'https://creative.adcontextprotocol.org';

/** An entry of a spreadsheet row. */
export function entryOf(
  avail: AvailRow,
  source: string,
  truth: Omit<Entry['truth'], 'start' | 'end' | 'minSpend'>,
): Entry {
  return {
    kind: 'spreadsheet',
    source,
    product: productOf(avail, formatsAgent),
    truth: {
      ...truth,
      start: avail.startTime.toISOString().slice(0, 10),
      end: avail.endTime.toISOString().slice(0, 10),
      minSpend: null,
    },
    wordCount: spreadsheetWordCount(avail),
    avail,
  };
}

/** Web publishers: each section's slots, in flights that rotate through the year's end. */
export function publisherEntries(start: number, of: readonly Publisher[] = publishers): Entry[] {
  const out: Entry[] = [];
  let n = start;
  for (const pub of of) {
    for (const [section, topic, about] of pub.sections) {
      for (const key of pub.slots) {
        const slot = slots[key]!;
        const flight = flights[n % flights.length]!;
        const avail = availRow(n, {
          availId: `${pub.domain.split('.')[0]}-${section.toLowerCase().replace(/[^a-z]+/g, '-')}-${key}`,
          name: `${section} ${slot.label}`,
          collectionName: `${pub.name} ${section}`,
          collectionDescription: `${about} (${pub.domain})`,
          channel: slot.channel,
          flight,
          formats: slot.formats,
          cpm: slot.cpm + (n % 5),
          currency: pub.currency,
          domain: pub.domain,
          capacity: 200_000 + ((n * 7919) % 900_000),
        });
        out.push(
          entryOf(avail, pub.name, {
            channels: [slot.channel],
            countries: [pub.country],
            formats: slot.truth,
            topics: [topic],
          }),
        );
        n += 1;
      }
    }
  }
  return out;
}

/** Rows of a podcast network and DOOH networks, and the Courier's weekend edition. */
const specials: Array<{
  source: string;
  domain: string;
  country: string;
  currency: string;
  collection: string;
  about: string;
  rows: Array<[id: string, name: string, topic: string]>;
  slot: Slot;
}> = [
  {
    source: 'Lantern Audio',
    domain: 'lanternaudio.fm',
    country: 'US',
    currency: 'USD',
    collection: 'Lantern Audio podcast network',
    about: 'Host-read and dynamically inserted audio spots in US podcasts',
    rows: [
      ['lantern-crime-pre', 'True Crime Weekly pre-roll 30s', 'entertainment'],
      ['lantern-crime-mid', 'True Crime Weekly mid-roll 60s', 'entertainment'],
      ['lantern-money-mid', 'The Money Hour mid-roll 60s', 'business'],
      ['lantern-gameday-pre', 'Game Day pre-roll 30s', 'sport'],
      ['lantern-gameday-mid', 'Game Day mid-roll 60s', 'sport'],
      ['lantern-little-ears', 'Little Ears bedtime stories mid-roll', 'parenting'],
      ['lantern-techtalk-mid', 'Tech Talk Daily mid-roll 60s', 'tech'],
      ['lantern-kitchen-pre', 'Kitchen Confidential pre-roll 30s', 'food'],
    ],
    slot: {
      label: '',
      channel: 'podcast',
      formats: [{ id: 'audio_30s', kind: 'audio_hosted' }],
      truth: ['audio'],
      cpm: 25,
    },
  },
  {
    source: 'CityScreens',
    domain: 'cityscreens.co.uk',
    country: 'GB',
    currency: 'GBP',
    collection: 'CityScreens digital out of home',
    about: 'Full-motion portrait screens in UK stations, malls and roadsides',
    rows: [
      ['cs-london-underground', 'London Underground digital 6-sheets', 'general'],
      ['cs-kings-cross', "King's Cross station screens", 'general'],
      ['cs-manchester-piccadilly', 'Manchester Piccadilly station screens', 'general'],
      ['cs-m25-roadside', 'M25 roadside digital billboards', 'auto'],
      ['cs-westfield', 'Westfield shopping centre screens', 'retail'],
      ['cs-stadium-wembley', 'Wembley Way matchday screens', 'sport'],
      ['cs-gyms', 'Gym and fitness club screens', 'health'],
    ],
    slot: {
      label: '',
      channel: 'dooh',
      formats: [{ id: 'dooh_1080x1920', kind: 'video_hosted' }],
      truth: ['video'],
      cpm: 12,
    },
  },
  {
    source: 'Stadtbild Media',
    domain: 'stadtbild-media.de',
    country: 'DE',
    currency: 'EUR',
    collection: 'Stadtbild city screens',
    about: 'Digital screens in Berlin, Munich and Hamburg transit and malls',
    rows: [
      ['sb-berlin-ubahn', 'Berlin U-Bahn platform screens', 'general'],
      ['sb-munich-hbf', 'München Hauptbahnhof screens', 'general'],
      ['sb-hamburg-malls', 'Hamburg mall screens', 'retail'],
    ],
    slot: {
      label: '',
      channel: 'dooh',
      formats: [{ id: 'dooh_1920x1080', kind: 'video_hosted' }],
      truth: ['video'],
      cpm: 11,
    },
  },
  {
    source: 'The Daily Courier',
    domain: 'dailycourier.co.uk',
    country: 'GB',
    currency: 'GBP',
    collection: 'The Daily Courier Weekend',
    about: 'The Saturday and Sunday edition: long reads, food, travel and culture',
    rows: [
      ['courier-weekend-native', 'Weekend edition native article', 'lifestyle'],
      ['courier-weekend-takeover', 'Weekend edition homepage takeover', 'lifestyle'],
    ],
    slot: slots['native']!,
  },
];

/** Every spreadsheet row of the catalogue, in a modular source's order (capacity left first). */
export function spreadsheetEntries(): Entry[] {
  const out = publisherEntries(1);
  let n = 10_000;
  for (const s of specials) {
    for (const [availId, name, topic] of s.rows) {
      const avail = availRow(n, {
        availId,
        name,
        collectionName: s.collection,
        collectionDescription: `${s.about} (${s.domain})`,
        channel: s.slot.channel,
        flight: flights[n % 2]!,
        formats: s.slot.formats,
        cpm: s.slot.cpm + (n % 4),
        currency: s.currency,
        domain: s.domain,
        capacity: 150_000 + ((n * 104_729) % 700_000),
      });
      out.push(
        entryOf(avail, s.source, {
          channels: [s.slot.channel],
          countries: [s.country],
          formats: s.slot.truth,
          topics: [topic],
        }),
      );
      n += 1;
    }
  }
  const capacityOf = (e: Entry) =>
    Number(/(\d+) impressions available/.exec(e.product.description ?? '')?.[1] ?? 0);
  return out.sort(
    (a, b) =>
      capacityOf(b) - capacityOf(a) || a.product.product_id.localeCompare(b.product.product_id),
  );
}
