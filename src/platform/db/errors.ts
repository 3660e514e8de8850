/**
 * PostgreSQL error classification for node-postgres errors, through Drizzle's wrapping (the
 * driver error is the `cause`).
 */
interface PgErrorLike {
  code?: string;
  constraint?: string;
  cause?: unknown;
}

function driverError(error: unknown): PgErrorLike | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const e = current as PgErrorLike;
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
    current = e.cause;
  }
  return undefined;
}

/** True for a unique-key clash, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = driverError(error);
  if (e?.code !== '23505') return false;
  return constraint === undefined || e.constraint === constraint;
}

/**
 * True when PostgreSQL cancelled the statement at its statement timeout (57014, the pool's
 * DATABASE_STATEMENT_TIMEOUT_MS): it waited on a lock or ran too long. Nothing it did is kept;
 * the request may succeed when tried again.
 */
export function isStatementTimeout(error: unknown): boolean {
  return driverError(error)?.code === '57014';
}

/**
 * Codes of a database that cannot be reached or is going away: the socket's (refused, reset,
 * timed out, name not found) and PostgreSQL's (class 08 connection exceptions, 57P01-57P03 shut
 * down or starting up, 53300 out of connections).
 */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
// node-postgres says these in words only (a dropped connection, the pool's connect timeout).
const unavailableMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|embedded PostgreSQL is not running/i;

/**
 * True when `error` means the database is out of reach (stopped, restarting, unreachable), not
 * that a query was wrong: the request may succeed later, so the API answers 503 with
 * Retry-After rather than 500. Looks through Drizzle's and Node's wrapping (`cause`, and an
 * AggregateError's `errors` when both loopback addresses refused).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (current: unknown, depth: number): boolean => {
    if (!current || typeof current !== 'object' || depth > 5 || seen.has(current)) return false;
    seen.add(current);
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && (unavailableCodes.has(e.code) || e.code.startsWith('08'))) {
      return true;
    }
    if (typeof e.message === 'string' && unavailableMessages.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some((inner) => visit(inner, depth + 1))) return true;
    return visit(e.cause, depth + 1);
  };
  return visit(error, 0);
}
