/**
 * Records the SQL a process sends through one pool while recording is on, with when each query
 * started and ended, so a benchmark can replay the same queries on a bare node-postgres pool
 * (bench/bare-pool-serve.ts) and compare a route with the database work it stands on.
 */
export interface RecordedQuery {
  text: string;
  values: unknown[];
  rowMode?: 'array';
  startMs: number;
  endMs: number;
}

type QueryFn = (config: unknown, values?: unknown) => Promise<unknown>;

export function recordQueries(pool: { query: unknown }) {
  const original = (pool.query as QueryFn).bind(pool);
  let recorded: RecordedQuery[] | undefined;
  (pool as { query: QueryFn }).query = async (config, values) => {
    if (!recorded) return original(config, values);
    const startMs = performance.now();
    const c = typeof config === 'string' ? { text: config } : (config as Record<string, unknown>);
    const entry: RecordedQuery = {
      text: c['text'] as string,
      values: (values as unknown[] | undefined) ?? (c['values'] as unknown[] | undefined) ?? [],
      ...(c['rowMode'] === 'array' && { rowMode: 'array' as const }),
      startMs,
      endMs: startMs,
    };
    recorded.push(entry);
    try {
      return await original(config, values);
    } finally {
      entry.endMs = performance.now();
    }
  };
  return {
    start: () => void (recorded = []),
    stop: (): RecordedQuery[] => {
      const out = recorded ?? [];
      recorded = undefined;
      return out;
    },
  };
}

/**
 * The recorded queries in steps: a query that started before every query of the current step
 * had ended ran beside them (Promise.all), otherwise it waited for them and starts a new step.
 */
export function stepsOf(queries: RecordedQuery[]): RecordedQuery[][] {
  const steps: RecordedQuery[][] = [];
  let stepEnd = -Infinity;
  for (const q of [...queries].sort((a, b) => a.startMs - b.startMs)) {
    const current = steps.at(-1);
    if (current && q.startMs < stepEnd) {
      current.push(q);
      stepEnd = Math.max(stepEnd, q.endMs);
    } else {
      steps.push([q]);
      stepEnd = q.endMs;
    }
  }
  return steps;
}
