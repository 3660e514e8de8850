import { asc, eq } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { propertyProfiles } from './tables.js';

export type PropertyProfileRow = typeof propertyProfiles.$inferSelect;

/** A storefront's profiles, by domain. */
export async function listProfiles(db: Db, storefrontId: number): Promise<PropertyProfileRow[]> {
  return db
    .select()
    .from(propertyProfiles)
    .where(eq(propertyProfiles.storefrontId, storefrontId))
    .orderBy(asc(propertyProfiles.publisherDomain));
}

/** Writes the profile of one site whole (a PUT), answering it. */
export async function putProfile(
  db: Db,
  row: Omit<PropertyProfileRow, 'updatedAt'>,
): Promise<PropertyProfileRow> {
  const at = new Date();
  const [written] = await db
    .insert(propertyProfiles)
    .values({ ...row, updatedAt: at })
    .onConflictDoUpdate({
      target: [propertyProfiles.storefrontId, propertyProfiles.publisherDomain],
      set: {
        countries: row.countries,
        audience: row.audience,
        content: row.content,
        updatedAt: at,
      },
    })
    .returning();
  return written!;
}

/** Deletes one site's profile; answers whether there was one. */
export async function deleteProfile(db: Db, storefrontId: number, domain: string) {
  const gone = await db
    .delete(propertyProfiles)
    .where(columnsEqual(propertyProfiles, { storefrontId, publisherDomain: domain }))
    .returning();
  return gone.length > 0;
}
