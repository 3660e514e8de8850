import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { slugify } from '../../platform/slug.js';
import type { AssetRow, AssetService } from '../creatives/index.js';
import { AudioStackError, type AudioStackApi } from './audiostack-api.js';
import { runSteps, type Step, type StepState } from './audiostack-steps.js';
import type { Advertisers, CredentialsService } from './credentials.js';
import * as store from './store.js';
import type { ProductionRow } from './store.js';

/*
 * Audio creatives produced at AudioStack with the advertiser's own key: asked for over REST,
 * worked by a durable job (src/jobs/audio-productions.ts) that follows AudioStack's steps,
 * then the MP3 is read through a guarded client capped at the asset size limit and kept as the
 * buyer's creative asset (asset_source SYSTEM_PROCESSED), usable in any creative or buy.
 */

export interface ProductionsDeps {
  db: Db;
  advertisers: Advertisers;
  credentials: CredentialsService;
  audiostack: AudioStackApi;
  assets: Pick<AssetService, 'upload' | 'requireOwned' | 'linkOf'>;
  /** Reads the finished file: the guarded client, its size cap the asset limit. */
  fileFetch: OutboundFetch;
  maxBytes: number;
  pollIntervalMs: number;
  /** How long one run follows AudioStack's work before handing back to the queue. */
  pollBudgetMs?: number;
  /** A production AudioStack has not finished in this long is failed. */
  giveUpAfterMs?: number;
}

export interface ProductionRequest {
  name: string;
  script: string;
  voice: string;
  soundTemplate?: string | undefined;
  masteringPreset?: string | undefined;
}

/** Sends the production's job, now or `delaySeconds` later. */
export type ProductionScheduler = (id: string, delaySeconds: number) => Promise<void>;

export type ProductionsService = ReturnType<typeof createProductionsService>;

const productionNotFound = () => notFound('Audio production');

/** A retryable failure: the job tries again later, and reports it when its tries are spent. */
export class ProductionRetry extends Error {
  override name = 'ProductionRetry';
}

