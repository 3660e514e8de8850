/**
 * The selling seasons planners name a flight by, dated in the buyer's markets: Christmas,
 * Easter, Black Friday, Mother's Day (a different Sunday in the UK, France, Spain and the US),
 * back to school (July in the US, late August in France, January in Australia), … Each is the
 * window a campaign for it runs in (its run-up, ending on the day), in the year of its next
 * window not yet over, or the year written beside it. Names in the languages a brief is read
 * in, accents folded. A date library of public holidays (date-holidays) was measured at 2.5 s
 * to load and 300 ms a market on this machine, and carries no retail events (Black Friday,
 * back to school): these few rules are the calendar's own arithmetic.
 */

const day = 86_400_000;
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/** Easter Sunday (Gregorian; the anonymous computus). */
function easter(y: number): Date {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return utc(y, month - 1, ((h + l - 7 * m + 114) % 31) + 1);
}

/** The `n`th `weekday` (0 Sunday) of a month; n = -1 the last. */
function nth(y: number, month: number, weekday: number, n: number): Date {
  if (n < 0) {
    const last = utc(y, month + 1, 0);
    return new Date(last.getTime() - ((last.getUTCDay() - weekday + 7) % 7) * day);
  }
  const first = utc(y, month, 1);
  return new Date(first.getTime() + (((weekday - first.getUTCDay() + 7) % 7) + (n - 1) * 7) * day);
}

const plus = (d: Date, days: number) => new Date(d.getTime() + days * day);
type Window = { start: Date; end: Date };
/** A run-up of `days` days ending on the day itself. */
const runUp = (d: Date, days: number): Window => ({ start: plus(d, -days), end: plus(d, 1) });

const southern = new Set(['AU', 'NZ', 'ZA', 'AR', 'BR', 'CL', 'UY']);

/** An event: its names, and its window in a year for a market. */
interface Event {
  names: string[];
  window: (year: number, market: string) => Window;
}

const events: Event[] = [
  {
    names: [
      'christmas',
      'xmas',
      'festive season',
      'holiday season',
      'weihnachten',
      'weihnachtsgeschaft',
      'noel',
      'fetes de fin d annee',
      'navidad',
      'natale',
      'kerst',
      'kerstmis',
    ],
    window: (y) => ({ start: utc(y, 10, 15), end: utc(y, 11, 25) }),
  },
  {
    names: ['black friday', 'cyber monday', 'cyber week', 'black week'],
    window: (y) => {
      const friday = plus(nth(y, 10, 4, 4), 1);
      return { start: plus(friday, -7), end: plus(friday, 4) };
    },
  },
  {
    names: ['easter', 'ostern', 'paques', 'pascua', 'semana santa', 'pasqua', 'pasen'],
    window: (y) => runUp(easter(y), 21),
  },
  {
    names: [
      'valentine',
      'valentines',
      'valentine s day',
      'valentinstag',
      'saint valentin',
      'san valentin',
      'san valentino',
      'valentijnsdag',
    ],
    window: (y) => runUp(utc(y, 1, 14), 14),
  },
  {
    names: [
      'mother s day',
      'mothers day',
      'mothering sunday',
      'muttertag',
      'fete des meres',
      'dia de la madre',
      'festa della mamma',
      'moederdag',
    ],
    window: (y, market) => {
      const d =
        market === 'GB' || market === 'IE'
          ? plus(easter(y), -21)
          : market === 'FR'
            ? nth(y, 4, 0, -1)
            : market === 'ES' || market === 'PT'
              ? nth(y, 4, 0, 1)
              : nth(y, 4, 0, 2);
      return runUp(d, 14);
    },
  },
  {
    names: [
      'father s day',
      'fathers day',
      'vatertag',
      'fete des peres',
      'dia del padre',
      'festa del papa',
      'vaderdag',
    ],
    window: (y, market) => {
      const d =
        market === 'DE'
          ? plus(easter(y), 39)
          : market === 'IT' || market === 'ES' || market === 'PT'
            ? utc(y, 2, 19)
            : market === 'AU' || market === 'NZ'
              ? nth(y, 8, 0, 1)
              : nth(y, 5, 0, 3);
      return runUp(d, 14);
    },
  },
  { names: ['halloween'], window: (y) => ({ start: utc(y, 9, 1), end: utc(y, 10, 1) }) },
  {
    names: ['thanksgiving'],
    window: (y, market) => runUp(market === 'CA' ? nth(y, 9, 1, 2) : nth(y, 10, 4, 4), 14),
  },
  {
    names: [
      'new year',
      'new years',
      'new year s',
      'neujahr',
      'nouvel an',
      'ano nuevo',
      'capodanno',
      'nieuwjaar',
    ],
    // "New Year 2027" is the turn into 2027: its year is New Year's Day's.
    window: (y) => ({ start: utc(y - 1, 11, 26), end: utc(y, 0, 8) }),
  },
  {
    // New Year's Eve is named by its own year ("Silvester 2026").
    names: ['silvester', 'oud en nieuw'],
    window: (y) => ({ start: utc(y, 11, 26), end: utc(y + 1, 0, 8) }),
  },
  {
    names: [
      'back to school',
      'back 2 school',
      'schulanfang',
      'schulstart',
      'rentree',
      'rentree scolaire',
      'vuelta al cole',
      'vuelta a clases',
      'vuelta al colegio',
      'ritorno a scuola',
      'terug naar school',
    ],
    window: (y, market) =>
      market === 'US' || market === 'CA'
        ? { start: utc(y, 6, 15), end: utc(y, 8, 10) }
        : southern.has(market)
          ? { start: utc(y, 0, 5), end: utc(y, 1, 10) }
          : market === 'FR' || market === 'ES' || market === 'IT'
            ? { start: utc(y, 7, 15), end: utc(y, 8, 20) }
            : { start: utc(y, 7, 1), end: utc(y, 8, 15) },
  },
  { names: ['singles day'], window: (y) => runUp(utc(y, 10, 11), 10) },
  { names: ['super bowl'], window: (y) => runUp(nth(y, 1, 0, 2), 14) },
];

