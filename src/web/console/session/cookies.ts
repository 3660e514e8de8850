import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../../platform/crypto/secrets.js';

/**
 * Console sessions are sealed cookies: the seller's API key, the server-side session's token, a
 * CSRF token and an expiry, encrypted and authenticated with the deployment's secret box
 * (AES-256-GCM), so the key never travels in clear and any instance behind a load balancer can
 * open it. The key stays in the cookie so the server keeps no secret of the session (its record
 * holds only the token's SHA-256). Every request checks that record (signing out or ending the
 * session from the list revokes it, so a copied cookie is refused) and re-authenticates the key
 * (so revoking the key ends its sessions at once).
 * A session without a key is the signed-out visitor's: it carries the sign-in form's CSRF token.
 */
export interface ConsoleSession {
  /** The seller's API key; absent before sign-in. */
  key?: string;
  /** The server-side session record's token (console-sessions); present with `key`. */
  sid?: string;
  /** Synchronizer token every state-changing form must echo. */
  csrf: string;
  /** Epoch milliseconds after which the session is refused. */
  expiresAt: number;
}

const sealContext = 'interchange console session v1';
export const sessionTtlMs = 8 * 60 * 60 * 1000;
/** Long enough to fill in the sign-in form, short enough that a stale one is useless. */
export const signInTtlMs = 30 * 60 * 1000;

export interface SessionCookies {
  name: string;
  /** The Set-Cookie value that stores `session`. */
  serialize(session: ConsoleSession, now?: number): string;
  /** The Set-Cookie value that deletes the session cookie. */
  clear(): string;
  /** The session a Cookie header carries, or undefined when absent, tampered with or expired. */
  read(cookieHeader: string | undefined, now?: number): ConsoleSession | undefined;
}

export function newSession(
  signedIn?: { key: string; sid: string },
  now = Date.now(),
): ConsoleSession {
  const key = signedIn?.key;
  return {
    ...(signedIn && { key: signedIn.key, sid: signedIn.sid }),
    csrf: randomBytes(24).toString('base64url'),
    expiresAt: now + (key === undefined ? signInTtlMs : sessionTtlMs),
  };
}

/**
 * The cookie: HttpOnly (no script reads it), SameSite=Strict (never sent on cross-site
 * requests), and Secure with the __Host- prefix when the public URL is https (the browser then
 * refuses it over http and from any other host or path).
 */
export function sessionCookies(secrets: SecretBox, publicUrl: string): SessionCookies {
  const secure = publicUrl.startsWith('https:');
  const name = secure ? '__Host-interchange-console' : 'interchange-console';
  const attributes = `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  return {
    name,
    serialize(session, now = Date.now()) {
      const value = secrets.seal(JSON.stringify(session), sealContext);
      // Rounded up: the milliseconds between minting the session and writing its cookie must
      // not shave a second off the lifetime the browser is told (the server checks expiresAt).
      const maxAge = Math.max(0, Math.ceil((session.expiresAt - now) / 1000));
      return `${name}=${value}; Max-Age=${maxAge}; ${attributes}`;
    },
    clear: () => `${name}=; Max-Age=0; ${attributes}`,
    read(cookieHeader, now = Date.now()) {
      const sealed = cookieValue(cookieHeader, name);
      if (!sealed) return undefined;
      let session: unknown;
      try {
        session = JSON.parse(secrets.open(sealed, sealContext));
      } catch {
        return undefined;
      }
      if (!isSession(session) || session.expiresAt <= now) return undefined;
      return session;
    },
  };
}

/** Whether a submitted form token matches the session's (constant time). */
export function csrfMatches(session: ConsoleSession | undefined, submitted: unknown): boolean {
  if (!session || typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function isSession(value: unknown): value is ConsoleSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.csrf === 'string' &&
    typeof v.expiresAt === 'number' &&
    (v.key === undefined || typeof v.key === 'string') &&
    (v.sid === undefined || typeof v.sid === 'string')
  );
}