export function createProductionsService(deps: ProductionsDeps) {
  const { db } = deps;
  const pollBudgetMs = deps.pollBudgetMs ?? 4 * 60_000;
  const giveUpAfterMs = deps.giveUpAfterMs ?? 60 * 60_000;
  let schedule: ProductionScheduler | undefined;

  const fail = (row: ProductionRow, code: string, message: string) =>
    store.updateProduction(db, row.id, {
      status: 'FAILED',
      errorCode: code,
      errorMessage: message,
      completedAt: new Date(),
    });

  /** The finished MP3 into our asset store, under an id the production fixes (a retry finds it). */
  async function keepFile(row: ProductionRow, fileUrl: string): Promise<AssetRow> {
    let bytes: Buffer;
    try {
      // No API key: the file URL is AudioStack's delivery link, often on another host.
      const res = await deps.fileFetch(fileUrl, { method: 'GET', timeoutMs: 120_000 });
      if (!res.ok) throw new ProductionRetry(`AudioStack's file answered HTTP ${res.status}`);
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (error) {
      if (error instanceof ProductionRetry) throw error;
      if ((error as { name?: string }).name === 'OutboundResponseTooLargeError') {
        throw new AppError(
          'invalid',
          `AudioStack's file is larger than the asset limit (${deps.maxBytes} bytes)`,
        );
      }
      throw new ProductionRetry("AudioStack's file could not be read");
    }
    const id = `ast_${createHash('sha256').update(row.id).digest('hex').slice(0, 24)}`;
    return deps.assets.upload(
      { customerId: row.customerId },
      {
        id,
        bytes,
        contentType: 'audio/mpeg',
        filename: `${slugify(row.name, 80) || 'audio'}.mp3`,
        source: 'SYSTEM_PROCESSED',
      },
    );
  }

  return {
    /** A fresh signed link to a production's asset. */
    linkOf: (asset: AssetRow) => deps.assets.linkOf(asset),

    useScheduler(scheduler: ProductionScheduler) {
      schedule = scheduler;
    },

    async request(principal: CustomerPrincipal, advertiserId: string, body: ProductionRequest) {
      const advertiser = await deps.advertisers.requireActive(principal.customerId, advertiserId);
      const credential = await deps.credentials.effectiveFor(
        principal.customerId,
        advertiser.id,
        'audiostack',
      );
      if (!credential) {
        throw new AppError(
          'unprocessable',
          'Connect an AudioStack API key for this advertiser first (POST …/creative/model-credentials)',
          { code: 'MODEL_CREDENTIAL_REQUIRED', field: 'advertiserId' },
        );
      }
      const row = await store.insertProduction(db, {
        id: `aud_${randomBytes(12).toString('hex')}`,
        customerId: principal.customerId,
        advertiserId: advertiser.id,
        credentialId: credential.id,
        name: body.name,
        script: body.script,
        voice: body.voice,
        soundTemplate: body.soundTemplate ?? null,
        masteringPreset: body.masteringPreset ?? 'balanced',
        status: 'QUEUED',
        step: 'script',
      });
      await schedule?.(row.id, 0);
      return { row, asset: undefined };
    },

    async get(principal: CustomerPrincipal, advertiserId: string, id: string) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const row = await store.findProduction(db, principal.customerId, advertiser.id, id);
      if (!row) throw productionNotFound();
      return { row, asset: await assetOf(row) };
    },

    async list(principal: CustomerPrincipal, advertiserId: string) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const rows = await store.productionsOf(db, principal.customerId, advertiser.id, 100);
      return Promise.all(rows.map(async (row) => ({ row, asset: await assetOf(row) })));
    },

    /** Sends a job for every production left unfinished (at start, after a stop or a crash). */
    async resume() {
      for (const { id } of await store.unfinishedProductions(db)) await schedule?.(id, 0);
    },

    /**
     * One run of the production's job: AudioStack's steps from where they stand, then the file.
     * A throttle or an outage throws ProductionRetry (the job tries again later) until
     * `lastTry`, when it is reported on the production instead.
     */
    async work(id: string, options: { lastTry: boolean }) {
      const row = await store.findProductionById(db, id);
      if (!row || row.status === 'READY' || row.status === 'FAILED') return;
      const apiKey = await deps.credentials.keyOf(row.customerId, row.credentialId);
      if (!apiKey) {
        await fail(
          row,
          'AUTH_REQUIRED',
          'The AudioStack key of this production was revoked or refused',
        );
        return;
      }
      await store.updateProduction(db, id, { status: 'PROCESSING' });
      try {
        let state: StepState = {
          step: row.step as Step,
          refs: row.refs,
          sentStep: row.sentStep as Step | null,
        };
        if (state.step !== 'download') {
          const outcome = await runSteps(
            {
              api: deps.audiostack,
              apiKey,
              pollIntervalMs: deps.pollIntervalMs,
              pollBudgetMs,
              save: async (next) => {
                state = next;
                await store.updateProduction(db, id, {
                  step: next.step,
                  refs: next.refs,
                  sentStep: next.sentStep,
                });
              },
            },
            row,
            state,
          );
          if (outcome === 'waiting') {
            if (Date.now() - row.createdAt.getTime() > giveUpAfterMs) {
              await fail(
                row,
                'SERVICE_UNAVAILABLE',
                'AudioStack did not finish this production within an hour',
              );
            } else {
              await schedule?.(id, Math.max(1, Math.ceil(deps.pollIntervalMs / 1000)));
            }
            return;
          }
        }
        const asset = await keepFile(row, state.refs.fileUrl!);
        await store.updateProduction(db, id, {
          status: 'READY',
          assetId: asset.id,
          errorCode: null,
          errorMessage: null,
          completedAt: new Date(),
        });
      } catch (error) {
        await settle(row, error, options.lastTry);
      }
    },
  };

  /** What a failed run leaves: reported (for good), or noted and thrown for the job's retry. */
  async function settle(row: ProductionRow, error: unknown, lastTry: boolean): Promise<void> {
    if (error instanceof AudioStackError) {
      if (error.kind === 'auth') {
        await deps.credentials.markRefused(row.customerId, row.credentialId);
        return fail(
          row,
          'AUTH_REQUIRED',
          'AudioStack refused the API key; rotate it (PATCH …/creative/model-credentials/{id})',
        );
      }
      if (error.kind === 'invalid') return fail(row, 'INVALID_REQUEST', error.message);
      const code = error.kind === 'rate_limited' ? 'RATE_LIMITED' : 'SERVICE_UNAVAILABLE';
      if (lastTry) return fail(row, code, `${error.message}; tried several times, ask again later`);
      await store.updateProduction(db, row.id, { errorCode: code, errorMessage: error.message });
      throw new ProductionRetry(error.message);
    }
    if (error instanceof AppError) return fail(row, 'INVALID_REQUEST', error.message);
    if (error instanceof ProductionRetry) {
      if (lastTry) return fail(row, 'SERVICE_UNAVAILABLE', error.message);
      await store.updateProduction(db, row.id, {
        errorCode: 'SERVICE_UNAVAILABLE',
        errorMessage: error.message,
      });
      throw error;
    }
    if (lastTry) await fail(row, 'SERVICE_UNAVAILABLE', 'The production could not be finished');
    throw error;
  }

  async function assetOf(row: ProductionRow): Promise<AssetRow | undefined> {
    if (!row.assetId) return undefined;
    const found = await deps.assets
      .requireOwned(row.customerId, [row.assetId])
      .catch(() => undefined);
    return found?.get(row.assetId);
  }
}
