import { languages, stemIn } from './read/language.js';

/**
 * Topics: words that name the same content or audience, in English and in the section names
 * of the main ad markets, read as one `topic:<name>` term beside the word itself, so "football
 * fans" meets a "Calcio" section and "car buyers" meets "Motoring". The words are the common
 * section and audience names of publishers (IAB content categories' first tier, loosely), not
 * any one catalogue's.
 */
const topicWords: Record<string, string> = {
  sport:
    'sport sports sporting football soccer fussball futbol calcio rugby cricket tennis golf nfl nba nhl mlb hockey baseball basketball bundesliga athletics olympic olympics f1 motorsport deportes deporte ski skiing snowboard biathlon darts snooker cycling boxing sportif sportive sportifs sportives sportivo sportiva sportivi deportivo deportiva deportivos sportief sportieve voetbal',
  news: 'news nachrichten actualites actualite noticias notizie nieuws politics politik politique cronaca breaking headlines',
  business:
    'business finance financial money economy economie economia wirtschaft finanzen geld stocks investing investor cfo banking fintech b2b',
  tech: 'tech technology gadgets gadget electronics computing software cio infotech',
  auto: 'auto autos car cars motoring motor motori automotive vehicle vehicles driver drivers',
  food: 'food recipe recipes cooking cook cuisine cucina kitchen dining restaurant restaurants baking foodie grocery',
  travel:
    'travel travelling traveller holiday holidays vacation vacations reise reisen voyage voyages viajes viaje viaggi tourism trips',
  entertainment:
    'entertainment film films movie movies cinema series drama music celebrity culture anime',
  parenting:
    'parenting parents parent mums moms mum mom mothers dads fathers baby babies toddler toddlers family families eltern familie famille familia famiglia genitori ouders gezin',
  kids: 'kids kid children child childrens youngsters tweens cartoon cartoons toy toys spielzeug jouets juguetes giocattoli speelgoed kinder kinderprogramm enfants enfant ninos nino bambini bambino kinderen',
  health: 'health healthy fitness wellness wellbeing nutrition diet gym',
  gaming: 'gaming gamer gamers videogames esports esport console consoles',
  real_estate:
    'property properties estate realestate housing mortgage mortgages homebuyer homebuyers immobilien immobilier immobiliere inmobiliaria inmobiliario vivienda immobiliare immobiliari vastgoed woningen huizen',
  outdoor:
    'outdoor outdoors hiking camping trail trails climbing mountain mountains montagne montanas montagna berg berge bergsport wandern randonnee senderismo escursionismo wandelen',
  retail: 'retail shopping shoppers shop commerce ecommerce',
  beauty: 'beauty cosmetics skincare makeup kosmetik beaute belleza bellezza schoonheid',
  lifestyle: 'lifestyle lifestyles',
  fashion:
    'fashion fashions apparel clothing clothes style streetwear mode moda modemagazin vetements ropa abbigliamento kleding',
  education:
    'education educational school schools student students university universities college colleges campus learning teachers bildung schule schulen studenten schuler ecole etudiants enseignement educacion escuela estudiantes universidad istruzione scuola studenti universita onderwijs scholieren',
  home: 'interiors interior wonen woon garden gardening diy decor homeware furniture wohnen garten einrichtung maison jardin decoration hogar decoracion arredamento giardino tuin interieur',
  alcohol:
    'alcohol alcoholic beer beers wine wines spirits liquor whisky vodka gin cocktails brewery alkohol bier wein alcool vin biere bebidas cerveza vino birra bier',
  gambling:
    'gambling betting bet bets casino casinos poker lottery bookmaker bookmakers sportsbook glucksspiel wetten apuestas scommesse azzardo gokken',
  crime: 'crime crimes criminal murder krimi polar crimen misdaad',
  pets: 'pet pets dog dogs cat cats puppy puppies kitten kittens petcare haustier haustiere hund hunde katze katzen chien chiens mascota mascotas perro perros gato gatos animali cani gatto gatti huisdier huisdieren hond honden katten',
};

/** The listed words by topic. */
export const topicWordLists: Readonly<Record<string, string>> = topicWords;

/** Each listed word as written and as each language stems it → its topic. */
const topicOfTerm = new Map<string, string>();
for (const [topic, list] of Object.entries(topicWords)) {
  for (const w of list.split(' ')) {
    for (const form of [w, ...languages.map((l) => stemIn(l, w))])
      if (!topicOfTerm.has(form)) topicOfTerm.set(form, topic);
  }
}
/** Listed words long enough to be read at the start of any compound ("Fußballfans"). */
const compoundHeads = [...topicOfTerm.keys()].filter((w) => w.length >= 5 && !/\d/.test(w));

