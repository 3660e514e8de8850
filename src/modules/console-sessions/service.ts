import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { throttledSweep } from '../../platform/db/throttled-sweep.js';
import { isoDate } from '../../platform/formats.js';
import * as store from './store.js';

export interface ConsoleSessionsDeps {
  db: Db;
  now?: () => Date;
}

/** Who a console session belongs to: the seller's customer and the key it signed in with. */
export interface SessionOwner {
  customerId: number;
  keyId: string;
}

export interface ConsoleSessionRecord extends SessionOwner {
  id: string;
  expiresAt: Date;
}

export interface ConsoleSessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export type ConsoleSessionsService = ReturnType<typeof createConsoleSessionsService>;

/** Stored user agents are cut here: enough to recognise a browser, bounded in size. */
export const userAgentMaxLength = 255;
/** Long enough for any IPv6 address with a zone. */
const ipMaxLength = 64;
/** last_seen_at is written at most this often per session, not on every page. */
const lastSeenWriteIntervalMs = 60_000;
/** Expired sessions are swept at most this often per process, at most this many at a time. */
export const expiredSweepEveryMs = 10 * 60_000;
export const expiredSweepLimit = 500;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Console sessions held server-side, so signing out (or ending a session from the list) ends
 * it for real: a copied cookie whose record is revoked or expired is refused. Every console
 * request reads the record by its token hash (one unique-index read, no cache), so an ending is
 * seen at once on every instance.
 */
export function createConsoleSessionsService(deps: ConsoleSessionsDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  // Piggy-backed on sign-ins and console requests, so expired records go even while nobody
  // signs in, without a timer.
  const sweepExpired = throttledSweep(expiredSweepEveryMs, (at) =>
    store.deleteExpired(db, at, expiredSweepLimit),
  );

  return {
    /**
     * Records a new session and answers its token (returned once; only its hash is kept).
     * Every sign-in sweeps expired sessions (a bounded number), as console requests do once an
     * interval.
     */
    async start(
      owner: SessionOwner,
      ttlMs: number,
      client: { userAgent?: string | undefined; ip?: string | undefined },
    ) {
      const at = now();
      await sweepExpired(at, { force: true });
      const token = randomBytes(32).toString('base64url');
      const row = await store.insertSession(db, {
        id: `cs_${randomBytes(12).toString('hex')}`,
        tokenHash: hashToken(token),
        customerId: owner.customerId,
        keyId: owner.keyId,
        createdAt: at,
        lastSeenAt: at,
        expiresAt: new Date(at.getTime() + ttlMs),
        userAgent: client.userAgent?.slice(0, userAgentMaxLength) || null,
        ip: client.ip?.slice(0, ipMaxLength) || null,
      });
      return { token, id: row.id, expiresAt: row.expiresAt };
    },

    /** The live (not revoked, not expired) session a token names, noting it was used. */
    async resolve(token: string): Promise<ConsoleSessionRecord | undefined> {
      const at = now();
      await sweepExpired(at);
      const row = await store.findLiveByTokenHash(db, hashToken(token), at);
      if (!row) return undefined;
      if (at.getTime() - row.lastSeenAt.getTime() >= lastSeenWriteIntervalMs) {
        await store.touchSession(db, row.id, at);
      }
      return { id: row.id, customerId: row.customerId, keyId: row.keyId, expiresAt: row.expiresAt };
    },

    /**
     * A page of the customer's live console sessions: `currentId` first (on the first page) and
     * marked, then the most recently seen; with how many there are in all.
     */
    async list(
      customerId: number,
      currentId: string,
      page: { offset: number; limit: number },
    ): Promise<{ items: ConsoleSessionView[]; total: number }> {
      const at = now();
      const current = await store.findLiveOwn(db, customerId, currentId, at);
      const lead = current ? 1 : 0;
      const onPage = current && page.offset === 0 ? [current] : [];
      const others = await store.pageLive(db, customerId, at, {
        exceptId: currentId,
        offset: Math.max(page.offset - lead, 0),
        limit: page.limit - onPage.length,
      });
      return {
        items: [...onPage, ...others.rows].map((r) => ({
          id: r.id,
          createdAt: isoDate(r.createdAt),
          lastSeenAt: isoDate(r.lastSeenAt),
          expiresAt: isoDate(r.expiresAt),
          userAgent: r.userAgent,
          ip: r.ip,
          current: r.id === currentId,
        })),
        total: others.total + lead,
      };
    },

    /** Ends one of the customer's sessions; another customer's (or an ended one) is not found. */
    async end(customerId: number, id: string) {
      const row = await store.revokeOwn(db, customerId, id, now());
      if (!row) throw notFound('Console session');
      return { id: row.id };
    },

    /** Ends every live session of the customer except `currentId`; answers how many. */
    async endOthers(customerId: number, currentId: string): Promise<number> {
      return store.revokeOthers(db, customerId, currentId, now());
    },

    /** Sign-out: the token's own session ends, whoever presents it. */
    async endByToken(token: string): Promise<void> {
      await store.revokeByTokenHash(db, hashToken(token), now());
    },

    /** A revoked API key ends the console sessions it signed in. */
    async endForKey(keyId: string): Promise<void> {
      await store.revokeForKey(db, keyId, now());
    },
  };
}
