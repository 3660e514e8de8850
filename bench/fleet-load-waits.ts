import pg from 'pg';

/**
 * What PostgreSQL's client backends are doing while a benchmark runs: pg_stat_activity sampled
 * every `everyMs`, each active backend counted under its wait event (`CPU` when it waits for
 * nothing) and, for lock waits, the statement that waits. A hot row shows as `Lock:tuple` /
 * `Lock:transactionid` on the statement that updates it.
 */
export async function startWaitSampler(databaseUrl: string, everyMs = 50) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ w: string; q: string }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'CPU') || case when state = 'active' then '' else ' (' || state || ')' end as w,
                regexp_replace(left(query, 90), '\\s+', ' ', 'g') as q
         from pg_stat_activity
         where state <> 'idle' and backend_type = 'client backend' and pid <> pg_backend_pid()`,
      );
      samples++;
      for (const row of rows) {
        const key = row.w.startsWith('Lock') || row.w === 'CPU' ? `${row.w} ${row.q}` : row.w;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    /** The top waits, as lines: active backends per sample, and what they were doing. */
    async stop(top = 8): Promise<string[]> {
      stopped = true;
      await loop;
      await client.end();
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      return [
        `${samples} samples, ${(total / Math.max(1, samples)).toFixed(2)} active backends on average`,
        ...[...counts]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([k, v]) => `${((v / Math.max(1, total)) * 100).toFixed(1)} %  ${k}`),
      ];
    },
  };
}
