import type PgBoss from 'pg-boss';

/**
 * A running job's hold on its row (and, for a singleton type, on its key), kept short and
 * renewed while its handler runs. pg-boss fails an active job into retry once `started_on +
 * expire_in` has passed (at its maintenance); `expire_in` is the type's timeout (its run may
 * take that long, pg-boss times the handler out in process by it, and a retry copies it), so a
 * job whose instance was killed (kill -9, a lost machine) used to hold its key for that whole
 * timeout: up to an hour for an ad-server sync. With a lease the row's `started_on` is moved so
 * that `started_on + expire_in` is `leaseSeconds` past the last renewal: a live handler renews
 * it every third of a lease, a dead one stops, and the job is failed into retry at the first
 * maintenance after the lease lapses. `expire_in` itself is left alone. A handler still running
 * past its type's timeout stops renewing (pg-boss fails it in process then too).
 *
 * The bound after a kill: lease + maintenance interval + the type's first retry delay (up to
 * twice `delaySeconds` with backoff) + a poll interval.
 *
 * A type whose timeout is no longer than the lease needs none: its `expire_in` is already the
 * shorter hold, and a renewal would move its expiry past its own timeout. It pays no write.
 */
export function holdLease(
  db: PgBoss.Db,
  schema: string,
  job: { name: string; id: string },
  options: { leaseSeconds: number; timeoutSeconds: number; onError: (error: unknown) => void },
): { held: Promise<unknown>; release(): void } {
  if (options.timeoutSeconds <= options.leaseSeconds) {
    return { held: Promise.resolve(), release: () => undefined };
  }
  const startedAt = Date.now();
  const renew = () =>
    db
      .executeSql(
        `update ${schema}.job
            set started_on = now() - expire_in + make_interval(secs => $3)
          where name = $1 and id = $2 and state = 'active'`,
        [job.name, job.id, options.leaseSeconds],
      )
      .catch(options.onError);
  // The first renewal is awaited before the handler starts: a kill just after the fetch would
  // otherwise leave the job held for its whole timeout.
  const held = renew();
  const timer = setInterval(
    () => {
      if (Date.now() - startedAt > options.timeoutSeconds * 1000) clearInterval(timer);
      else void renew();
    },
    Math.max(1000, (options.leaseSeconds * 1000) / 3),
  );
  timer.unref();
  return { held, release: () => clearInterval(timer) };
}
