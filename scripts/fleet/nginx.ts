import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Balancer } from './balancer.js';

/**
 * nginx (Debian's package) as the fleet's load balancer: round robin over the instances, no
 * sticky sessions, the same headers and failover rule as the Node stand-in (balancer.ts). The
 * configuration is written by `nginxConfig` (the file docs/operations.md shows), so the loopback
 * fleet, the compose file and a production host share one shape.
 */
export function nginxAvailable(): string | undefined {
  for (const bin of ['nginx', '/usr/sbin/nginx']) {
    try {
      execFileSync(bin, ['-v'], { stdio: 'ignore' });
      return bin;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** The configuration: `upstreams` as host:port, listening on `port`, state under `dir`. */
export function nginxConfig(options: { upstreams: string[]; port: number; dir: string }): string {
  const { upstreams, port, dir } = options;
  return `# Interchange fleet: round robin over the instances, no sticky sessions.
worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream interchange {
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    # The app caps bodies itself (INTERCHANGE_BODY_LIMIT_BYTES, asset uploads).
    client_max_body_size 0;
    location / {
      proxy_pass http://interchange;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      # A refused connection moves on to the next instance; a request already sent is not
      # replayed (a POST is not idempotent unless it carries an Idempotency-Key).
      proxy_next_upstream error timeout;
      # MCP answers may stream (server-sent events).
      proxy_buffering off;
      proxy_read_timeout 300s;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

export async function startNginxBalancer(options: {
  bin: string;
  upstreams: string[];
  port: number;
  dir: string;
}): Promise<Balancer> {
  const dir = join(options.dir, 'nginx');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, nginxConfig({ ...options, dir }));
  const child: ChildProcess = spawn(options.bin, ['-c', file, '-p', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors}`);
    try {
      await fetch(`${url}/health`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer: ${errors}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    port: options.port,
    upstreams: options.upstreams,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
