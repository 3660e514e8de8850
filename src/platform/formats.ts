import { z } from 'zod';

/** Wire formats shared by several modules, so each rule is written once. */
const hostnamePattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** AdCP's format kinds: what a creative's format, and a format option an avail offers, is. */
export const formatKinds = [
  'image',
  'html5',
  'display_tag',
  'image_carousel',
  'video_hosted',
  'video_vast',
  'audio_hosted',
  'audio_daast',
  'sponsored_placement',
  'native_in_feed',
  'responsive_creative',
  'agent_placement',
  'custom',
] as const;

/** A lowercase DNS hostname such as `example.com` (input is lowercased first). */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'must be at most 253 characters')
  .regex(hostnamePattern, 'must be a domain name such as example.com');

/**
 * The largest PostgreSQL `integer`, the type of most id columns (a larger value there is a
 * database error, not a miss); bigint-keyed ids, numbered from small starts, share the bound.
 */
export const maxIntegerId = 2_147_483_647;

/** Every integer id we accept, in a body, a path or a query (the latter arrive as text). */
export const positiveIdSchema = z.coerce
  .number()
  .int('must be a positive integer')
  .positive('must be a positive integer')
  .max(maxIntegerId, 'is too large');

/**
 * A calendar day written YYYY-MM-DD that exists (2026-02-30 and 2026-13-01 are refused, leap
 * days allowed): such a day goes on to PostgreSQL and Date arithmetic, which would fail or
 * silently roll it over into the next month. Years before 1970 are refused too: PostgreSQL has
 * no year 0000, counting back from year 0001 leaves four-digit years, and no advertising data
 * predates the epoch.
 */
export const calendarDaySchema = z.iso
  .date({ error: 'must be a calendar date like 2026-07-10' })
  .refine((day) => Number(day.slice(0, 4)) >= 1970, 'must be a date in 1970 or later');

export const isoDate = (d: Date) => d.toISOString();
export const isoDateOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
