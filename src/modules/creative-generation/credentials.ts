import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { AudioStackError, type AudioStackApi } from './audiostack-api.js';
import { projectName } from './audiostack-steps.js';
import * as store from './store.js';
import type { CredentialRow } from './store.js';

/*
 * A buyer's generation-provider keys (hosted connectCreativeModelCredential,
 * listCreativeModelCredentials, updateCreativeModelCredential): connected for an advertiser,
 * checked at the provider before they are kept, sealed at rest (bound to the credential's id),
 * never answered nor logged (a masked hint is). AudioStack is the provider built here; the hosted
 * list's others (elevenlabs, fal, gemini, openai, veo) are refused by name.
 */

export interface Advertisers {
  requireAdvertiser(customerId: number, id: string): Promise<{ id: number }>;
  requireActive(customerId: number, id: string): Promise<{ id: number }>;
}

export interface CredentialsDeps {
  db: Db;
  secrets: SecretBox;
  advertisers: Advertisers;
  audiostack: AudioStackApi;
}

export const providerDisplayNames: Record<string, string> = { audiostack: 'AudioStack' };

const credentialNotFound = () => notFound('Model credential');
const contextOf = (id: number) => `buyer_model_credential:${id}`;

/** The last four characters behind dots; nothing of a short key. */
export const maskOf = (key: string) => (key.length >= 12 ? `••••${key.slice(-4)}` : '••••');

