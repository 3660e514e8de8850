import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Interchange as an operator runs it: `node dist/main.js serve` (build first), NODE_ENV=production,
 * the embedded PostgreSQL in memory, no demo seed, rate limits and compliance runs out of the way,
 * private networks allowed (every peer is on loopback). `api` calls the REST API with a key and
 * answers the envelope's data, throwing on any non-2xx answer.
 */
export interface BuiltServer {
  child: ChildProcess;
  url: string;
  adminKey: string;
  api: (key: string, method: string, path: string, body?: unknown) => Promise<Json>;
  stop: () => void;
}
export type Json = Record<string, unknown>;

export async function startBuiltServer(
  checkout: string,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
  /** A command the server runs under (e.g. valgrind and its options), node appended. */
  wrapper: string[] = [],
): Promise<BuiltServer> {
  const adminKey = `ix_bench_admin_${randomBytes(16).toString('hex')}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    INTERCHANGE_DATA_DIR: 'memory',
    INTERCHANGE_DEMO: '0',
    INTERCHANGE_ADMIN_KEY: adminKey,
    INTERCHANGE_LOG_LEVEL: 'warn',
    INTERCHANGE_RATE_LIMIT: '100000000',
    INTERCHANGE_PUBLIC_RATE_LIMIT: '100000000',
    INTERCHANGE_ALLOW_PRIVATE_NETWORK: '1',
    INTERCHANGE_COMPLIANCE_POLICY: 'off',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  const command = [...wrapper, process.execPath, ...nodeArgs, 'dist/main.js', 'serve'];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: checkout,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const deadline = Date.now() + 180_000;
  let url: string | undefined;
  while (!url || !/^Ready\.$/m.test(text)) {
    if (child.exitCode !== null) throw new Error(`server exited: ${text}`);
    if (Date.now() > deadline) throw new Error(`server not ready: ${text}`);
    url ??= /listening on (http:\/\/\S+)/.exec(text)?.[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  const origin = url;
  const api = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: Json }).data;
  };
  // SIGTERM lets the server stop its cluster and write a --cpu-prof profile.
  return { child, url: origin, adminKey, api, stop: () => child.kill('SIGTERM') };
}

/** A customer made by the platform admin, with a key that has accepted the terms. */
export async function builtCustomer(server: BuiltServer, role: 'BUYER' | 'SELLER', name: string) {
  const customer = await server.api(server.adminKey, 'POST', '/api/v2/admin/customers', {
    name,
    customerRole: role,
    customerDomain: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`,
  });
  const created = await server.api(
    server.adminKey,
    'POST',
    `/api/v2/admin/customers/${customer['id'] as string}/api-keys`,
    { name: 'bench' },
  );
  const key = created['key'] as string;
  await server.api(key, 'POST', '/api/v2/accounts/terms/accept');
  return { customer, key };
}
