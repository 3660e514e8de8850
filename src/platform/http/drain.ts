import type { FastifyInstance } from 'fastify';

/**
 * Counts handlers still running, so closing the app waits for them before the database goes:
 * a client that hangs up does not stop its handler, and Node's server.close() does not wait for
 * handlers whose socket is already gone.
 */
export interface InFlight {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function registerDrain(app: FastifyInstance, maxWaitMs = 10_000): InFlight {
  let running = 0;
  let idle: (() => void) | undefined;
  app.addHook('onClose', async () => {
    if (running === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => (idle = resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, maxWaitMs).unref()),
    ]);
  });
  return {
    async run(work) {
      running += 1;
      try {
        return await work();
      } finally {
        running -= 1;
        if (running === 0) idle?.();
      }
    },
  };
}
