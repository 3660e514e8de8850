import { writeFileSync } from 'node:fs';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { agentClient } from '../agents/storefront-agent-support.js';
import { eventually } from '../support/eventually.js';
import { sellerBuys } from '../support/seller-records.js';
import {
  buysOf,
  createDeployment,
  type Deployment,
  type Json,
  type ServerProcess,
  storefrontOver,
} from '../support/spawned-server.js';

/*
 * Crash tests: Interchange runs as a process of its own over a database of the test run's
 * PostgreSQL cluster (test/support/server-process.ts) and is killed with SIGKILL at a point of a write to a seller
 * (a crash point, or the seller's receipt of the call), then started again. The seller (the
 * demo AdCP seller, idempotent by key, in this process) is the judge: what it holds, under each
 * buyer's account, against what each buyer sees.
 */

/** Short budgets and lapses, so a crash's aftermath plays out in seconds. */
export const crashEnv = {
  INTERCHANGE_WRITE_RECOVERY_SECONDS: '1',
  INTERCHANGE_EXECUTE_AGENT_BUDGET_MS: '5000',
  INTERCHANGE_TRANSACT_BUDGET_MS: '3000',
  // Discovery on a loaded machine (a fresh server's first calls) must not leave the seller out.
  INTERCHANGE_SOURCE_BUDGET_MS: '15000',
  INTERCHANGE_STATUS_SYNC_MIN_SECONDS: '600',
};

export interface CrashBed {
  seller: RunningSeller;
  deployment: Deployment;
  server: ServerProcess;
  storefront: { id: number; platformId: string; sellerKey: string };
  /** Runs `action` when the seller receives a call of `tool` whose args `match` (once). */
  onSellerCall(tool: string, match: (args: Json) => boolean, action: () => void): void;
  /** The calls the seller had received when the server last died (crashDuring). */
  callsAtDeath: ReturnType<RunningSeller['toolCalls']>;
  /** Starts `work`, waits for the server to die (at a crash point, or killed), starts it again. */
  crashDuring(work: (base: string) => Promise<unknown>): Promise<void>;
  /** SIGKILLs the running server (from an onSellerCall action, say). */
  kill(): void;
  close(): Promise<void>;
}

export async function crashBed(env: Record<string, string>): Promise<CrashBed> {
  const hooks: Array<{ tool: string; match: (args: Json) => boolean; action: () => void }> = [];
  const seller = await startSeller('mcp', {
    answerDelayMs: { create_media_buy: 800 },
    onToolCall: (tool, args) => {
      const hook = hooks.find((h) => h.tool === tool && h.match(args));
      if (!hook) return;
      hooks.splice(hooks.indexOf(hook), 1);
      hook.action();
    },
  });
  const deployment = await createDeployment({ ...crashEnv, ...env });
  const outputs: Array<() => string> = [];
  const bed: CrashBed = {
    seller,
    deployment,
    server: await deployment.start(),
    storefront: undefined as never,
    callsAtDeath: [],
    onSellerCall: (tool, match, action) => void hooks.push({ tool, match, action }),
    async crashDuring(work) {
      const died = bed.server.exited;
      const done = work(bed.server.url).catch(() => undefined);
      // A crash point that is never reached fails the test rather than hang it.
      const survived = done
        .then(() => new Promise((resolve) => setTimeout(resolve, 45_000)))
        .then(() => {
          throw new Error('the server did not die at the crash point');
        });
      await Promise.race([died, survived]);
      bed.callsAtDeath = [...seller.toolCalls()];
      deployment.crashAt('');
      bed.server = await deployment.start();
      outputs.push(bed.server.output);
    },
    kill: () => void bed.server.child.kill('SIGKILL'),
    async close() {
      // CRASH_LOG_DIR keeps what each server printed, for a failure's post-mortem.
      const dir = process.env['CRASH_LOG_DIR'];
      if (dir) outputs.forEach((out, i) => writeFileSync(`${dir}/server-${i}.log`, out()));
      await deployment.close();
      await seller.close();
    },
  };
  outputs.push(bed.server.output);
  bed.storefront = await storefrontOver(bed.server.url, deployment.adminKey, seller.url);
  return bed;
}

/** The account the storefront asked the seller with for a brand (from the seller's own log). */
export function accountAtSeller(seller: RunningSeller, brand: string): Json {
  const call = seller
    .toolCalls()
    .find((c) => c.tool === 'create_media_buy' && (c.args['brand'] as Json)?.domain === brand);
  return call?.args['account'];
}

/** The seller's buys under a brand's account. */
export async function heldFor(seller: RunningSeller, brand: string): Promise<Json[]> {
  const account = accountAtSeller(seller, brand);
  return account ? sellerBuys(seller.url, account) : [];
}

/** The campaign's one buy as its buyer sees it, once its outcome is no longer in doubt. */
export async function settledBuy(bed: CrashBed, c: { key: string; campaignId: string }) {
  const [buy] = await eventually(
    () => buysOf(bed.server.url, c.key, c.campaignId),
    (buys) => buys.length === 1 && !buys[0].outcomePending && buys[0].status !== 'DRAFT',
    90_000,
  );
  return buy as Json;
}

/**
 * The seller package ids of a storefront buy, as the buyer reads it through the storefront's
 * own agent (get_media_buys): how a buyer sees which of the seller's buys is its.
 */
export async function sellerPackagesSeenBy(
  bed: CrashBed,
  key: string,
  storefrontMediaBuyIds: string[],
): Promise<Map<string, string[]>> {
  const client = await agentClient(bed.server.url, bed.storefront.platformId, key);
  try {
    const answer = await client.call('get_media_buys', { media_buy_ids: storefrontMediaBuyIds });
    return new Map(
      ((answer.media_buys ?? []) as Json[]).map((b) => [
        b.media_buy_id as string,
        ((b.packages ?? []) as Json[]).map((p) => String(p.package_id).replace(/^seller__/, '')),
      ]),
    );
  } finally {
    await client.close();
  }
}

/** The package ids of a seller's buy. */
export const packagesOf = (buy: Json): string[] =>
  ((buy.packages ?? []) as Json[]).map((p) => p.package_id as string);
