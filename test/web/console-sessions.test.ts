import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsoleSessionsService,
  userAgentMaxLength,
} from '../../src/modules/console-sessions/index.js';
import { consoleSessions } from '../../src/modules/console-sessions/tables.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { type Browserish, consoleClient } from './console-client.js';

/**
 * Console sessions held server-side: signing out or ending a session from the Sessions page
 * makes its cookie (and any copy of it) worthless; one seller cannot end another's session;
 * revoking the API key ends its sessions; expired records are deleted. Over HTTP (app.inject),
 * on the test run's PostgreSQL.
 */
let h: Harness;
let seller: TestCustomer;
let rival: TestCustomer;

beforeAll(async () => {
  h = await createHarness();
  seller = await createCustomer(h, { role: 'SELLER', name: 'Session Seller' });
  rival = await createCustomer(h, { role: 'SELLER', name: 'Session Rival' });
});
afterAll(() => h.close());

const { get, post, signIn } = consoleClient(() => h.app);
const as = (userAgent: string) => ({ 'user-agent': userAgent });

/** The list rows of /console/sessions as the seller reads them. */
async function sessionsPage(s: Browserish) {
  const res = await get('/console/sessions', s.cookie);
  expect(res.statusCode).toBe(200);
  const rows = [...res.body.matchAll(/<tr><td>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
  return { body: res.body, rows };
}

/** The public id in a row's End form (the one for `userAgent`). */
function endIdFor(rows: string[], userAgent: string): string {
  const row = rows.find((r) => r.includes(userAgent));
  const id = /action="\/console\/sessions\/([^/"]+)\/end"/.exec(row ?? '')?.[1];
  if (!id) throw new Error(`no End form for ${userAgent}`);
  return id;
}

async function expectEnded(cookie: string) {
  const res = await get('/console', cookie);
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe('/console/sign-in?reason=ended');
  expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
}

describe('sign-out', () => {
  it('revokes the session: the same cookie replayed afterwards is refused', async () => {
    const s = await signIn(seller.key);
    const copy = s.cookie;
    const out = await post('/console/sign-out', { csrf: s.csrf }, s.cookie);
    expect(out.statusCode).toBe(303);
    await expectEnded(copy);
    // A form posted with the replayed cookie and its old token changes nothing either.
    const end = await post('/console/sessions/end-others', { csrf: s.csrf }, copy);
    expect(end.statusCode).toBe(303);
    expect(end.headers.location).toBe('/console/sign-in?reason=ended');
  });
  it('signing in over a live session ends the old one: its cookie, copied, is refused', async () => {
    const s = await signIn(seller.key);
    const copy = s.cookie;
    const again = await post('/console/sign-in', { csrf: s.csrf, apiKey: rival.key }, s.cookie);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/console');
    await expectEnded(copy);
  });
});

