import { availRow, entryOf, publisherEntries } from './catalogue-sheets.js';
import { type Publisher, slots } from './sheet-publishers.js';
import type { Entry } from './types.js';

/*
 * The relevance set's second half of spreadsheet inventory (issue 71 item 6): more publishers in
 * the markets' languages, and terse rate-card lines ("HX_UK_HP-LB") whose site the seller
 * describes in the sheet's Market, Audience and Content columns (issue 71 item 4).
 */

const pub = (
  name: string,
  domain: string,
  country: string,
  currency: string,
  sections: Publisher['sections'],
  slotKeys: Publisher['slots'],
): Publisher => ({ name, domain, country, currency, sections, slots: slotKeys });

// prettier-ignore
const morePublishers: Publisher[] = [
  pub('Finanzblick', 'finanzblick.de', 'DE', 'EUR', [['Börse', 'business', 'Aktien, Fonds und Anlagetipps'], ['Versicherung', 'business', 'Versicherungen und Vorsorge'], ['Immobilien', 'real_estate', 'Wohnungsmarkt, Baufinanzierung und Eigenheim']], ['mpu', 'leaderboard', 'halfpage', 'native', 'newsletter']),
  pub('Famille Magazine', 'famillemag.fr', 'FR', 'EUR', [['Grossesse', 'parenting', 'Grossesse et naissance semaine après semaine'], ['Enfants', 'parenting', 'Éducation, école et loisirs des enfants'], ['Recettes', 'food', 'Recettes faciles pour toute la famille']], ['mpu', 'leaderboard', 'native', 'preroll']),
  pub('Salud y Vida', 'saludyvida.es', 'ES', 'EUR', [['Nutrición', 'health', 'Dietas, alimentación sana y recetas ligeras'], ['Fitness', 'health', 'Entrenamiento, running y yoga'], ['Belleza', 'beauty', 'Cosmética, cuidado de la piel y maquillaje']], ['mpu', 'leaderboard', 'halfpage', 'native', 'preroll']),
  pub('Casa & Stile', 'casaestile.it', 'IT', 'EUR', [['Arredamento', 'home', 'Design, arredamento e ristrutturazione'], ['Moda', 'fashion', 'Tendenze, sfilate e shopping'], ['Viaggi', 'travel', 'Weekend, città d\'arte e vacanze']], ['mpu', 'leaderboard', 'billboard', 'native']),
  pub('Woonwereld', 'woonwereld.nl', 'NL', 'EUR', [['Wonen', 'real_estate', 'Huizenmarkt, hypotheek en verbouwen'], ['Tuin', 'home', 'Tuinieren en buitenleven'], ['Koken', 'food', 'Recepten en koken voor elke dag']], ['mpu', 'leaderboard', 'native', 'newsletter']),
  pub('Spielwelt', 'spielwelt.de', 'DE', 'EUR', [['Konsolen', 'gaming', 'PlayStation, Xbox und Nintendo Tests'], ['PC-Spiele', 'gaming', 'PC-Spiele, Hardware und E-Sport'], ['Technik', 'tech', 'Smartphones, Gadgets und Software']], ['mpu', 'leaderboard', 'halfpage', 'preroll']),
  pub('The Property Ledger', 'propertyledger.co.uk', 'GB', 'GBP', [['Buying', 'real_estate', 'First homes, house prices and buying guides'], ['Renting', 'real_estate', 'Tenants, landlords and the rental market'], ['Mortgages', 'business', 'Mortgage rates, remortgaging and savings']], ['mpu', 'leaderboard', 'halfpage', 'native', 'newsletter']),
  pub('Boardroom Daily', 'boardroomdaily.com', 'US', 'USD', [['Leadership', 'business', 'Management, strategy and the C-suite'], ['CFO Journal', 'business', 'Corporate finance, treasury and accounting'], ['Enterprise Tech', 'tech', 'Cloud, security and enterprise software']], ['mpu', 'leaderboard', 'billboard', 'native', 'newsletter']),
  pub('Pulse Fitness', 'pulsefitness.com', 'US', 'USD', [['Running', 'health', 'Training plans, races and running shoes'], ['Strength', 'health', 'Gym workouts and strength training'], ['Nutrition', 'health', 'Protein, meal plans and supplements']], ['mpu', 'leaderboard', 'preroll', 'native']),
  pub('Petcare Weekly', 'petcareweekly.co.uk', 'GB', 'GBP', [['Dogs', 'pets', 'Dog training, health and breeds'], ['Cats', 'pets', 'Cat care, food and behaviour']], ['mpu', 'leaderboard', 'native', 'newsletter']),
  pub('StyleFile', 'stylefile.com', 'US', 'USD', [['Fashion', 'fashion', 'Runway, street style and shopping edits'], ['Beauty', 'beauty', 'Skincare, makeup and hair'], ['Celebrity', 'entertainment', 'Celebrity news, red carpets and TV']], ['mpu', 'halfpage', 'billboard', 'native', 'preroll']),
  pub('Autoweek Nederland', 'autoweeknl.nl', 'NL', 'EUR', [['Autonieuws', 'auto', 'Nieuwe auto\'s, proefritten en autonieuws'], ['Elektrisch rijden', 'auto', 'Elektrische auto\'s, laden en actieradius']], ['mpu', 'leaderboard', 'halfpage', 'preroll']),
  pub('Il Tifoso', 'iltifoso.it', 'IT', 'EUR', [['Serie A', 'sport', 'Calcio, risultati e calciomercato'], ['Ciclismo', 'sport', 'Giro d\'Italia e grandi classiche'], ['Basket', 'sport', 'Serie A di basket ed Eurolega']], ['mpu', 'leaderboard', 'preroll', 'native']),
  pub('Le Sportif', 'lesportif.fr', 'FR', 'EUR', [['Football', 'sport', 'Ligue 1, Ligue des champions et les Bleus'], ['Rugby', 'sport', 'Top 14 et XV de France'], ['Tennis', 'sport', 'Roland-Garros et circuit ATP']], ['mpu', 'leaderboard', 'halfpage', 'preroll']),
  pub('Montaña y Nieve', 'montanaynieve.es', 'ES', 'EUR', [['Senderismo', 'outdoor', 'Rutas, montaña y acampada'], ['Esquí', 'outdoor', 'Estaciones de esquí y nieve']], ['mpu', 'leaderboard', 'native']),
  pub('Tech Daily UK', 'techdaily.co.uk', 'GB', 'GBP', [['Gadgets', 'tech', 'Phones, laptops and smart home reviews'], ['Games', 'gaming', 'Console and PC games news'], ['Science', 'tech', 'Space, AI and science news']], ['mpu', 'leaderboard', 'halfpage', 'native', 'preroll']),
  pub('Wiener Blatt', 'wienerblatt.at', 'AT', 'EUR', [['Nachrichten', 'news', 'Österreich und die Welt'], ['Sport', 'sport', 'Fußball, Ski alpin und Formel 1'], ['Kultur', 'entertainment', 'Oper, Theater, Film und Musik']], ['mpu', 'leaderboard', 'native']),
  pub('Northern Daily', 'northerndaily.co.uk', 'GB', 'GBP', [['News', 'news', 'Manchester, Leeds and the North'], ['Sport', 'sport', 'United, City and rugby league'], ['Business', 'business', 'Northern companies and jobs']], ['mpu', 'leaderboard', 'halfpage', 'native', 'preroll']),
  pub('Diário Digital', 'diariodigital.pt', 'PT', 'EUR', [['Notícias', 'news', 'Portugal e o mundo'], ['Desporto', 'sport', 'Futebol e modalidades']], ['mpu', 'leaderboard']),
  pub('Zürich Heute', 'zuerichheute.ch', 'CH', 'CHF', [['News', 'news', 'Zürich, die Schweiz und die Welt'], ['Wirtschaft', 'business', 'Banken, Börse und Unternehmen']], ['mpu', 'leaderboard']),
];

