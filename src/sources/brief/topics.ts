/**
 * Topics: words that name the same content or audience, in English and in the section names
 * of the main ad markets, read as one `topic:<name>` term beside the word itself, so "football
 * fans" meets a "Calcio" section and "car buyers" meets "Motoring". The words are the common
 * section and audience names of publishers (IAB content categories' first tier, loosely), not
 * any one catalogue's.
 */
const topicWords: Record<string, string> = {
  sport:
    'sport sports sporting football soccer fussball futbol calcio rugby cricket tennis golf nfl nba nhl mlb hockey baseball basketball bundesliga athletics olympic olympics f1 motorsport deportes deporte ski skiing snowboard biathlon darts snooker cycling boxing sportif sportive sportifs sportives sportivo sportiva sportivi deportivo deportiva deportivos sportief sportieve',
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
  kids: 'kids kid children child childrens youngsters tweens cartoon cartoons kinder kinderprogramm enfants enfant ninos nino bambini bambino kinderen',
  health: 'health healthy fitness wellness wellbeing nutrition diet gym',
  gaming: 'gaming gamer gamers videogames esports esport console consoles',
  real_estate:
    'property properties estate realestate housing mortgage mortgages homebuyer homebuyers immobilien immobilier immobiliere inmobiliaria inmobiliario vivienda immobiliare immobiliari vastgoed woningen huizen',
  outdoor:
    'outdoor outdoors hiking camping trail trails climbing mountain mountains montagne montanas montagna berg berge bergsport wandern randonnee senderismo escursionismo wandelen',
  retail: 'retail shopping shoppers shop commerce ecommerce',
  beauty: 'beauty cosmetics skincare makeup kosmetik beaute belleza bellezza schoonheid',
  fashion:
    'fashion fashions apparel clothing clothes style streetwear mode moda modemagazin vetements ropa abbigliamento kleding',
  education:
    'education educational school schools student students university universities college colleges campus learning teachers bildung schule schulen studenten schuler ecole etudiants enseignement educacion escuela estudiantes universidad istruzione scuola studenti universita onderwijs scholieren',
  home: 'interiors interior garden gardening diy decor homeware furniture wohnen garten einrichtung maison jardin decoration hogar decoracion arredamento giardino tuin interieur',
  alcohol:
    'alcohol alcoholic beer beers wine wines spirits liquor whisky vodka gin cocktails brewery alkohol bier wein alcool vin biere bebidas cerveza vino birra bier',
  gambling:
    'gambling betting bet bets casino casinos poker lottery bookmaker bookmakers sportsbook glucksspiel wetten apuestas scommesse azzardo gokken',
  crime: 'crime crimes criminal murder krimi polar crimen misdaad',
};

/** A term (a stemmed word, as termsOf gives it) → its topic; filled by vocabulary.ts. */
export const topicWordLists: Readonly<Record<string, string>> = topicWords;
