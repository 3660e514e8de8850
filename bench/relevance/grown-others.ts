import { placementProducts } from '../../src/modules/provider-adapters/shared/placement-products.js';
import { type Rule, entryOf } from './catalogue-adservers.js';
import { type Line, lineEntry } from './catalogue-agents.js';
import type { Entry } from './types.js';
import { adapterWordCount } from './wordcount.js';

/*
 * The relevance set's second half of ad-server, agent and adapter inventory (issue 71 item 6),
 * in the shapes the first half's files build (catalogue-adservers.ts, catalogue-agents.ts,
 * catalogue-adapters.ts).
 */

const sizes: Array<[string, [number, number]]> = [
  ['ROS leaderboard 728x90', [728, 90]],
  ['ROS MPU 300x250', [300, 250]],
  ['ROS half page 300x600', [300, 600]],
  ['Mobile banner 320x50', [320, 50]],
  ['Homepage billboard 970x250', [970, 250]],
];

// prettier-ignore
const networks: Array<[network: string, currency: string, country: string, sites: Array<[string, string, string, string]>]> = [
  ['Gallia Numérique (Google Ad Manager)', 'EUR', 'FR', [['Routes & Moteurs', 'routesmoteurs.fr', 'auto', 'essais auto, actualité automobile'], ['Maison Déco', 'maisondeco.fr', 'home', 'décoration, travaux et jardin'], ['Santé Active', 'santeactive.fr', 'health', 'santé, forme et nutrition'], ['Voyageur', 'voyageur.fr', 'travel', 'idées de voyage et week-ends']]],
  ['Italia Digitale (Google Ad Manager)', 'EUR', 'IT', [['MotoriOnline', 'motorionline.it', 'auto', 'prove su strada e novità auto'], ['Finanza Oggi', 'finanzaoggi.it', 'business', 'borsa, risparmio e economia'], ['Lei Oggi', 'leioggi.it', 'fashion', 'moda, bellezza e lifestyle femminile'], ['Viaggi Italia', 'viaggiitalia.it', 'travel', 'vacanze e turismo in Italia']]],
  ['Lowlands Media (Google Ad Manager)', 'EUR', 'NL', [['Nieuwsdirect', 'nieuwsdirect.nl', 'news', 'het laatste nieuws uit Nederland'], ['Voetbal Vandaag', 'voetbalvandaag.nl', 'sport', 'Eredivisie en Oranje'], ['Geldzaken', 'geldzaken.nl', 'business', 'sparen, beleggen en hypotheek'], ['Reizen NL', 'reizennl.nl', 'travel', 'vakanties en stedentrips']]],
  ['Britannia Digital (Google Ad Manager)', 'GBP', 'GB', [['Petrolhead UK', 'petrolhead.co.uk', 'auto', 'car reviews and used car buying'], ['Home & Garden UK', 'homegarden.co.uk', 'home', 'interiors, DIY and gardening'], ['MoneyWise UK', 'moneywise.co.uk', 'business', 'savings, pensions and mortgages'], ['Pitchside', 'pitchside.co.uk', 'sport', 'football, cricket and rugby news'], ['Family Matters', 'familymatters.co.uk', 'parenting', 'parenting advice and family days out']]],
  ['Pacific Publishers (Google Ad Manager)', 'USD', 'US', [['Pet Life', 'petlife.com', 'pets', 'dog and cat care'], ['Glow', 'glowbeauty.com', 'beauty', 'skincare and makeup reviews'], ["Runner's Lane", 'runnerslane.com', 'health', 'running and fitness'], ['HomeBuyer', 'homebuyer.com', 'real_estate', 'house hunting and mortgages'], ['CIO Today', 'ciotoday.com', 'tech', 'enterprise IT news for CIOs'], ['Kids Corner', 'kidscorner.com', 'parenting', 'activities and advice for parents']]],
  ['Maple Networks (Google Ad Manager)', 'CAD', 'CA', [['Maple Sports', 'maplesports.ca', 'sport', 'NHL, CFL and Raptors coverage'], ['Canadian Money', 'canadianmoney.ca', 'business', 'personal finance in Canada']]],
];

