/** A server object that takes one transport at a time (an MCP server, an AdCP agent server). */
export interface PooledServer {
  close(): Promise<void>;
}

export interface ServerPool<S extends PooledServer> {
  /** Runs `work` with a server no other request is using; waits while all are busy. */
  use<T>(work: (server: S) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A few reusable servers for one endpoint. An MCP server object takes one transport at a time,
 * so each serves one stateless request at a time. Reused rather than built per request: building
 * one registers every tool again (zod schemas, a JSON-schema validator), which cost more than the
 * rest of a small request, and the MCP SDK prints a tool-name warning for @adcp/sdk's
 * `tasks/get` tool every time an agent server is built.
 */
export function createServerPool<S extends PooledServer>(
  factory: () => S,
  size: number,
): ServerPool<S> {
  const all: S[] = [];
  const idle: S[] = [];
  const waiting: Array<(server: S) => void> = [];

  function acquire(): Promise<S> {
    const server = idle.pop();
    if (server) return Promise.resolve(server);
    if (all.length < size) {
      const created = factory();
      all.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => waiting.push(resolve));
  }

  function release(server: S): void {
    const next = waiting.shift();
    if (next) next(server);
    else idle.push(server);
  }

  return {
    async use(work) {
      const server = await acquire();
      try {
        return await work(server);
      } finally {
        release(server);
      }
    },
    async close() {
      await Promise.all(all.map((server) => server.close()));
    },
  };
}
