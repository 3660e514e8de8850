import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createOutboundClient } from '../../../platform/outbound/index.js';
import { preparePatchedSdk } from './patched-sdk.js';
import { readOnlyFetch } from './read-only.js';
import { parseStoryboardsOnce } from './storyboard-cache.js';
import type { RunnerOutcome, RunnerRequest } from './types.js';
import { reportOf, seedFixtures, type TestingModule } from './report.js';

/**
 * The compliance runner's thread. @adcp/sdk's storyboard runner (`comply`) fetches with the
 * global fetch; in this thread that global is the instance's guarded outbound client, so every
 * request the runner makes (capability discovery, storyboard calls, OAuth or agent-card
 * lookups) meets the same address policy, deadlines and size cap as any other outbound call.
 * A thread of its own also keeps the runner's schema validation off the event loop that serves
 * requests, and lets the service end a run that outlives its deadline. Runs over A2A use the
 * patched copy of the SDK (patched-sdk.ts), made here, off the event loop too.
 */
const request = workerData as RunnerRequest;
// The runner logs what it grades (schema warnings and the like) to the console; all of it is in
// the report, so this thread prints nothing of its own.
for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = () => undefined;
const outbound = createOutboundClient({
  allowPrivateNetwork: request.allowPrivateNetwork,
  trustedHosts: new Set(request.trustedHosts),
  responseTimeoutMs: 60_000,
});
// Without bookings, nothing but a read-only tool reaches the source, whatever a storyboard asks.
globalThis.fetch = request.bookings
  ? (outbound.fetch as typeof globalThis.fetch)
  : readOnlyFetch(outbound.fetch as typeof globalThis.fetch);

/** @adcp/sdk/testing: the installed one, or for A2A the patched copy (CommonJS, loaded whole). */
function testingModule(): TestingModule {
  const require = createRequire(import.meta.url);
  const entry =
    request.protocol === 'a2a'
      ? join(preparePatchedSdk(), 'dist', 'lib', 'testing', 'index.js')
      : require.resolve('@adcp/sdk/testing');
  parseStoryboardsOnce(require, entry);
  return require(entry) as TestingModule;
}

async function run(): Promise<RunnerOutcome> {
  const started = Date.now();
  const auth = request.auth;
  const secrets = auth === undefined ? [] : auth.type === 'bearer' ? [auth.token] : [auth.password];
  try {
    const testing = testingModule();
    const seeding = request.seedFixtures ? await seedFixtures(testing, request) : undefined;
    const result = await testing.comply(request.agentUrl, {
      protocol: request.protocol,
      ...(auth && { auth }),
      storyboards: request.storyboards,
      timeout_ms: Math.max(1000, request.timeoutMs - (Date.now() - started)),
      allow_http: true,
      // A receiver on this machine: webhook steps grade when the agent can reach it, and are
      // reported as failed or skipped when it cannot (a remote agent never can).
      webhook_receiver: {},
    });
    if (result.overall_status === 'unreachable') {
      return { ok: false, kind: 'unreachable', message: redact(headlineOf(result), secrets) };
    }
    if (result.overall_status === 'auth_required') {
      return { ok: false, kind: 'auth_required', message: redact(headlineOf(result), secrets) };
    }
    return { ok: true, report: reportOf(result, secrets, seeding, Date.now() - started) };
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error), secrets);
    const kind = /timed out|abort/i.test(message) ? 'timeout' : 'error';
    return { ok: false, kind, message: message.slice(0, 2000) };
  }
}

function headlineOf(result: {
  summary: { headline: string };
  observations: { message: string }[];
}) {
  const detail = result.observations.find((o) => o.message)?.message;
  return [result.summary.headline, detail].filter(Boolean).join(': ').slice(0, 2000);
}

function redact(text: string, secrets: string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
  return safe;
}

void run().then(
  async (outcome) => {
    await outbound.close().catch(() => undefined);
    parentPort?.postMessage(outcome);
  },
  (error: unknown) => {
    parentPort?.postMessage({
      ok: false,
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies RunnerOutcome);
  },
);