// prettier-ignore
const video: Array<[seller: string, domain: string, currency: string, country: string, channel: 'ctv' | 'olv', minSpend: number | undefined, lines: Array<[string, string, string, string]>]> = [
  ['Stream Italia (FreeWheel)', 'streamitalia.tv', 'EUR', 'IT', 'ctv', 10_000, [['calcio', 'Stream Italia Calcio live', 'sport', 'Serie A in diretta sulle smart TV'], ['fiction', 'Stream Italia Fiction', 'entertainment', 'serie TV e fiction italiane'], ['tg', 'Stream Italia TG', 'news', 'telegiornali e approfondimenti']]],
  ['Nederland Stream (FreeWheel)', 'nlstream.tv', 'EUR', 'NL', 'ctv', 8_000, [['sport', 'NL Stream Sport', 'sport', 'live voetbal en schaatsen'], ['series', 'NL Stream Series', 'entertainment', 'Nederlandse series en films'], ['kids', 'NL Stream Kids', 'parenting', 'kinderprogramma\'s']]],
  ['Vidéo Plus (SpringServe)', 'videoplusfr.fr', 'EUR', 'FR', 'olv', undefined, [['sport', 'Vidéo Plus sport pre-roll', 'sport', 'pré-roll avant les résumés de matchs'], ['cuisine', 'Vidéo Plus cuisine pre-roll', 'food', 'pré-roll sur les vidéos de recettes'], ['auto', 'Vidéo Plus auto pre-roll', 'auto', 'pré-roll sur les essais auto'], ['info', 'Vidéo Plus info pre-roll', 'news', 'pré-roll sur les vidéos d\'actualité']]],
  ['ReelTime (SpringServe)', 'reeltime.co.uk', 'GBP', 'GB', 'olv', undefined, [['football', 'ReelTime football pre-roll', 'sport', 'pre-roll on football highlights'], ['beauty', 'ReelTime beauty pre-roll', 'beauty', 'pre-roll on makeup tutorials'], ['tech', 'ReelTime tech pre-roll', 'tech', 'pre-roll on gadget reviews'], ['news', 'ReelTime news pre-roll', 'news', 'pre-roll on news clips']]],
  ['Hola Video (SpringServe)', 'holavideo.es', 'EUR', 'ES', 'olv', undefined, [['futbol', 'Hola Video fútbol pre-roll', 'sport', 'pre-roll en resúmenes de LaLiga'], ['noticias', 'Hola Video noticias pre-roll', 'news', 'pre-roll en vídeos de noticias'], ['viajes', 'Hola Video viajes pre-roll', 'travel', 'pre-roll en vídeos de viajes']]],
];

function adServerEntries(): Entry[] {
  const out: Entry[] = [];
  for (const [network, currency, country, sites] of networks) {
    for (const [site, domain, topic, about] of sites) {
      for (const [label, size] of sizes) {
        const rule: Rule = {
          productId: `${domain.split('.')[0]}-${label.split(' ')[0]!.toLowerCase()}-${size.join('x')}`,
          name: `${site} ${label}`,
          description: `${site}: ${about}`,
          keyValues: { site: [domain.split('.')[0]!] },
          sizes: [size],
          channel: 'display',
          cpm: 5 + (out.length % 10),
          countries: [country],
          topics: [topic],
        };
        out.push(entryOf(rule, network, currency, domain));
      }
    }
  }
  for (const [seller, domain, currency, country, channel, minSpend, lines] of video) {
    for (const [slug, name, topic, about] of lines) {
      for (const seconds of [15, 30]) {
        const rule: Rule = {
          productId: `${domain.split('.')[0]}-${slug}-${seconds}s`,
          name: `${name} ${seconds}s`,
          description: `${name}: ${about}`,
          keyValues: { genre: [slug] },
          durations: [seconds],
          channel,
          cpm: (channel === 'ctv' ? 28 : 11) + (out.length % 6),
          ...(minSpend !== undefined && { minSpend }),
          countries: [country],
          topics: [topic],
        };
        out.push(entryOf(rule, seller, currency, domain));
      }
    }
  }
  return out;
}

type Row = [
  id: string,
  name: string,
  description: string,
  channel: Line['channel'],
  formats: string[],
  countries: string[] | 'any',
  topic: string,
  cpm: number,
  minSpend?: number,
];
const familiesOf = (formats: readonly string[]) => [
  ...new Set(
    formats.flatMap((f) =>
      f.startsWith('display_')
        ? ['display', `size:${f.slice(8)}`]
        : f.startsWith('video') || f.startsWith('dooh')
          ? ['video']
          : f.startsWith('audio')
            ? ['audio']
            : f.startsWith('native') || f.startsWith('sponsored')
              ? ['native']
              : ['display'],
    ),
  ),
];
const lines = (rows: Row[]): Line[] =>
  rows.map(([id, name, description, channel, formats, countries, topic, cpm, minSpend]) => ({
    id,
    name,
    description,
    channel,
    formats,
    families: familiesOf(formats),
    countries,
    topic,
    cpm,
    ...(minSpend !== undefined && { minSpend }),
  }));

