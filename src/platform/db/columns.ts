import { bigint, numeric, text, timestamp } from 'drizzle-orm/pg-core';

/*
 * The house's column conventions, in one place: every timestamp is `timestamptz`, every bigint is
 * read as a JavaScript number, and a row that changes keeps when it was created and last updated.
 * Each call returns new column builders (drizzle's builders are not shared between tables).
 */

/** A `timestamptz` column (a timestamp with time zone). */
export function timestamptz<Name extends string>(name: Name) {
  return timestamp(name, { withTimezone: true });
}

/** A `bigint` column read as a number (ids and counts stay below 2^53). */
export function bigintNumber<Name extends string>(name: Name) {
  return bigint(name, { mode: 'number' });
}

/** `created_at` and `updated_at`, both set to now() when the row is inserted. */
export function timestamps() {
  return {
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  };
}

/**
 * A delivery row's viewability (sources/viewability.ts), null where it was not measured:
 * measurable and viewable impressions, average in-view seconds per measurable impression, and
 * the standard (mrc, groupm).
 */
export function viewabilityColumns() {
  return {
    measurableImpressions: bigintNumber('measurable_impressions'),
    viewableImpressions: bigintNumber('viewable_impressions'),
    viewedSeconds: numeric('viewed_seconds', { precision: 12, scale: 3, mode: 'number' }),
    viewabilityStandard: text('viewability_standard'),
  };
}
