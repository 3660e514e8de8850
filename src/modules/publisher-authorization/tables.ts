import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';
import type { ListedAgent } from './adagents.js';

/**
 * What each publisher domain's /.well-known/adagents.json said when a storefront last read it.
 * Kept per storefront and domain (the storefront is the owner of what it caches, even of a public
 * document), each with its own expiry: the file's max-age when it names one, else
 * INTERCHANGE_ADAGENTS_TTL_SECONDS; a failed read is retried sooner.
 */
export const publisherDomainChecks = pgTable(
  'publisher_domain_checks',
  {
    storefrontId: integer('storefront_id').notNull(),
    domain: text('domain').notNull(),
    /** resolved, no_adagents (404/410), invalid (not an adagents document), error (unreadable). */
    adagentsStatus: text('adagents_status')
      .$type<'resolved' | 'no_adagents' | 'invalid' | 'error'>()
      .notNull(),
    /** The agents the file authorizes, URLs normalized (adagents.ts). */
    agents: jsonb('agents').$type<ListedAgent[]>().notNull(),
    propertyCount: integer('property_count'),
    /** Why the file could not be used (unreadable, invalid); null when resolved. */
    error: text('error'),
    /** Where the document was finally read (after redirects or authoritative_location). */
    sourceUrl: text('source_url'),
    fetchedAt: timestamptz('fetched_at').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storefrontId, t.domain] })],
);
