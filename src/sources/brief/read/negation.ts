/**
 * What a brief rules out, in every language the brief is read in (language.ts): "no alcohol",
 * "not alongside hard news", "avoid under-13 content", "keine Glücksspielwerbung", "sans
 * politique", "sin apuestas", "niente gioco d'azzardo", "geen nieuws". A cue opens a span that
 * runs to the end of its clause, a contrast ("but"), another cue, or a comma whose next part is
 * not a list ("no alcohol, gambling or tobacco" goes on; "no alcohol, UK sports fans" stops).
 * Soft cues ("prefer not", "ideally avoid") rank what they name last instead of leaving it out.
 * The same reading takes a product's own negations out of its words ("no alcohol advertising
 * accepted" is not about alcohol).
 */

export interface Negated {
  /** The text, accents folded, with every cue and what it rules out blanked (what is asked for). */
  kept: string;
  /** What the text rules out, each span as written (accents folded). */
  spans: Array<{ text: string; soft: boolean }>;
}

/** Cues that leave out what they name, by language (accents folded, lower case). */
const hardCues = [
  // English
  'no|not|never|nor|avoid|avoiding|exclude|excluding|excluded|except|except for|without|' +
    "other than|apart from|stay away from|steer clear of|keep away from|don't|do not|" +
    "doesn't|does not|won't|will not|must not|cannot|can't|nothing|none of|outside of|" +
    // "anything but news": the contrast word is the cue ("but" alone turns back, below).
    'anything but|everything but|anything except|everything except',
  // German
  'kein|keine|keinen|keiner|keinem|keines|nicht|ohne|ausser|außer|vermeiden|ausgenommen|' +
    'ausschliesslich nicht|ausschließlich nicht|nie|niemals',
  // French
  "pas de|pas d'|pas|sans|eviter|evitez|hors|sauf|aucun|aucune|jamais|excepte|exclure|" +
    'exclus|ni',
  // Spanish
  'sin|evitar|evitando|excepto|salvo|ningun|ninguna|ninguno|nunca|excluir|excluyendo|' +
    'fuera de|todo menos|cualquier cosa menos',
  // Italian
  'non|senza|evitare|tranne|eccetto|escluso|esclusi|esclusa|escluse|nessun|nessuna|' +
    'nessuno|niente',
  // Dutch
  'geen|niet|zonder|vermijden|vermijd|behalve|uitgezonderd|nooit|uitsluiten',
].flatMap((list) => list.split('|'));

/** Cues that rank what they name last, by language. */
const softCues = [
  'prefer not|preferably not|preferably no|preferably without|ideally not|ideally no|' +
    'ideally without|ideally avoid|rather not|would rather avoid|if possible avoid|' +
    'if possible not|try to avoid|less of|lieber kein|lieber keine|moglichst kein|' +
    'moglichst keine|möglichst kein|möglichst keine|eher nicht|eher kein|eher keine|' +
    'de preference pas|de preference sans|plutot pas|plutot sans|si possible sans|' +
    'si possible pas|idealement sans|idealement pas|preferiblemente sin|preferiblemente no|' +
    'mejor sin|idealmente sin|idealmente no|preferibilmente senza|preferibilmente non|' +
    'meglio evitare|possibilmente senza|possibilmente non|liever geen|liever niet|' +
    'bij voorkeur geen|bij voorkeur niet|het liefst geen',
].flatMap((list) => list.split('|'));

/**
 * Words after a cue that make it no ruling out: "no later than", "not only", "no preference",
 * "no minimum" say something else.
 */
const notRulingOut = new Set(
  [
    'later|earlier|more|less|fewer|longer|sooner|only|just|necessarily|preference|' +
      'preferences|particular|specific|restriction|restrictions|requirement|requirements|' +
      'minimum|min|need|problem|matter|limit|limits|cap|caps|fixed|set|other|solo|nur|' +
      'seulement|uniquement|mehr|plus|mas|piu|meer|later|spater|apres|despues|dopo|na',
  ].flatMap((list) => list.split('|')),
);

