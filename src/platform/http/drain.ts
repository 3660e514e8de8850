import type { FastifyInstance } from 'fastify';

/**
 * Counts handlers still running, so closing the app waits for them before the database goes:
 * a client that hangs up does not stop its handler, and Node's server.close() does not wait for
 * handlers whose socket is already gone. Both waits end at `maxWaitMs`: server.close() also
 * waits for every connection Node does not count as idle (a request half sent, an answer the
 * client has not read), so a client could otherwise hold a stopping instance open for good.
 */
export interface InFlight {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function registerDrain(app: FastifyInstance, maxWaitMs: number): InFlight {
  let running = 0;
  let idle: (() => void) | undefined;
  app.addHook('preClose', (done) => {
    // Connections still open when the drain ends are cut; their requests have had their time.
    const cut = setTimeout(() => app.server.closeAllConnections(), maxWaitMs).unref();
    app.server.once('close', () => clearTimeout(cut));
    done();
  });
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
