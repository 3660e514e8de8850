import type { DecisioningAdcpServer } from '@adcp/sdk/server';

/** Builds a fresh AdCP server for one agent; every server it builds serves the same agent. */
export type AdcpServerFactory = () => DecisioningAdcpServer;

export interface ServerPool {
  /** Runs `work` with a server no other request is using; waits while all are busy. */
  use<T>(work: (server: DecisioningAdcpServer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A few reusable AdCP servers for one agent. An MCP server object takes one transport at a
 * time, so each serves one stateless request at a time. Reuse rather than one server per
 * request because the MCP SDK prints a tool-name warning (for @adcp/sdk's `tasks/get` tool)
 * every time a server is built.
 */
export function createServerPool(factory: AdcpServerFactory, size: number): ServerPool {
  const all: DecisioningAdcpServer[] = [];
  const idle: DecisioningAdcpServer[] = [];
  const waiting: Array<(server: DecisioningAdcpServer) => void> = [];

  function acquire(): Promise<DecisioningAdcpServer> {
    const server = idle.pop();
    if (server) return Promise.resolve(server);
    if (all.length < size) {
      const created = factory();
      all.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => waiting.push(resolve));
  }

  function release(server: DecisioningAdcpServer): void {
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