const podcastMarkets: Array<[string, string, string, string, string]> = [
  ['DE', 'Deutschland', 'Nachrichten-Podcast', 'True-Crime-Podcast', 'Fußball-Podcast'],
  ['FR', 'France', "Podcast d'actualité", 'Podcast faits divers', 'Podcast foot'],
  ['ES', 'España', 'Podcast de noticias', 'Podcast de crímenes reales', 'Podcast de fútbol'],
  ['IT', 'Italia', 'Podcast di notizie', 'Podcast true crime', 'Podcast di calcio'],
  ['NL', 'Nederland', 'Nieuwspodcast', 'True-crimepodcast', 'Voetbalpodcast'],
];
const eur = ['ES', 'FR', 'DE', 'IT', 'NL'];

// prettier-ignore
const agentSellers: Array<[seller: string, domain: string, currency: string, rows: Row[]]> = [
  ['EuroAudio', 'euroaudio.fm', 'EUR', podcastMarkets.flatMap(([c, market, news, crime, sport]) => [
    [`ea_${c.toLowerCase()}_news`, `${news} (${market})`, `Audio spots in daily news podcasts, ${market}.`, 'podcast', ['audio_30s'], [c], 'news', 18],
    [`ea_${c.toLowerCase()}_crime`, `${crime} (${market})`, `Mid-roll in true crime podcasts, ${market}.`, 'podcast', ['audio_30s'], [c], 'entertainment', 20],
    [`ea_${c.toLowerCase()}_sport`, `${sport} (${market})`, `Pre-roll in football podcasts, ${market}.`, 'podcast', ['audio_30s'], [c], 'sport', 19],
  ] satisfies Row[])],
  ['MetroScreens Europe', 'metroscreens.eu', 'EUR', [
    ['ms_paris_metro', 'Paris Métro digital screens', 'Full-motion screens in Paris métro corridors.', 'dooh', ['dooh_1080x1920'], ['FR'], 'general', 14],
    ['ms_madrid_metro', 'Madrid Metro screens', 'Digital screens in Madrid metro stations.', 'dooh', ['dooh_1080x1920'], ['ES'], 'general', 12],
    ['ms_milano_centrale', 'Milano Centrale station screens', 'Large screens in Milan central station.', 'dooh', ['dooh_1920x1080'], ['IT'], 'general', 15],
    ['ms_amsterdam_centraal', 'Amsterdam Centraal screens', 'Screens in Amsterdam central station halls.', 'dooh', ['dooh_1920x1080'], ['NL'], 'general', 13],
    ['ms_frankfurt_airport', 'Frankfurt Airport screens', 'Digital screens at Frankfurt airport gates, business travellers.', 'dooh', ['dooh_1920x1080'], ['DE'], 'travel', 22],
    ['ms_rome_roadside', 'Rome roadside digital billboards', 'Digital billboards on Rome ring roads.', 'dooh', ['dooh_1920x1080'], ['IT'], 'general', 11],
    ['ms_lyon_malls', 'Lyon shopping mall screens', 'Screens in Lyon shopping centres.', 'dooh', ['dooh_1080x1920'], ['FR'], 'retail', 10],
    ['ms_barcelona_beach', 'Barcelona seafront screens', 'Seafront digital screens in Barcelona, summer footfall.', 'dooh', ['dooh_1920x1080'], ['ES'], 'travel', 12],
  ]],
  ['CarMarket', 'carmarket.com', 'USD', ['US', 'GB', 'DE', 'FR', 'IT'].flatMap((c) => [
    [`cm_${c.toLowerCase()}_listings`, `CarMarket ${c} listings display`, `Display on used and new car listings, ${c} car buyers in market.`, 'display', ['display_300x250', 'display_728x90'], [c], 'auto', 12],
    [`cm_${c.toLowerCase()}_native`, `CarMarket ${c} sponsored listing`, `Native sponsored dealer listings, ${c}.`, 'display', ['native_in_feed'], [c], 'auto', 16],
  ] satisfies Row[])],
  ['TravelNet', 'travelnet.com', 'USD', ['US', 'GB', 'DE', 'FR', 'ES', 'IT'].flatMap((c) => [
    [`tn_${c.toLowerCase()}_search`, `TravelNet ${c} flight search display`, `Display beside flight and hotel search results, ${c} travellers.`, 'display', ['display_300x250', 'display_300x600'], [c], 'travel', 11],
    [`tn_${c.toLowerCase()}_video`, `TravelNet ${c} destination video`, `Pre-roll on destination guides, ${c}.`, 'olv', ['video_15s'], [c], 'travel', 21],
  ] satisfies Row[])],
  ['HomeHunt', 'homehunt.com', 'USD', [
    ['hh_us_listings', 'HomeHunt listing pages MPU', 'Medium rectangle on US home listings, house hunters and first-time buyers.', 'display', ['display_300x250'], ['US'], 'real_estate', 13],
    ['hh_us_mortgage', 'HomeHunt mortgage calculator sponsorship', 'Sponsor the mortgage calculator, buyers close to a purchase.', 'display', ['native_in_feed'], ['US'], 'real_estate', 25],
    ['hh_gb_listings', 'HomeHunt UK listing pages MPU', 'Medium rectangle on UK property listings.', 'display', ['display_300x250'], ['GB'], 'real_estate', 12],
    ['hh_de_listings', 'HomeHunt Deutschland Exposé-Seiten', 'Medium Rectangle auf Immobilien-Exposés.', 'display', ['display_300x250'], ['DE'], 'real_estate', 12],
    ['hh_us_video', 'HomeHunt virtual tour pre-roll', 'Pre-roll before virtual home tours.', 'olv', ['video_15s'], ['US'], 'real_estate', 22],
  ]],
  ['FitStream', 'fitstream.app', 'USD', [
    ['fs_us_app', 'FitStream app workout break video', 'Video between workouts in the FitStream app.', 'olv', ['video_15s'], ['US'], 'health', 19],
    ['fs_gb_app', 'FitStream UK app banner', 'Banners in the FitStream app, UK gym-goers.', 'display', ['display_320x50'], ['GB'], 'health', 8],
    ['fs_de_app', 'FitStream Deutschland App-Banner', 'Banner in der FitStream App.', 'display', ['display_320x50'], ['DE'], 'health', 8],
    ['fs_audio', 'FitStream workout playlists audio', 'Audio spots in workout playlists.', 'streaming_audio', ['audio_30s'], ['US', 'GB'], 'health', 15],
  ]],
  ['Campus Media', 'campusmedia.com', 'USD', [
    ['cmp_us_display', 'Campus Media student display', 'Display on US college student sites and apps, 18-24.', 'display', ['display_300x250', 'display_320x50'], ['US'], 'education', 9],
    ['cmp_us_social', 'Campus Media student social', 'Sponsored posts in campus social apps.', 'social', ['native_in_feed'], ['US'], 'education', 12],
    ['cmp_gb_display', 'Campus Media UK students display', 'Display on UK university student sites.', 'display', ['display_300x250'], ['GB'], 'education', 8],
    ['cmp_us_dooh', 'Campus Media dorm and library screens', 'Screens in US campus libraries and dorms.', 'dooh', ['dooh_1920x1080'], ['US'], 'education', 10],
  ]],
  ['Holiday Shop Retail Media', 'holidayshop.com', 'USD', [
    ['hs_toys', 'Toys sponsored products', 'Sponsored products in the toy aisle, peak in the holiday season.', 'retail_media', ['sponsored_product'], ['US'], 'parenting', 9],
    ['hs_gifts', 'Gift guide sponsorship', 'Sponsored placements in holiday gift guides.', 'retail_media', ['native_in_feed'], ['US'], 'retail', 14],
    ['hs_electronics', 'Electronics sponsored products', 'Sponsored products in electronics search.', 'retail_media', ['sponsored_product'], ['US'], 'tech', 10],
    ['hs_offsite', 'Holiday shoppers offsite display', 'Reach the shop\'s holiday shoppers on the open web.', 'display', ['display_300x250', 'display_728x90'], ['US'], 'retail', 8],
  ]],
  ['SportsRadio Network', 'sportsradio.net', 'USD', [
    ['srn_us_drive', 'SportsRadio US drive time', 'Live-read spots in drive-time sports talk radio.', 'radio', ['audio_30s'], ['US'], 'sport', 16],
    ['srn_us_gameday', 'SportsRadio game day broadcasts', 'Spots during live NFL and college game broadcasts.', 'radio', ['audio_30s'], ['US'], 'sport', 24, 5_000],
    ['srn_gb_talk', 'SportsTalk UK', 'Spots on UK sports talk radio.', 'radio', ['audio_30s'], ['GB'], 'sport', 15],
    ['srn_stream', 'SportsRadio streaming', 'Audio ads in the SportsRadio stream and app.', 'streaming_audio', ['audio_30s'], ['US'], 'sport', 13],
  ]],
  ['Luxe Collective', 'luxecollective.com', 'EUR', [
    ['lx_fr_fashion', 'Luxe Collective mode', 'Habillage et grands formats sur la mode de luxe.', 'display', ['display_970x250', 'display_300x600'], ['FR'], 'fashion', 30],
    ['lx_it_fashion', 'Luxe Collective moda', 'Grandi formati sulla moda di lusso.', 'display', ['display_970x250', 'display_300x600'], ['IT'], 'fashion', 30],
    ['lx_gb_fashion', 'Luxe Collective fashion', 'High-impact display on luxury fashion.', 'display', ['display_970x250', 'display_300x600'], ['GB'], 'fashion', 32],
    ['lx_ctv', 'Luxe Collective CTV', 'Luxury brand films on connected TV in Europe.', 'ctv', ['video_30s'], eur, 'fashion', 45, 20_000],
  ]],
  ['Kinderwelt Media', 'kinderwelt.de', 'EUR', [
    ['kw_de_display', 'Kinderwelt Eltern Display', 'Display für Eltern von Kleinkindern.', 'display', ['display_300x250', 'display_728x90'], ['DE'], 'parenting', 10],
    ['kw_de_ctv', 'Kinderwelt Familien-CTV', 'Familienfilme auf Smart-TVs.', 'ctv', ['video_15s', 'video_30s'], ['DE'], 'parenting', 30, 8_000],
    ['kw_at_display', 'Kinderwelt Österreich Display', 'Display für Eltern in Österreich.', 'display', ['display_300x250'], ['AT'], 'parenting', 10],
  ]],
  ['GreenLeaf B2B', 'greenleafb2b.com', 'USD', [
    ['gl_saas_display', 'SaaS buyers display', 'Display to software buyers and IT managers.', 'display', ['display_300x250', 'display_728x90'], ['US', 'GB'], 'tech', 35],
    ['gl_hr_display', 'HR leaders display', 'Display to HR directors and people teams.', 'display', ['display_300x250'], ['US', 'GB'], 'business', 33],
    ['gl_newsletter', 'GreenLeaf operations newsletter', 'Sponsorship of the weekly operations leaders newsletter.', 'email', ['native_in_feed'], ['US'], 'business', 40],
    ['gl_podcast', 'GreenLeaf B2B podcast', 'Host-read spots in the B2B leadership podcast.', 'podcast', ['audio_30s'], ['US'], 'business', 30],
  ]],
];

