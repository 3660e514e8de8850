import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { builtCustomer, startBuiltServer } from './built-server.js';
import { connect, getProductsCall, startSellers, storefrontOver } from './storefront-sides.js';

/**
 * System calls per storefront get_products (issue 30): the built server and the sellers under
 * `strace -c -f` while one client makes --calls calls, one at a time. Counts, unlike times, do
 * not depend on the machine's load, so two builds can be compared on a busy machine.
 *
 *   npm run build && npx tsx bench/storefront-syscalls.ts --sources 1 --products 30
 */
const { values: args } = parseArgs({
  options: {
    sources: { type: 'string', default: '1' },
    products: { type: 'string', default: '30' },
    calls: { type: 'string', default: '500' },
    checkout: { type: 'string', default: '.' },
  },
});
const sources = Number(args.sources);
const perSource = Number(args.products);
const calls = Number(args.calls);

const { child: sellers, urls } = await startSellers(sources, perSource);
const server = await startBuiltServer(args.checkout);
try {
  const buyer = await builtCustomer(server, 'BUYER', 'Syscall buyer');
  const agentUrl = await storefrontOver(server, urls, 'Syscall seller');
  const client = await connect(agentUrl, { authorization: `Bearer ${buyer.key}` });
  const direct = await connect(urls[0]!);
  const run = async (c: Client, n: number) => {
    for (let i = 0; i < n; i++) {
      const result = await c.callTool(getProductsCall);
      if (result.isError) throw new Error(JSON.stringify(result));
    }
  };
  await run(client, 300);
  await run(direct, 300);

  const traced = async (pid: number, label: string, c: Client) => {
    const out = `/tmp/strace-${label}-${pid}.txt`;
    const tracer = spawn(
      'strace',
      [
        ...(process.env['STRACE_RAW'] ? ['-s', '3000', '-e', 'trace=writev'] : ['-c']),
        '-f',
        '-o',
        out,
        '-p',
        `${pid}`,
      ],
      { stdio: 'ignore' },
    );
    await new Promise((r) => setTimeout(r, 1000));
    await run(c, calls);
    tracer.kill('SIGINT');
    await new Promise((r) => tracer.once('exit', r));
    const text = readFileSync(out, 'utf8');
    const lines = text
      .split('\n')
      .filter((l) => /^\s*[\d.]+\s+[\d.]+\s+\d+\s+\d+/.test(l))
      .map((l) => l.trim().split(/\s+/))
      .map((f) => ({ name: f[f.length - 1]!, count: Number(f[3]) }))
      .filter((r) => r.count >= calls / 4)
      .sort((a, b) => b.count - a.count);
    console.log(`\n${label} (pid ${pid}): system calls per call over ${calls} calls`);
    for (const r of lines) console.log(`  ${r.name.padEnd(16)} ${(r.count / calls).toFixed(2)}`);
    console.log(
      `  ${'total'.padEnd(16)} ${(lines.reduce((s, r) => s + r.count, 0) / calls).toFixed(2)}`,
    );
  };
  const ticks = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { user: Number(f[11]) * 10, system: Number(f[12]) * 10 };
  };
  for (const [label, c, pid] of [
    ['storefront server', client, server.child.pid!],
    ['sellers, direct', direct, sellers.pid!],
  ] as const) {
    const before = ticks(pid);
    await run(c, calls * 3);
    const after = ticks(pid);
    console.log(
      `${label}: user ${((after.user - before.user) / (calls * 3)).toFixed(3)} ms, system ${((after.system - before.system) / (calls * 3)).toFixed(3)} ms per call`,
    );
  }
  await traced(server.child.pid!, 'storefront-server', client);
  await traced(sellers.pid!, 'sellers-via-storefront', client);
  await traced(sellers.pid!, 'sellers-direct', direct);
  await client.close();
  await direct.close();
} finally {
  server.stop();
  sellers.kill('SIGTERM');
}
