import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  type EmbeddedCluster,
  startEmbeddedCluster,
} from '../../src/platform/db/embedded/cluster.js';
import {
  type Exit,
  killServerProcesses,
  spawnServerProcess,
  type SpawnedServer,
  stopServerProcesses,
  tempDataDir,
} from '../../test/support/server-process.js';
import { type Balancer, startNodeBalancer } from './balancer.js';
import { nginxAvailable, startNginxBalancer } from './nginx.js';

/**
 * Several Interchange instances on loopback behind one load balancer (nginx when it is
 * installed and asked for, else the Node stand-in), on one PostgreSQL: the production topology
 * of docs/operations.md, used by test/fleet and bench/fleet.ts, and by `npm run fleet`.
 *
 * Every instance gets the same admin key, secret key, public URL (the balancer's) and asset
 * directory, a port of its own that it keeps across restarts, and trusts the balancer's
 * X-Forwarded-For. PostgreSQL is a cluster of its own under the fleet's directory, on a port it
 * keeps too, so a test can stop it and start it again under the running instances.
 */
export interface FleetOptions {
  instances: number;
  /** `nginx` needs the nginx binary (Debian's package); `auto` uses it when installed. */
  balancer?: 'node' | 'nginx' | 'auto';
  /** The balancer's port (0: any free one). */
  port?: number;
  /** More environment for every instance. */
  env?: Record<string, string>;
  /** Where PostgreSQL, assets and the balancer's files live; a temporary directory otherwise. */
  dir?: string;
  /**
   * Run this checkout's build (`node dist/main.js serve`, NODE_ENV=production) rather than this
   * tree's sources through tsx: what bench/fleet-load.ts measures.
   */
  builtCheckout?: string;
  /** Flags for each instance's node (`--cpu-prof`, say). */
  nodeArgs?: string[];
}

export interface FleetInstance {
  index: number;
  port: number;
  /** The instance itself, bypassing the balancer. */
  url: string;
  server: SpawnedServer;
}

export interface Fleet {
  /** The balancer: what clients use. */
  url: string;
  balancer: 'node' | 'nginx';
  adminKey: string;
  instances: FleetInstance[];
  database: {
    url: string;
    /** Fast shutdown of PostgreSQL under the running instances. */
    stop(): Promise<void>;
    /** Starts it again on the same port and data. */
    start(): Promise<void>;
  };
  /** Signals instance `index` (SIGKILL by default) and waits for it to exit. */
  kill(index: number, signal?: NodeJS.Signals): Promise<Exit>;
  /** Starts instance `index` again on its port. */
  restart(index: number): Promise<void>;
  /** Stops the instances, the balancer and PostgreSQL. */
  close(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const dir = options.dir ?? tempDataDir('ix-fleet-');
  mkdirSync(dir, { recursive: true });
  // The embedded cluster's own user passes through it to its data directory.
  chmodSync(dir, 0o711);
  const pgPort = await freePort();
  let cluster: EmbeddedCluster | undefined;
  const startDatabase = async () => {
    cluster = await startEmbeddedCluster({
      dataDir: join(dir, 'postgres'),
      settings: { max_connections: '200' },
      pickPort: async () => pgPort,
    });
  };
  await startDatabase();
  const databaseUrl = cluster!.url;

  const ports = await Promise.all(Array.from({ length: options.instances }, () => freePort()));
  const upstreams = ports.map((p) => `127.0.0.1:${p}`);
  const nginx = options.balancer === 'node' ? undefined : nginxAvailable();
  if (options.balancer === 'nginx' && !nginx) {
    throw new Error('nginx is not installed (apt-get install nginx), or use --balancer node');
  }
  const balancerPort = options.port || (await freePort());
  let balancer: Balancer;
  if (nginx) {
    balancer = await startNginxBalancer({ bin: nginx, upstreams, port: balancerPort, dir });
  } else {
    if (options.balancer !== 'node') {
      process.stderr.write('fleet: nginx is not installed; balancing with the Node stand-in\n');
    }
    balancer = await startNodeBalancer({ upstreams, port: balancerPort });
  }

  const adminKey = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    INTERCHANGE_ADMIN_KEY: adminKey,
    INTERCHANGE_SECRET_KEY: randomBytes(32).toString('base64'),
    INTERCHANGE_PUBLIC_URL: balancer.url,
    INTERCHANGE_TRUST_PROXY: 'loopback',
    INTERCHANGE_ASSET_DIR: join(dir, 'assets'),
    INTERCHANGE_LOG_FORMAT: 'json',
    ...options.env,
  };
  const spawnInstance = async (index: number, attempt = 1): Promise<FleetInstance> => {
    const server = spawnServerProcess({
      databaseUrl,
      env: {
        ...env,
        PORT: String(ports[index]),
        INTERCHANGE_DATA_DIR: join(dir, `instance-${index}`),
      },
      readyTimeoutMs: 180_000,
      ...(options.builtCheckout && { builtCheckout: options.builtCheckout }),
      ...(options.nodeArgs && { nodeArgs: options.nodeArgs }),
    });
    try {
      await server.ready();
    } catch (error) {
      // An instance that exits while starting is started again, as a supervisor would
      // (systemd's Restart=on-failure, compose's restart policy): on a starved machine its
      // first database connection can outlast the pool's 5 s connect timeout.
      if (attempt >= 3 || server.child.exitCode === null) throw error;
      return spawnInstance(index, attempt + 1);
    }
    return { index, port: ports[index]!, url: `http://${upstreams[index]}`, server };
  };
  const instances: FleetInstance[] = [];
  // The instances, the balancer, then PostgreSQL, and only then the temporary directories:
  // stopServerProcesses waits for every PostgreSQL under them to exit, and this cluster runs in
  // this process, so removing them first waited 30 s out on every close.
  const stopAll = async () => {
    await killServerProcesses();
    await balancer.close();
    await cluster?.stop();
    await stopServerProcesses();
  };
  try {
    // The first one migrates the database; the others then start together.
    instances.push(await spawnInstance(0));
    const rest = await Promise.all(ports.slice(1).map((_, i) => spawnInstance(i + 1)));
    instances.push(...rest);
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    url: balancer.url,
    balancer: nginx ? 'nginx' : 'node',
    adminKey,
    instances,
    database: {
      url: databaseUrl,
      stop: async () => void (await cluster?.stop()),
      start: startDatabase,
    },
    kill: (index, signal = 'SIGKILL') => instances[index]!.server.kill(signal),
    async restart(index) {
      await instances[index]!.server.kill('SIGKILL');
      instances[index] = await spawnInstance(index);
    },
    close: stopAll,
  };
}

/** A free loopback port (the kernel's pick, released for the caller to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
