import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServerProcess, stopServerProcesses } from '../support/server-process.js';

/*
 * INTERCHANGE_SANDBOX=1 under NODE_ENV=production is refused when the configuration is read,
 * before anything is opened: with a DATABASE_URL that never answers (a socket that accepts and
 * stays silent, as an unreachable server looks to a client), the process exits with one line
 * naming the variable, and the "database" never saw a connection. It used to open the database
 * first and refuse after (46-116 s with an unreachable one).
 */
afterAll(stopServerProcesses);

describe('the sandbox under NODE_ENV=production', () => {
  it('is refused before the database is opened, in one line naming INTERCHANGE_SANDBOX', async () => {
    const connections: Socket[] = [];
    const silent = createServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const server = spawnServerProcess({
        databaseUrl: `postgres://interchange:secret@127.0.0.1:${port}/interchange`,
        env: { NODE_ENV: 'production', INTERCHANGE_SANDBOX: '1' },
      });
      // Against the old code the process would wait on this silent database: end it then.
      const outcome = await Promise.race([
        server.exited.then((exit) => ({ exit })),
        new Promise<{ connected: true }>((resolve) => {
          const poll = setInterval(() => {
            if (connections.length > 0) {
              clearInterval(poll);
              resolve({ connected: true });
            }
          }, 50);
          void server.exited.then(() => clearInterval(poll));
        }),
      ]);
      if (!('exit' in outcome)) server.child.kill('SIGKILL');
      expect(outcome).toEqual({ exit: { code: 1, signal: null } });
      expect(connections).toHaveLength(0);
      const lines = server.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^interchange: INTERCHANGE_SANDBOX: refused under NODE_ENV=production/,
      );
    } finally {
      for (const socket of connections) socket.destroy();
      silent.close();
    }
  }, 120_000);
});
