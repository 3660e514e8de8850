import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './processes.js';

/**
 * The storyboard runner and fuzzer run from a patched copy of @adcp/sdk 6.11.0 (the only
 * version in the registry), made here at every run in a gitignored directory: never the
 * node_modules copy the product runs on. Three client-side A2A bugs of the 6.11.0 runner are
 * corrected, each as upstream later fixed it (our own small patch, not their code); every
 * patch must find its anchor, so a different SDK version stops the run instead of silently
 * grading with an unpatched runner.
 */
const sdk = join(root, 'node_modules', '@adcp', 'sdk');
/**
 * Under the repository root, so the copy resolves the SDK's dependencies from node_modules;
 * one per process, so runs side by side do not share one. Removed by removeRunner().
 */
const copyRoot = join(root, '.compliance-runner', String(process.pid));
const copy = join(copyRoot, 'node_modules', '@adcp', 'sdk');

interface Patch {
  /** The upstream issue (and fixing pull request) this corresponds to. */
  upstream: string;
  file: string;
  find: string;
  replace: string;
}

const patches: Patch[] = [
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

/** Copies and patches the SDK; answers the patched `adcp` CLI to run. */
export async function prepareRunner(): Promise<string> {
  rmSync(copyRoot, { recursive: true, force: true });
  cpSync(sdk, copy, { recursive: true, dereference: true });
  for (const patch of patches) {
    const file = join(copy, patch.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(patch.find)) {
      throw new Error(`runner patch for ${patch.upstream}: anchor not found in ${patch.file}`);
    }
    writeFileSync(file, text.replace(patch.find, patch.replace));
  }
  const cli = join(copy, 'bin', 'adcp.js');
  if (!existsSync(cli)) throw new Error(`no ${cli}`);
  return cli;
}

export function removeRunner(): void {
  rmSync(copyRoot, { recursive: true, force: true });
}
