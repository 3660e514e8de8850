import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { escapeLike, likeContaining } from '../../src/platform/db/like.js';
import { rowsOf } from '../../src/platform/db/migrate.js';
import { openTestDatabase } from '../harness.js';

// Run on the real database: what matters is how PostgreSQL reads the pattern.
let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
});
afterAll(async () => {
  await database.close();
  await drop();
});

const matches = async (value: string, pattern: string) => {
  const result = await database.db.execute(sql`select ${value}::text ilike ${pattern} as hit`);
  return rowsOf<{ hit: boolean }>(result)[0]?.hit;
};

describe('LIKE patterns from user text', () => {
  it('finds a search for "50%_off" only where those characters stand literally', async () => {
    const pattern = likeContaining('50%_off');
    expect(await matches('Spring 50%_OFF sale', pattern)).toBe(true);
    expect(await matches('Spring 500 off sale', pattern)).toBe(false);
    expect(await matches('Spring 50%xoff sale', pattern)).toBe(false);
  });

  it('takes a backslash literally rather than as an escape of what follows', async () => {
    const pattern = likeContaining('a\\%');
    expect(await matches('xa\\%y', pattern)).toBe(true);
    expect(await matches('xa%y', pattern)).toBe(false);
  });

  it('keeps the caller’s own wildcards around escaped text', async () => {
    const suffix = `%.${escapeLike('my_site.com')}`;
    expect(await matches('ads.my_site.com', suffix)).toBe(true);
    expect(await matches('ads.myxsite.com', suffix)).toBe(false);
  });
});
