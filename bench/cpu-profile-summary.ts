import { readFileSync } from 'node:fs';

/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its thread's time: self time by layer (npm
 * package, our source folder, node's internals, GC, idle) and the top self-time frames.
 *
 *   npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top 25] [--since <seconds>]
 *
 * `--since` skips the first seconds of the profile (a server's start-up and provisioning);
 * `--last <seconds>` keeps only its last seconds instead.
 */
interface Profile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

function layerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  const ours = /\/(?:dist|src)\/(.*)\/[^/]+$/.exec(url);
  if (ours) return `ours: ${ours[1]!.split('/').slice(0, 2).join('/')}`;
  return url;
}

export function summarise(
  file: string,
  options: { top?: number; sinceSeconds?: number; lastSeconds?: number } = {},
) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const length = profile.timeDeltas.reduce((sum, us) => sum + us, 0);
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const layers = new Map<string, number>();
  const frames = new Map<string, number>();
  let total = 0;
  let at = 0;
  const skipUs =
    options.lastSeconds !== undefined
      ? length - options.lastSeconds * 1e6
      : (options.sinceSeconds ?? 0) * 1e6;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (at < skipUs) return;
    const frame = byId.get(id)!;
    const layer = layerOf(frame.url, frame.functionName);
    layers.set(layer, (layers.get(layer) ?? 0) + us);
    const where = frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist|src)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'} ${where ? `${where}:${frame.lineNumber + 1}` : ''}`;
    frames.set(key, (frames.get(key) ?? 0) + us);
    total += us;
  });
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const sorted = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return {
    seconds: total / 1e6,
    layers: sorted(layers, 30).map(([k, us]) => `${pct(us)}  ${k}`),
    frames: sorted(frames, options.top ?? 25).map(([k, us]) => `${pct(us)}  ${k}`),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file)
    throw new Error(
      'usage: cpu-profile-summary.ts <file.cpuprofile> [--top N] [--since S | --last S]',
    );
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? Number(rest[i + 1]) : undefined;
  };
  const s = summarise(file, {
    top: flag('--top'),
    sinceSeconds: flag('--since'),
    lastSeconds: flag('--last'),
  });
  console.log(`${s.seconds.toFixed(1)} s sampled\n\nby layer (self):\n${s.layers.join('\n')}`);
  console.log(`\ntop frames (self):\n${s.frames.join('\n')}`);
}