describe('the Sessions page', () => {
  it("lists the seller's live sessions with browser, IP and times, the current one marked", async () => {
    const laptop = await signIn(seller.key, h.app, as('Laptop Firefox/130'));
    const phone = await signIn(seller.key, h.app, as('Phone Safari/17'));
    const theirs = await signIn(rival.key, h.app, as('Rival Browser/1'));
    const { body, rows } = await sessionsPage(laptop);
    expect(body).toContain('aria-current="page"');
    const mine = rows.find((r) => r.includes('Laptop Firefox/130'))!;
    expect(mine).toContain('this session');
    expect(mine).not.toContain('/end"');
    expect(mine).toMatch(/127\.0\.0\.1/);
    expect(mine).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);
    const other = rows.find((r) => r.includes('Phone Safari/17'))!;
    expect(other).not.toContain('this session');
    expect(other).toContain('>End</button>');
    // Another seller's session is not listed.
    expect(body).not.toContain('Rival Browser/1');
    expect(body).toContain('End all other sessions');
    for (const s of [phone, theirs]) await post('/console/sign-out', { csrf: s.csrf }, s.cookie);
    const after = await sessionsPage(laptop);
    expect(after.body).not.toContain('Phone Safari/17');
  });

  it('ends another session from the list: that cookie is refused, this one stays', async () => {
    const desk = await signIn(seller.key, h.app, as('Desk Chrome/131'));
    const stolen = await signIn(seller.key, h.app, as('Stolen Copy/9'));
    const id = endIdFor((await sessionsPage(desk)).rows, 'Stolen Copy/9');
    const res = await post(`/console/sessions/${id}/end`, { csrf: desk.csrf }, desk.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/console/sessions?notice=session-ended');
    await expectEnded(stolen.cookie);
    expect((await get('/console', desk.cookie)).statusCode).toBe(200);
    expect((await sessionsPage(desk)).body).not.toContain('Stolen Copy/9');
    // Ending it again: it is no longer a live session.
    const again = await post(`/console/sessions/${id}/end`, { csrf: desk.csrf }, desk.cookie);
    expect(again.statusCode).toBe(404);
  });

  it('ends all other sessions at once and says how many', async () => {
    const keep = await signIn(seller.key, h.app, as('Keeper/1'));
    const a = await signIn(seller.key, h.app, as('Other A/1'));
    const b = await signIn(seller.key, h.app, as('Other B/1'));
    const live = (await sessionsPage(keep)).rows.length;
    const res = await post('/console/sessions/end-others', { csrf: keep.csrf }, keep.cookie);
    expect(res.statusCode).toBe(303);
    const done = await get(res.headers.location as string, keep.cookie);
    expect(done.body).toContain(`${live - 1} other sessions ended`);
    await expectEnded(a.cookie);
    await expectEnded(b.cookie);
    const { rows, body } = await sessionsPage(keep);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Keeper/1');
    expect(body).not.toContain('End all other sessions');
  });

  it("cannot end another seller's session: 404, and that session keeps working", async () => {
    const mine = await signIn(seller.key);
    const theirs = await signIn(rival.key, h.app, as('Rival Laptop/2'));
    const theirId = endIdFor((await sessionsPage(await signIn(rival.key))).rows, 'Rival Laptop/2');
    const res = await post(`/console/sessions/${theirId}/end`, { csrf: mine.csrf }, mine.cookie);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Console session not found');
    expect((await get('/console', theirs.cookie)).statusCode).toBe(200);
    // "End all other sessions" reaches only the seller's own.
    await post('/console/sessions/end-others', { csrf: mine.csrf }, mine.cookie);
    expect((await get('/console', theirs.cookie)).statusCode).toBe(200);
    const bogus = await post('/console/sessions/cs_nope/end', { csrf: mine.csrf }, mine.cookie);
    expect(bogus.statusCode).toBe(404);
  });

  it('needs the form token: without it nothing is ended (403)', async () => {
    const mine = await signIn(seller.key);
    const other = await signIn(seller.key, h.app, as('Csrf Target/1'));
    const id = endIdFor((await sessionsPage(mine)).rows, 'Csrf Target/1');
    const forged = await post(`/console/sessions/${id}/end`, {}, mine.cookie);
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('security token');
    const wrong = await post('/console/sessions/end-others', { csrf: other.csrf }, mine.cookie);
    expect(wrong.statusCode).toBe(403);
    const signOut = await post('/console/sign-out', { csrf: 'x' }, mine.cookie);
    expect(signOut.statusCode).toBe(403);
    expect((await get('/console', other.cookie)).statusCode).toBe(200);
    expect((await get('/console', mine.cookie)).statusCode).toBe(200);
  });

  it('ends sessions without the terms accepted (ending a session is never held back)', async () => {
    const fresh = await createCustomer(h, { role: 'SELLER', acceptTerms: false });
    const mine = await signIn(fresh.key);
    const other = await signIn(fresh.key);
    const res = await post('/console/sessions/end-others', { csrf: mine.csrf }, mine.cookie);
    expect(res.statusCode).toBe(303);
    await expectEnded(other.cookie);
  });

  it('keeps user agents bounded', async () => {
    const long = `Agent/${'x'.repeat(2000)}`;
    const s = await signIn(seller.key, h.app, as(long));
    const row = (await sessionsPage(s)).rows.find((r) => r.includes('this session'))!;
    expect(row).toContain(long.slice(0, userAgentMaxLength));
    expect(row).not.toContain(long.slice(0, userAgentMaxLength + 1));
  });
});

describe('key revocation and expiry', () => {
  it('revoking the API key ends its console sessions and only those', async () => {
    const owner = await createCustomer(h, { role: 'SELLER' });
    const second = await h.call('POST', `/api/v2/admin/customers/${owner.id}/api-keys`, {
      key: h.adminKey,
    });
    const viaSecond = await signIn(second.body.data.key, h.app, as('Second Key/1'));
    const viaFirst = await signIn(owner.key, h.app, as('First Key/1'));
    expect((await sessionsPage(viaSecond)).body).toContain('First Key/1');
    const revoked = await h.call('DELETE', `/api/v2/admin/api-keys/${owner.keyId}`, {
      key: h.adminKey,
    });
    expect(revoked.status).toBe(200);
    // At once (before that browser comes back) the list no longer shows it as signed in; the
    // other key's session goes on.
    const { body } = await sessionsPage(viaSecond);
    expect(body).not.toContain('First Key/1');
    expect(body).toContain('Second Key/1');
    const res = await get('/console', viaFirst.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?reason=revoked');
  });

  it('ends a session whose key was switched to another customer since sign-in', async () => {
    const parent = await createCustomer(h, { role: 'SELLER' });
    const s = await signIn(parent.key);
    const child = await h.call('POST', '/api/v2/accounts/create-child', {
      key: parent.key,
      body: { name: 'Child Seller', customerRole: 'SELLER' },
    });
    expect(child.status, child.text).toBe(201);
    // The key now acts for the child: the session signed in for the parent does not follow it.
    await expectEnded(s.cookie);
  });

  it('refuses a session past its expiry and deletes expired records at the next sign-in', async () => {
    const past = new Date(Date.now() - 9 * 60 * 60 * 1000);
    const old = createConsoleSessionsService({ db: h.database.db, now: () => past });
    const stale = await old.start({ customerId: seller.id, keyId: seller.keyId }, 60_000, {});
    expect(await h.services.consoleSessions.resolve(stale.token)).toBeUndefined();
    const before = await h.database.db
      .select()
      .from(consoleSessions)
      .where(eq(consoleSessions.id, stale.id));
    expect(before).toHaveLength(1);
    await signIn(seller.key);
    const after = await h.database.db
      .select()
      .from(consoleSessions)
      .where(eq(consoleSessions.id, stale.id));
    expect(after).toHaveLength(0);
  });
});
