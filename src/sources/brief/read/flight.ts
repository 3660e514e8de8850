import * as chrono from 'chrono-node';
import type { Language } from './language.js';
import { seasonOf } from './holidays.js';
import { quarterOf } from './periods.js';

/**
 * The flight a brief names, as a planner reads it (issue 71, item 3): dates and months through a
 * date parser (chrono-node, in the brief's language and English: "1-15 June", "February through
 * April", "vom 1. März bis 15. April", "dicembre 2026"), the whole span of every date it names
 * ("in May and June" is May 1 to June 30); else a quarter or half ("Q1", "H2 2027"); else a
 * selling season or season in the buyer's market (holidays.ts: "Christmas", "back to school",
 * "summer"). Dates and months are spelled out: they leave out what cannot run then; a quarter,
 * a half or a season plans and ranks only. Without a year, the next one not yet over.
 */
export interface BriefFlight {
  start: Date;
  end: Date;
  /** Named in dates or months (a filter), rather than a quarter, half or season (a ranking). */
  spelled: boolean;
}

const parsers: Record<Language, chrono.Chrono> = {
  en: chrono.en.casual,
  de: chrono.de.casual,
  fr: chrono.fr.casual,
  es: chrono.es.casual,
  it: chrono.it.casual,
  nl: chrono.nl.casual,
};

const day = 86_400_000;

/** Month names in a language, long forms folded and lower case (Intl's, not a list by hand). */
const monthNames = (language: Language) =>
  Array.from({ length: 12 }, (_, m) =>
    new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' })
      .format(new Date(Date.UTC(2026, m, 15)))
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase(),
  );
/**
 * Month names of the other languages (their parsers read a month alone poorly: "Februar bis
 * April"), month index by name. Language detection of a short brief is unsure, so every
 * language's are read; "mai" (May in German and French, "never" in Italian) only in those two.
 */
const foreignMonths = new Map<string, number>(
  (['de', 'fr', 'es', 'it', 'nl'] as const).flatMap((l) =>
    monthNames(l).map((name, m) => [name, m] as const),
  ),
);
const monthPattern = new RegExp(
  `\\b(${[...foreignMonths.keys()].join('|')})\\b(?:\\s+(?:de\\s+)?(\\d{4}))?`,
  'gi',
);

interface Mention {
  at: number;
  length: number;
  start: Date;
  end: Date;
  /** Its year was written (else it may move a year to follow the mention before it). */
  yearWritten: boolean;
}

const endOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 1) - 1);
const endOfDay = (d: Date) =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - 1);
const asUtcDay = (c: chrono.ParsedComponents) =>
  new Date(Date.UTC(c.get('year')!, c.get('month')! - 1, c.get('day') ?? 1));

/** Dates and months the parser reads in `text`, in the language and in English. */
/**
 * A brief's mentions, kept per brief, language and day: one get_products reads its brief in the
 * storefront and again in each kind (ad-server forecasts, the modular catalogue), and the date
 * parser is the dearest part of reading it (about 35 ms a brief). Bounded; the oldest goes first.
 */
const mentionsKept = new Map<string, readonly Mention[]>();
const mentionsKeptMax = 500;

function parsed(text: string, language: Language, now: Date): readonly Mention[] {
  const key = `${language}|${Math.floor(now.getTime() / day)}|${text}`;
  const kept = mentionsKept.get(key);
  if (kept) return kept;
  const mentions = Object.freeze(parseMentions(text, language, now));
  if (mentionsKept.size >= mentionsKeptMax) {
    mentionsKept.delete(mentionsKept.keys().next().value!);
  }
  mentionsKept.set(key, mentions);
  return mentions;
}

function parseMentions(text: string, language: Language, now: Date): Mention[] {
  const out: Mention[] = [];
  const seen = new Set<string>();
  for (const lang of new Set<Language>([language, 'en'])) {
    for (const r of parsers[lang].parse(text, now, { forwardDate: true })) {
      // A month or a date written out; "this weekend", "for 6 weeks" name no flight.
      if (!r.start.isCertain('month')) continue;
      const key = `${r.index}:${r.text.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const start = asUtcDay(r.start);
      const last = r.end ?? r.start;
      const end = last.isCertain('day')
        ? endOfDay(asUtcDay(last))
        : endOfMonth(last.get('year')!, last.get('month')! - 1);
      out.push({
        at: r.index,
        length: r.text.length,
        start,
        end,
        yearWritten: r.start.isCertain('year'),
      });
    }
  }
  // Months alone in the languages whose parsers read them only with a day ("Februar bis April").
  for (const m of text.matchAll(monthPattern)) {
    const name = m[1]!.toLowerCase();
    if (name === 'mai' && language !== 'de' && language !== 'fr') continue;
    if (out.some((o) => m.index < o.at + o.length && o.at < m.index + m[0].length)) continue;
    const month = foreignMonths.get(name)!;
    let year = m[2] ? Number(m[2]) : now.getUTCFullYear();
    if (!m[2] && endOfMonth(year, month) < now) year += 1;
    out.push({
      at: m.index,
      length: m[0].length,
      start: new Date(Date.UTC(year, month, 1)),
      end: endOfMonth(year, month),
      yearWritten: Boolean(m[2]),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The span of the mentions in brief order: a later one earlier in the year is the next year's. */
function spanOf(mentions: readonly Mention[]): { start: Date; end: Date } | null {
  if (!mentions.length) return null;
  let start = mentions[0]!.start;
  let end = mentions[0]!.end;
  for (const m of mentions.slice(1)) {
    let { start: s, end: e } = m;
    if (!m.yearWritten && s < start && !mentions[0]!.yearWritten) {
      // "November to February": February follows November.
      const shift = (d: Date) =>
        new Date(
          Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate()) + (d.getTime() % day),
        );
      s = shift(s);
      e = shift(e);
    }
    if (s < start) start = s;
    if (e > end) end = e;
  }
  return { start, end };
}

/** A run of N weeks from the flight's start ("a 6-week flight from 5 January"). */
function weeksOf(text: string): number | null {
  const m = /\b(\d{1,2})[\s-]*(?:weeks?|wochen|semaines?|semanas?|settimane|weken)\b/i.exec(text);
  const n = m ? Number(m[1]) : NaN;
  return n > 0 && n <= 52 ? n : null;
}

/** The flight `text` (accents folded) names, in `language`, for the buyer's `market`. */
export function flightOf(
  text: string,
  language: Language,
  now: Date,
  market: string,
): BriefFlight | null {
  const mentions = parsed(text, language, now);
  const span = spanOf(mentions);
  if (span) {
    const weeks = weeksOf(text);
    if (
      weeks &&
      mentions.length === 1 &&
      mentions[0]!.end.getTime() - mentions[0]!.start.getTime() < day
    )
      span.end = new Date(span.start.getTime() + weeks * 7 * day - 1);
    return { ...span, spelled: true };
  }
  const soft = quarterOf(text, now) ?? seasonOf(text, now, market);
  return soft ? { ...soft, spelled: false } : null;
}
