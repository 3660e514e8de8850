/**
 * Quarters and halves as planners write them in the languages a brief is read in (issue 71,
 * item 3): "Q1 2027", "2027 Q2", "Q2'27", "T1 2027" (trimestre), "erstes Quartal 2027",
 * "2. Quartal", "premier trimestre", "3e trimestre", "primer trimestre de 2027", "quarto
 * trimestre del 2027", "eerste kwartaal van 2027"; "H1", "first half of 2027", "zweites
 * Halbjahr", "erste Jahreshälfte", "premier semestre", "secondo semestre", "tweede helft van
 * 2027". Text is accent-folded (vocabulary.ts `folded`). Without a year, the next one not yet over.
 */

/** Ordinals 1-4 in English, German, French, Spanish, Italian and Dutch (and "1.", "1st", "1er"). */
const ordinals: ReadonlyArray<readonly string[]> = [
  [
    'first',
    '1st',
    'erst(?:e|es|en|er)?',
    '1\\.',
    'premier',
    'premiere',
    '1er',
    '1re',
    'primer',
    'primero',
    'primo',
    'eerste',
  ],
  [
    'second',
    '2nd',
    'zweit(?:e|es|en|er)?',
    '2\\.',
    'deuxieme',
    'second(?:e)?',
    '2e',
    '2eme',
    'segundo',
    'secondo',
    'tweede',
  ],
  [
    'third',
    '3rd',
    'dritt(?:e|es|en|er)?',
    '3\\.',
    'troisieme',
    '3e',
    '3eme',
    'tercer',
    'tercero',
    'terzo',
    'derde',
  ],
  [
    'fourth',
    '4th',
    'viert(?:e|es|en|er)?',
    '4\\.',
    'quatrieme',
    '4e',
    '4eme',
    'cuarto',
    'quarto',
    'vierde',
  ],
];
const quarterNouns = ['quarter', 'quartal', 'trimestre', 'kwartaal'];
const halfNouns = [
  'half',
  'halbjahr',
  'jahreshalfte',
  'semestre',
  'helft',
  'halfjaar',
  'jaarhelft',
];

/** A year after the period: "2027", "of 2027", "de 2027", "del 2027", "van 2027", "'27", "/2027". */
const year = String.raw`(?:\s+(?:of\s+|de\s+|del\s+|di\s+|van\s+|des\s+|du\s+)?(\d{4})\b|\s*['’/](\d{2}(?:\d{2})?)\b)?`;

const ordinalGroup = (n: number) => ordinals[n]!.join('|');
const wordPattern = (nouns: string[], count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      new RegExp(
        String.raw`(?:^|[^\p{L}\d])(?:${ordinalGroup(i)})\s*(?:(?:de|du)\s+)?(?:${nouns.join('|')})\b${year}`,
        'iu',
      ),
  );
const quarterWords = wordPattern(quarterNouns, 4);
const halfWords = wordPattern(halfNouns, 2);
// "T1" (trimestre) only before a year: "T1 tier sites" names no quarter.
const quarterCodes = new RegExp(
  String.raw`\b(?:Q([1-4])${year}|T([1-4])(?:\s+(\d{4})\b|\s*['’/](\d{2}(?:\d{2})?)\b)|(\d{4})\s*[QT]([1-4]))\b`,
  'i',
);
const halfCodes = new RegExp(String.raw`\b(?:H([12])|([12])H)${year}|\b(\d{4})\s*H([12])\b`, 'i');

interface Found {
  at: number;
  first: number;
  months: number;
  written?: string | undefined;
}

const fullYear = (y: string | undefined) =>
  y === undefined ? undefined : y.length === 2 ? `20${y}` : y;

function candidates(text: string): Found[] {
  const out: Found[] = [];
  const q = quarterCodes.exec(text);
  if (q) {
    const n = Number(q[1] ?? q[4] ?? q[8]);
    out.push({
      at: q.index,
      first: (n - 1) * 3,
      months: 3,
      written: fullYear(q[2] ?? q[3] ?? q[5] ?? q[6] ?? q[7]),
    });
  }
  const h = halfCodes.exec(text);
  if (h) {
    const n = Number(h[1] ?? h[2] ?? h[6]);
    out.push({
      at: h.index,
      first: (n - 1) * 6,
      months: 6,
      written: fullYear(h[3] ?? h[4] ?? h[5]),
    });
  }
  for (const [patterns, months] of [
    [quarterWords, 3],
    [halfWords, 6],
  ] as const) {
    patterns.forEach((re, i) => {
      const m = re.exec(text);
      if (m) out.push({ at: m.index, first: i * months, months, written: fullYear(m[1] ?? m[2]) });
    });
  }
  return out;
}

/** The first quarter or half `text` names, or null. */
export function quarterOf(text: string, now: Date): { start: Date; end: Date } | null {
  const pick = candidates(text).sort((a, b) => a.at - b.at)[0];
  if (!pick) return null;
  const endOf = (y: number) => new Date(Date.UTC(y, pick.first + pick.months, 1) - 1);
  let y = pick.written ? Number(pick.written) : now.getUTCFullYear();
  if (!pick.written && endOf(y) < now) y += 1;
  return { start: new Date(Date.UTC(y, pick.first, 1)), end: endOf(y) };
}