/** Words that end a ruled-out span: a contrast turns back to what is asked for. */
const contrasts = new Set(
  [
    'but|however|instead|rather|yet|only|while|whereas|aber|sondern|jedoch|nur|mais|plutot|' +
      'seulement|pero|sino|solo|ma|pero|bensi|maar|alleen|wel',
  ].flatMap((list) => list.split('|')),
);

/** Words that join a list: a comma followed by one of them goes on ruling out. */
const joiners = new Set(
  ['or|and|nor|oder|und|noch|ou|et|ni|o|y|ni|e|ne|of|en|noch'].flatMap((list) => list.split('|')),
);

/** At most this many words a cue rules out (a runaway span would blank a whole brief). */
const maxSpanWords = 8;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cuePattern = (cues: string[]) =>
  [...new Set(cues)]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
/** A cue: soft ones first (they contain hard ones: "prefer not"), on word boundaries. */
const cues = new RegExp(
  `(?<![\\p{L}\\p{N}_-])(?:(?<soft>${cuePattern(softCues)})|(?<hard>${cuePattern(hardCues)}))(?![\\p{L}\\p{N}_'-])`,
  'giu',
);

const folded = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Clauses: a sentence's end, a semicolon, a bracket or a line ends a span. */
const clauseEnd = /[.;!?\n•|()[\]]/;

/** The end (exclusive) of the span a cue at `from` rules out in `text`. */
function spanEnd(text: string, from: number): number {
  let words = 0;
  let i = from;
  while (i < text.length) {
    const ch = text[i]!;
    if (clauseEnd.test(ch) && !(ch === '.' && /\d/.test(text[i + 1] ?? ''))) return i;
    if (ch === ',' || ch === ':' || ch === '/' || ch === '—' || ch === '–') {
      // A list goes on ("no alcohol, gambling or tobacco"); anything else stops.
      const next = /^[^,.;!?\n]*/.exec(text.slice(i + 1))![0];
      const nextWords = next.toLowerCase().split(/[^\p{L}]+/u);
      if (ch !== ',' || !nextWords.some((w) => joiners.has(w))) return i;
    }
    const word = /^[\p{L}\p{N}'’_-]+/u.exec(text.slice(i));
    if (word) {
      if (contrasts.has(word[0].toLowerCase()) || ++words > maxSpanWords) return i;
      i += word[0].length;
      continue;
    }
    i++;
  }
  return i;
}

/** What `text` rules out, and the text with it blanked. */
export function negationsOf(text: string): Negated {
  const source = folded(text);
  const spans: Negated['spans'] = [];
  const blank: Array<[number, number]> = [];
  cues.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = cues.exec(source))) {
    const cueEnd = match.index + match[0].length;
    const following = /^[\s'’]*([\p{L}]+)/u.exec(source.slice(cueEnd))?.[1]?.toLowerCase();
    if (!following || notRulingOut.has(following)) continue;
    // The span stops before the next cue: "no alcohol and no gambling" is two spans.
    const rest = source.slice(cueEnd);
    const nextCue = new RegExp(cues.source, 'iu').exec(rest);
    const end = Math.min(spanEnd(source, cueEnd), nextCue ? cueEnd + nextCue.index : Infinity);
    const span = source.slice(cueEnd, end).trim();
    if (span) spans.push({ text: span, soft: match.groups?.['soft'] !== undefined });
    blank.push([match.index, end]);
    cues.lastIndex = Math.max(cueEnd, end);
  }
  if (!blank.length) return { kept: source, spans };
  let kept = '';
  let at = 0;
  for (const [from, to] of blank) {
    kept += `${source.slice(at, from)} , `;
    at = to;
  }
  return { kept: kept + source.slice(at), spans };
}