/** A terse rate card: one site's rows, named as its ad ops team names them. */
interface RateCard {
  source: string;
  domain: string;
  country: string;
  currency: string;
  /** What the seller says the site reaches and is about (the sheet's Audience and Content). */
  audience: string;
  content: string;
  topic: string;
  rows: Array<[id: string, slot: keyof typeof slots]>;
}

// prettier-ignore
const rateCards: RateCard[] = [
  { source: 'Hexa Media', domain: 'hexamotoring.co.uk', country: 'GB', currency: 'GBP', audience: 'Motoring enthusiasts, men 35-54, in market for a new car', content: 'Car reviews, road tests and motoring news', topic: 'auto',
    rows: [['HX_UK_HP-LB', 'leaderboard'], ['HX_UK_HP-MPU', 'mpu'], ['HX_UK_ROS-MPU', 'mpu'], ['HX_UK_ROS-HP', 'halfpage'], ['HX_UK_HP-BB', 'billboard'], ['HX_UK_VID-PRE15', 'preroll'], ['HX_UK_NL', 'newsletter']] },
  { source: 'Hexa Media', domain: 'hexahome.co.uk', country: 'GB', currency: 'GBP', audience: 'First-time homebuyers, renovators and renters planning a move', content: 'Property listings advice, mortgages and home improvement', topic: 'real_estate',
    rows: [['HXH_UK_HP-LB', 'leaderboard'], ['HXH_UK_ROS-MPU', 'mpu'], ['HXH_UK_ROS-HP', 'halfpage'], ['HXH_UK_NATIVE', 'native'], ['HXH_UK_NL', 'newsletter']] },
  { source: 'PPN', domain: 'ppn-eltern.de', country: 'DE', currency: 'EUR', audience: 'Eltern mit Kindern unter sechs, werdende Mütter', content: 'Schwangerschaft, Baby und Familienalltag', topic: 'parenting',
    rows: [['PPN_DE_HP_BB', 'billboard'], ['PPN_DE_ROS_MR', 'mpu'], ['PPN_DE_ROS_SKY', 'halfpage'], ['PPN_DE_ADV', 'native'], ['PPN_DE_PRE', 'preroll']] },
  { source: 'FNW', domain: 'fnw-markets.com', country: 'US', currency: 'USD', audience: 'CFOs, finance directors and high-income investors', content: 'Markets, corporate finance and investing', topic: 'business',
    rows: [['FNW US ROS 300x250', 'mpu'], ['FNW US ROS 728x90', 'leaderboard'], ['FNW US HP 970x250', 'billboard'], ['FNW US NL SPONS', 'newsletter'], ['FNW US PRE 15', 'preroll']] },
  { source: 'KLK', domain: 'klk-cuisine.fr', country: 'FR', currency: 'EUR', audience: 'Foodies and home cooks, mostly women 25-54', content: 'Recettes, cuisine du quotidien et pâtisserie', topic: 'food',
    rows: [['KLK FR HP 728', 'leaderboard'], ['KLK FR ROS 300', 'mpu'], ['KLK FR HP 970', 'billboard'], ['KLK FR NAT', 'native'], ['KLK FR PRE', 'preroll']] },
  { source: 'GMR', domain: 'gmr-play.com', country: 'US', currency: 'USD', audience: 'Gamers 18-34 and esports fans', content: 'Game reviews, walkthroughs and live streams', topic: 'gaming',
    rows: [['GMR_US_ROS_300x600', 'halfpage'], ['GMR_US_ROS_300x250', 'mpu'], ['GMR_US_HP_728x90', 'leaderboard'], ['GMR_US_PRE', 'preroll']] },
  { source: 'VDG', domain: 'vdg-viaggi.it', country: 'IT', currency: 'EUR', audience: 'Viaggiatori alto spendenti, coppie 30-60', content: 'Viaggi, hotel e destinazioni in Italia e nel mondo', topic: 'travel',
    rows: [['VDG IT HP MASTHEAD', 'billboard'], ['VDG IT ROS BOX', 'mpu'], ['VDG IT ROS HP', 'halfpage'], ['VDG IT NATIVE', 'native']] },
];

