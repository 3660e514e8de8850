import { sql } from 'drizzle-orm';
import type { Harness } from '../harness.js';

/**
 * Empties the request budgets (rate_windows). Budgets are counted in the database, shared by
 * every app a test builds over it (as by every instance of a fleet), so the set-up's own calls
 * with a key (accepting terms, say) count against it too: a test of a limit starts from here.
 */
export async function resetRateWindows(h: Harness): Promise<void> {
  await h.database.db.execute(sql`delete from rate_windows`);
}