/** Seasons by name in each language (meteorological; flipped for a southern market). */
const seasons: Array<{ names: string[]; month: number }> = [
  {
    names: ['spring', 'fruhling', 'fruhjahr', 'printemps', 'primavera', 'lente', 'voorjaar'],
    month: 2,
  },
  { names: ['summer', 'sommer', 'ete', 'verano', 'estate', 'zomer'], month: 5 },
  {
    names: ['autumn', 'fall', 'herbst', 'automne', 'otono', 'autunno', 'herfst', 'najaar'],
    month: 8,
  },
  { names: ['winter', 'hiver', 'invierno', 'inverno'], month: 11 },
];

const pattern = (names: string[]) =>
  new RegExp(
    `\\b(?:${names.map((n) => n.replace(/ /g, "[\\s'’-]*")).join('|')})\\b(?:\\s+(?:of\\s+|de\\s+|del\\s+|di\\s+|van\\s+)?(\\d{4}))?`,
    'i',
  );
const eventPatterns = events.map((e) => ({ e, re: pattern(e.names) }));
const seasonPatterns = seasons.map((s) => ({ s, re: pattern(s.names) }));

/**
 * A season's name that is also a word of its own elsewhere is a season only before a year or a
 * flight word ("fall 2027", "fall campaign"): "sales fall" is no autumn; "real estate" (Italian
 * "estate", summer) is property unless an Italian article says the season ("l'estate").
 */
function ambiguousSeason(name: string, text: string): boolean {
  const word = name.toLowerCase();
  if (word.startsWith('fall')) return !/\bfall\s+(campaign|flight|launch|season)/i.test(text);
  if (word.startsWith('estate'))
    return !/\b(?:l|d|dell|nell|quest)['’\s]*estate\b|\bestate\s+(campaign|flight|season)/i.test(
      text,
    );
  return false;
}

/**
 * The window of the first selling season or season `text` (folded) names, for `market`: the
 * next one not yet over on `now`, or in the year written after it ("Christmas 2027").
 */
export function seasonOf(text: string, now: Date, market: string): Window | null {
  const found: Array<{ at: number; window: (year: number) => Window; year?: number }> = [];
  for (const { e, re } of eventPatterns) {
    const m = re.exec(text);
    if (m) found.push({ at: m.index, window: (y) => e.window(y, market), year: yearOf(m[1]) });
  }
  for (const { s, re } of seasonPatterns) {
    const m = re.exec(text);
    if (!m || (!m[1] && ambiguousSeason(m[0], text))) continue;
    const month = southern.has(market) ? (s.month + 6) % 12 : s.month;
    found.push({
      at: m.index + 10_000, // a named event wins over a season ("summer Black Friday").
      window: (y) => ({ start: utc(y, month, 1), end: utc(y, month + 3, 1) }),
      year: yearOf(m[1]),
    });
  }
  if (!found.length) return null;
  const first = found.sort((a, b) => a.at - b.at)[0]!;
  const end = (w: Window): Window => ({ start: w.start, end: new Date(w.end.getTime() - 1) });
  if (first.year) return end(first.window(first.year));
  for (const y of [now.getUTCFullYear() - 1, now.getUTCFullYear(), now.getUTCFullYear() + 1]) {
    const w = first.window(y);
    if (w.end > now) return end(w);
  }
  return null;
}

const yearOf = (written: string | undefined) => {
  const y = written ? Number(written) : NaN;
  return y >= 2000 && y < 2100 ? y : undefined;
};