/** Flights of the rate cards' rows (the same rotation as the first half's). */
const flights: Array<[string, string]> = [
  ['2026-11-01', '2026-12-31'],
  ['2026-11-01', '2027-03-31'],
  ['2027-01-01', '2027-03-31'],
];

function rateCardEntries(start: number): Entry[] {
  const out: Entry[] = [];
  let n = start;
  for (const card of rateCards) {
    for (const [id, key] of card.rows) {
      const slot = slots[key]!;
      const avail = availRow(n, {
        availId: id.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        name: id,
        collectionName: card.domain.split('.')[0]!.toUpperCase(),
        collectionDescription: card.domain,
        channel: slot.channel,
        flight: flights[n % flights.length]!,
        formats: slot.formats,
        cpm: slot.cpm - 2 + (n % 4),
        currency: card.currency,
        domain: card.domain,
        capacity: 120_000 + ((n * 6151) % 500_000),
        countries: [card.country],
        audience: card.audience,
        content: card.content,
      });
      out.push(
        entryOf(avail, card.source, {
          channels: [slot.channel],
          countries: [card.country],
          formats: slot.truth,
          topics: [card.topic],
        }),
      );
      n += 1;
    }
  }
  return out;
}

/** The second half's spreadsheet rows: more publishers, then the terse rate cards. */
export function grownSpreadsheetEntries(): Entry[] {
  return [...publisherEntries(20_000, morePublishers), ...rateCardEntries(30_000)];
}
