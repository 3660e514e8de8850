import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

/**
 * What a seller says of one of its sites (a publisher domain it sells): the countries it sells
 * in, whom it reaches and what it is about. Every product of that site, whatever its source kind,
 * is read with it where the product does not say its own (issue 71, items 3 and 4).
 */
export const propertyProfiles = pgTable(
  'property_profiles',
  {
    storefrontId: integer('storefront_id').notNull(),
    /** The publisher domain, lower case (`motoring.example`). */
    publisherDomain: text('publisher_domain').notNull(),
    /** ISO 3166-1 alpha-2 codes; empty: not said. */
    countries: jsonb('countries').$type<string[]>().notNull().default([]),
    audience: text('audience'),
    content: text('content'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.storefrontId, t.publisherDomain] })],
);