function agentEntries(): Entry[] {
  return agentSellers.flatMap(([seller, domain, currency, rows]) =>
    lines(rows).map((l) => lineEntry(seller, domain, currency, l)),
  );
}

/** Amazon Sponsored Display in more marketplaces (catalogue-adapters.ts builds the first five). */
function adapterEntries(): Entry[] {
  const markets = ['IT', 'ES', 'CA', 'AU', 'NL', 'SE', 'PL', 'MX'];
  const placements = markets.map((country) => ({
    id: `amazon_sponsored_display_${country.toLowerCase()}`,
    name: `Amazon Sponsored Display (${country})`,
    description:
      `Display ads with the advertiser's own image, logo and headline, linking to its site, shown ` +
      `on Amazon and across Amazon's publisher network to shoppers in the ${country} marketplace; ` +
      'bought by auction per thousand viewable impressions.',
    publisherDomain: 'amazon.com',
    words: ['amazon', 'display', 'shoppers', 'retail', 'commerce', 'banner'],
    formats: ['display_image'],
  }));
  const products = placementProducts(placements, undefined, 'USD', ['display']);
  return placements.map((p, i) => ({
    kind: 'adapter' as const,
    source: 'Amazon Ads',
    product: products[i]!,
    truth: {
      channels: ['display'],
      countries: [markets[i]!],
      formats: ['display'],
      topics: ['retail'],
      start: '2026-01-01',
      end: '2027-12-31',
      minSpend: null,
    },
    wordCount: adapterWordCount(p),
  }));
}

export const grownAdServerEntries = adServerEntries;
export const grownAgentEntries = agentEntries;
export const grownAdapterEntries = adapterEntries;