/** Which of the advertiser's credentials is used for each provider: its own, else a default. */
export function effectiveIds(rows: CredentialRow[], advertiserId: number): Set<number> {
  const chosen = new Map<string, CredentialRow>();
  const rank = (r: CredentialRow) => (r.advertiserIds.includes(advertiserId) ? 0 : 1);
  for (const row of rows) {
    if (row.status !== 'ACTIVE') continue;
    const held = chosen.get(row.providerType);
    // Rows come newest first: a later row only wins by being assigned where the held one is not.
    if (!held || rank(row) < rank(held)) chosen.set(row.providerType, row);
  }
  return new Set([...chosen.values()].map((r) => r.id));
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;

export function createCredentialsService(deps: CredentialsDeps) {
  const { db } = deps;

  /** Asks AudioStack whether it takes the key: a read of our (empty) script list with it. */
  async function checkKey(apiKey: string) {
    const query = new URLSearchParams({ projectName, scriptName: 'interchange-key-check' });
    try {
      await deps.audiostack.get(`content/scripts?${query}`, apiKey);
    } catch (error) {
      if (!(error instanceof AudioStackError)) throw error;
      if (error.kind === 'auth') {
        throw invalid(
          'AudioStack refused this API key: check it in the AudioStack platform',
          'apiKey',
        );
      }
      if (error.kind === 'invalid') throw invalid(error.message, 'apiKey');
      throw new AppError(
        'unavailable',
        'AudioStack could not check the key now; try again shortly',
        {
          retryAfter: error.retryAfterSeconds ?? 30,
        },
      );
    }
  }

  function requireBuiltProvider(providerType: string) {
    if (providerType !== 'audiostack') {
      throw invalid(
        `${providerType} keys are not available on this instance yet; audiostack is`,
        'providerType',
      );
    }
  }

  async function sealKey(tx: Db, customerId: number, id: number, apiKey: string) {
    return store.updateCredential(tx, customerId, id, {
      keySealed: deps.secrets.seal(apiKey, contextOf(id)),
      maskedKey: maskOf(apiKey),
      status: 'ACTIVE',
    });
  }

  return {
    async connect(
      principal: CustomerPrincipal,
      advertiserId: string,
      body: { providerType: string; apiKey: string; label: string },
    ): Promise<CredentialRow> {
      const advertiser = await deps.advertisers.requireActive(principal.customerId, advertiserId);
      requireBuiltProvider(body.providerType);
      const apiKey = body.apiKey.trim();
      if (!apiKey) throw invalid('apiKey is empty', 'apiKey');
      await checkKey(apiKey);
      return db.transaction(async (tx) => {
        const row = await store.insertCredential(tx, {
          customerId: principal.customerId,
          providerType: body.providerType,
          label: body.label,
          maskedKey: maskOf(apiKey),
          advertiserIds: [advertiser.id],
          isDefault: false,
          status: 'ACTIVE',
          connectedBy: principal.userId,
        });
        return (await sealKey(tx, principal.customerId, row.id, apiKey))!;
      });
    },

    /** The advertiser's keys and the customer's defaults, with the one each provider uses. */
    async list(principal: CustomerPrincipal, advertiserId: string) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const rows = await store.credentialsFor(db, principal.customerId, advertiser.id);
      const effective = effectiveIds(rows, advertiser.id);
      return rows.map((row) => ({
        row,
        assignment: row.advertiserIds.includes(advertiser.id)
          ? ('advertiser' as const)
          : ('default' as const),
        effective: effective.has(row.id),
      }));
    },

    /** Renames, reassigns, makes default or rotates (a new key is checked first). */
    async update(
      principal: CustomerPrincipal,
      id: string,
      body: { apiKey?: string; label?: string; advertiserIds?: number[]; isDefault?: boolean },
    ): Promise<CredentialRow> {
      const row = await store.findCredential(db, principal.customerId, Number(id));
      if (!row || row.status === 'REVOKED') throw credentialNotFound();
      let advertiserIds: number[] | undefined;
      if (body.advertiserIds) {
        advertiserIds = [];
        for (const advertiserId of new Set(body.advertiserIds)) {
          const advertiser = await deps.advertisers.requireAdvertiser(
            principal.customerId,
            String(advertiserId),
          );
          advertiserIds.push(advertiser.id);
        }
      }
      const apiKey = body.apiKey?.trim();
      if (body.apiKey !== undefined && !apiKey) throw invalid('apiKey is empty', 'apiKey');
      if (apiKey) await checkKey(apiKey);
      return db.transaction(async (tx) => {
        await store.updateCredential(tx, principal.customerId, row.id, {
          ...(body.label !== undefined && { label: body.label }),
          ...(advertiserIds && { advertiserIds }),
          ...(body.isDefault !== undefined && { isDefault: body.isDefault }),
        });
        if (apiKey) await sealKey(tx, principal.customerId, row.id, apiKey);
        return (await store.findCredential(tx, principal.customerId, row.id))!;
      });
    },

    /** Forgets the key (our addition to the hosted shape): productions can no longer use it. */
    async revoke(principal: CustomerPrincipal, id: string): Promise<CredentialRow> {
      const row = await store.findCredential(db, principal.customerId, Number(id));
      if (!row || row.status === 'REVOKED') throw credentialNotFound();
      return (await store.updateCredential(db, principal.customerId, row.id, {
        status: 'REVOKED',
        keySealed: '',
        isDefault: false,
      }))!;
    },

    /** The credential the advertiser's productions of `providerType` use now, if any. */
    async effectiveFor(customerId: number, advertiserId: number, providerType: string) {
      const rows = await store.credentialsFor(db, customerId, advertiserId);
      const ids = effectiveIds(rows, advertiserId);
      return rows.find((r) => ids.has(r.id) && r.providerType === providerType);
    },

    /** The key in clear, for a call to the provider; undefined when it cannot be used. */
    async keyOf(customerId: number, id: number): Promise<string | undefined> {
      const row = await store.findCredential(db, customerId, id);
      if (!row || row.status !== 'ACTIVE' || !row.keySealed) return undefined;
      return deps.secrets.open(row.keySealed, contextOf(row.id));
    },

    /** The provider refused the key during a production: shown as ERROR until rotated. */
    async markRefused(customerId: number, id: number) {
      await store.updateCredential(db, customerId, id, { status: 'ERROR' });
    },
  };
}