/**
 * What a reader or a place is called at the end of a compound whose head is the topic
 * ("Autofans", "woonsites", "Sportseiten", "autoliefhebbers"), in the markets' languages, as
 * written and stemmed. A short head (four letters) names its topic only before one of these:
 * "automation" is no motoring.
 */
const compoundTails = new Set(
  'fan fans site sites seite seiten webseiten websites liebhaber liefhebber liefhebbers lezer lezers leser portal portale'
    .split(' ')
    .flatMap((w) => [w, ...languages.map((l) => stemIn(l, w))]),
);
const shortHeads = [...topicOfTerm.keys()].filter((w) => w.length === 4 && !/\d/.test(w));

/**
 * The topic a term (a word as tokensOf gives it, or its stem) names: listed; or a compound that
 * starts with a listed word of five letters or more; or one of four letters before a reader or
 * site word (compoundTails).
 */
export function topicOfWord(term: string): string | undefined {
  const listed = topicOfTerm.get(term);
  // A vocabulary term (`geo:DE`, `retail_media`) is no compound: retail media is a channel.
  if (listed || term.includes(':') || term.includes('_')) return listed;
  if (term.length >= 9) {
    const head = compoundHeads.find((h) => term.startsWith(h));
    if (head) return topicOfTerm.get(head);
  }
  const short = shortHeads.find((h) => term.startsWith(h) && compoundTails.has(term.slice(4)));
  return short ? topicOfTerm.get(short) : undefined;
}

/**
 * News words whose neighbour names another topic ("sports news", "l'actualité sportive",
 * "noticias deportivas", "business news"): the news is about that topic, and a planner reads the
 * topic, not news; and a holiday of the season (below), not of travel. Their indexes in `raws` (a text's words in order, one-letter elisions skipped).
 */
export function aboutNews(raws: readonly string[]): Set<number> {
  const out = new Set<number>();
  const topicAt = (i: number) => (raws[i] ? topicOfWord(raws[i]) : undefined);
  const near = (i: number, step: number) => {
    let j = i + step;
    while (raws[j] !== undefined && raws[j]!.length < 2) j += step;
    return j;
  };
  for (let i = 0; i < raws.length; i++) {
    if (seasonal.has(raws[i]!)) {
      // "holiday gift guides", "holiday shoppers", "holiday baking": the season, not a trip.
      const next = raws[near(i, 1)];
      if (next && (seasonWords.has(next) || (topicAt(near(i, 1)) ?? 'travel') !== 'travel'))
        out.add(i);
      continue;
    }
    if (topicAt(i) !== 'news') continue;
    const other = [topicAt(near(i, -1)), topicAt(near(i, 1))].some((x) => x && x !== 'news');
    if (other) out.add(i);
  }
  return out;
}

/**
 * "Holiday" is a trip in British English and the year-end season in American: before a word of
 * the season's trade or of another topic it is the season, and names no travel.
 */
const seasonal = new Set(['holiday', 'holidays']);
const seasonWords = new Set(
  'season seasonal gift gifts gifting sale sales party parties campaign period peak rush'.split(
    ' ',
  ),
);

/*
 * A planner's neighbouring topics: a toy brand's kids brief and a family film slot are not of
 * "another topic" (each is read as its own, so neither matches the other: only the penalty for
 * another topic is spared).
 */
const neighbours: Record<string, readonly string[]> = {
  'topic:kids': ['topic:parenting'],
  'topic:parenting': ['topic:kids'],
};

/** The asked topics and their neighbours: a product about one of them is of no other topic. */
export function topicsNear(asked: readonly string[]): string[] {
  return [...new Set(asked.flatMap((t) => [t, ...(neighbours[t] ?? [])]))];
}

/**
 * The subjects a general-interest lifestyle title mixes ("long reads, food, travel and
 * culture"): a product about three or more of them is lifestyle too, as a planner reads a
 * weekend edition, where one about food alone stays food.
 */
const lifestyleSubjects = new Set(
  ['food', 'travel', 'entertainment', 'fashion', 'beauty', 'home', 'health'].map(
    (t) => `topic:${t}`,
  ),
);

/** `topics` and lifestyle when they mix three or more of its subjects. */
export function withLifestyle(topics: readonly string[]): string[] {
  const mixed = topics.filter((t) => lifestyleSubjects.has(t)).length >= 3;
  return mixed && !topics.includes('topic:lifestyle')
    ? [...topics, 'topic:lifestyle']
    : [...topics];
}
