import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * @adcp/sdk 6.11.0 (the only version in the registry) has three client-side bugs in its
 * storyboard runner's A2A path that grade a conformant A2A agent as failing (error answers read
 * as "Task failed", a media buy's `canceled` read as a canceled task, a task id carried into the
 * next storyboard). Runs over A2A therefore use a copy of the SDK with each corrected as upstream
 * later fixed it (our own small patches, not their code), made once per process under
 * node_modules/.cache, where the copy still resolves the SDK's own dependencies. The copy the
 * product serves with is never touched. Every patch must find its anchor: a different SDK
 * version makes A2A runs fail loudly rather than grade with an unpatched runner.
 * `npm run compliance` (scripts/compliance/patches/runner-patch.ts) uses the same patches.
 */
export interface SdkPatch {
  /** The upstream issue (and fixing pull request) this corresponds to. */
  upstream: string;
  file: string;
  find: string;
  replace: string;
}

export const sdkPatches: readonly SdkPatch[] = [
  {
    // adcontextprotocol/adcp-client#1571, fixed by #1572 (unwrapper) and its sibling #1575 /
    // #1577: a failed A2A task carries its adcp_error in the artifact's DataPart like a
    // completed one, but the unwrapper refused every state but `completed`, so every
    // error-path step read "Task failed" instead of the error code the agent sent.
    upstream: 'adcp-client#1571 (PR #1572; sibling #1575, PR #1577)',
    file: 'dist/lib/utils/response-unwrapper.js',
    find: "if (response.result?.status?.state && response.result.status.state !== 'completed') {",
    replace:
      "if (response.result?.status?.state && !['completed', 'failed', 'rejected', 'canceled'].includes(response.result.status.state)) {",
  },
  {
    // adcontextprotocol/adcp-client#2009, fixed by #2015 (the A2A sibling of #646): the parser
    // took the artifact DataPart's `status` as the task's state, so update_media_buy answering
    // a media buy `status: "canceled"` was graded as a canceled task. As #646 did for MCP, a
    // status shared with domain enums counts as the task's only on a bare task envelope.
    upstream: 'adcp-client#2009 (PR #2015)',
    file: 'dist/lib/core/ProtocolResponseParser.js',
    find: `    const status = data.status;
    if (typeof status === 'string' && Object.values(exports.ADCP_STATUS).includes(status)) {
        return status;`,
    replace: `    const status = data.status;
    if (typeof status === 'string' && Object.values(exports.ADCP_STATUS).includes(status)) {
        if (!EXCLUSIVE_TASK_STATUSES.has(status) && Object.keys(data).some(k => !TASK_ENVELOPE_FIELDS.has(k)))
            return undefined;
        return status;`,
  },
  {
    // adcontextprotocol/adcp-client#1585, fixed by #1588 (and #1592): one AgentClient is shared
    // across the storyboards of a run and keeps the task id of a non-terminal answer, so a
    // previous scenario's task id rode into the next scenario's first call (the seeding call),
    // which a conformant A2A agent answers "task not found". Reset per storyboard, as #1588.
    upstream: 'adcp-client#1585 (PR #1588, #1592)',
    file: 'dist/lib/testing/storyboard/runner.js',
    find: 'const preSeedClients = agentUrls.map(url => (0, client_1.getOrCreateClient)(url, options));',
    replace:
      'const preSeedClients = agentUrls.map(url => (0, client_1.getOrCreateClient)(url, options));\n    for (const c of preSeedClients) c?.resetContext?.();',
  },
  {
    upstream: 'adcp-client#1585 (PR #1588)',
    file: 'dist/lib/testing/storyboard/runner.js',
    find: '        clients = agentUrls.map(url => (0, client_1.getOrCreateClient)(url, options));',
    replace:
      '        clients = agentUrls.map(url => (0, client_1.getOrCreateClient)(url, options));\n        for (const c of clients) c?.resetContext?.();',
  },
];

/** The installed @adcp/sdk package directory (…/node_modules/@adcp/sdk). */
export function installedSdkDir(): string {
  const main = createRequire(import.meta.url).resolve('@adcp/sdk');
  const marker = `${join('node_modules', '@adcp', 'sdk')}`;
  const at = main.lastIndexOf(marker);
  if (at < 0) throw new Error(`@adcp/sdk resolved outside node_modules: ${main}`);
  return main.slice(0, at + marker.length);
}

/** Where this process keeps its copies: one directory per process id. */
function cacheRoot(): string {
  const nodeModules = dirname(dirname(installedSdkDir()));
  return join(nodeModules, '.cache', 'interchange-compliance-runner');
}

/**
 * Copies and patches the SDK (once per process and name; threads of one process share the copy,
 * made under a name of its own and renamed into place); answers the copy's package directory.
 * Copies left by processes that are gone are removed first.
 */
export function preparePatchedSdk(name: string = String(process.pid)): string {
  const root = cacheRoot();
  const copyOf = (dir: string) => join(root, dir, 'node_modules', '@adcp', 'sdk');
  if (existsSync(join(copyOf(name), '.patched'))) return copyOf(name);
  removeDeadCopies(root);
  const staging = `${name}-staging-${threadId}-${Date.now()}`;
  const copy = copyOf(staging);
  try {
    cpSync(installedSdkDir(), copy, { recursive: true, dereference: true });
    for (const patch of sdkPatches) {
      const file = join(copy, patch.file);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(patch.find)) {
        throw new Error(`runner patch for ${patch.upstream}: anchor not found in ${patch.file}`);
      }
      writeFileSync(file, text.replace(patch.find, patch.replace));
    }
    writeFileSync(join(copy, '.patched'), `${sdkPatches.map((p) => p.upstream).join('\n')}\n`);
    try {
      renameSync(join(root, staging), join(root, name));
    } catch {
      // Another thread got there first: its copy is as good.
      if (!existsSync(join(copyOf(name), '.patched'))) throw new Error('patched SDK copy lost');
    }
  } finally {
    rmSync(join(root, staging), { recursive: true, force: true });
  }
  return copyOf(name);
}

export function removePatchedSdk(name: string = String(process.pid)): void {
  rmSync(join(cacheRoot(), name), { recursive: true, force: true });
}

function removeDeadCopies(root: string): void {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const pid = Number(entry.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(root, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
