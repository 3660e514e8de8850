import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { detect } from 'tinyld';

/**
 * The languages a brief and a product are read in: those of the main ad markets the vocabulary
 * names (places.ts, topics.ts) and a date parser reads (chrono-node's locales). A text is
 * detected as one of them (tinyld's full model, restricted to these: its light model read a
 * short English brief as another language, "UK display, no sport" as Spanish, 28 of the 175
 * project and unseen briefs wrong against 12); one in any other language, or too short
 * to tell, is read as English: its words still match, only stemming and the negation and date
 * words of its own language are missed.
 */
export const languages = ['en', 'de', 'fr', 'es', 'it', 'nl'] as const;
export type Language = (typeof languages)[number];

const stemmers: Record<Language, (word: string) => string> = {
  en: english,
  de: german,
  fr: french,
  es: spanish,
  it: italian,
  nl: dutch,
};

/** Texts this short (in letters) are too short to tell apart: read as English. */
const shortest = 12;

/** The language of a text among `languages`; English when it cannot be told. */
export function languageOf(text: string): Language {
  if (text.replace(/[^\p{L}]/gu, '').length < shortest) return 'en';
  const found = detect(text, { only: [...languages] });
  return (languages as readonly string[]).includes(found) ? (found as Language) : 'en';
}

/*
 * Words a stemmer would merge with another that means something else: Porter's English stems
 * "news" to "new" (so "new product launch" read as news).
 */
const keptWhole = new Set(['news']);

/** A word's stem in `language` (Snowball, through @orama/stemmers). */
export function stemIn(language: Language, word: string): string {
  if (keptWhole.has(word)) return word;
  return stemmers[language](word);
}
