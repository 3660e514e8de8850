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
