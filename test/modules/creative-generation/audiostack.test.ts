import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import {
  startFakeAudioStack,
  type FakeAudioStack,
} from '../../../src/sandbox/fakes/audiostack/server.js';
import { buyerWithAdvertiser, type Json } from '../buying/buying-support.js';
import {
  audiostackEnv,
  connectAudioStack,
  credentialsPath,
  finished,
  produce,
  productionsPath,
} from './audiostack-support.js';

let h: Harness;
let audiostack: FakeAudioStack;
let base: string;

beforeAll(async () => {
  audiostack = await startFakeAudioStack();
  h = await createHarness(audiostackEnv(audiostack));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
  await audiostack?.close();
});

let keys = 0;
/** A buyer with an advertiser whose AudioStack key (taken by the fake) is connected. */
async function connectedBuyer() {
  const { buyer, advertiserId } = await buyerWithAdvertiser(h);
  const apiKey = `as-live-key-${++keys}-${Math.random().toString(36).slice(2)}`;
  audiostack.state.keys.add(apiKey);
  const credential = await connectAudioStack(h, buyer.key, advertiserId, apiKey);
  return { buyer, advertiserId, apiKey, credential };
}

describe('connecting an AudioStack key', () => {
  it('is checked at AudioStack, sealed, shown masked and used for the advertiser', async () => {
    const { buyer, advertiserId, apiKey, credential } = await connectedBuyer();
    expect(credential).toMatchObject({
      providerType: 'audiostack',
      providerDisplayName: 'AudioStack',
      label: 'Acme AudioStack',
      status: 'ACTIVE',
      advertiserIds: [advertiserId],
      isDefault: false,
      maskedKey: `••••${apiKey.slice(-4)}`,
    });
    // AudioStack was asked with the key in its header.
    expect(audiostack.state.calls).toContainEqual({
      method: 'GET',
      path: '/content/scripts',
      apiKey,
    });
    const listed = await h.call('GET', credentialsPath(advertiserId), { key: buyer.key });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: credential.id, assignment: 'advertiser', effective: true }),
    ]);
    const { rows } = (await h.database.db.execute(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw row check
      `select key_sealed from buyer_model_credentials where id = ${Number(credential.id)}` as any,
    )) as { rows: { key_sealed: string }[] };
    expect(rows[0]?.key_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    expect(listed.text).not.toContain(apiKey);
    expect(h.rawLogs()).not.toContain(apiKey);
  });

  it('refuses a key AudioStack does not take with a 400 on apiKey, and keeps nothing', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const refused = await h.call('POST', credentialsPath(advertiserId), {
      key: buyer.key,
      body: { providerType: 'audiostack', apiKey: 'as-wrong-key-1234', label: 'Typo' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'apiKey' });
    expect(refused.body.error.message).toContain('AudioStack refused this API key');
    const listed = await h.call('GET', credentialsPath(advertiserId), { key: buyer.key });
    expect(listed.body.data).toEqual([]);
    // A hosted provider not built here is refused by name.
    const other = await h.call('POST', credentialsPath(advertiserId), {
      key: buyer.key,
      body: { providerType: 'elevenlabs', apiKey: 'el-key-123456789', label: 'Voices' },
    });
    expect(other.status).toBe(400);
    expect(other.body.error.field).toBe('providerType');
  });

  it("serves every advertiser as a default key, an advertiser's own key first, until revoked", async () => {
    const { buyer, advertiserId, credential } = await connectedBuyer();
    const second = await h.call('POST', '/api/v2/buyer/advertisers', {
      key: buyer.key,
      body: { name: 'Acme Winter', brand: 'acmewinter.example', primaryCurrency: 'USD' },
    });
    const secondId = second.body.data.id as string;
    const made = await h.call(
      'PATCH',
      `/api/v2/buyer/creative/model-credentials/${credential.id}`,
      {
        key: buyer.key,
        body: { isDefault: true, label: 'Acme default' },
      },
    );
    expect(made.body.data).toMatchObject({ isDefault: true, label: 'Acme default' });
    const listed = await h.call('GET', credentialsPath(secondId), { key: buyer.key });
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: credential.id, assignment: 'default', effective: true }),
    ]);
    const asked = await produce(h, buyer.key, secondId);
    expect(asked.credentialId).toBe(credential.id);

    // The second advertiser's own key wins over the default.
    const ownKey = `as-own-key-${Math.random().toString(36).slice(2)}`;
    audiostack.state.keys.add(ownKey);
    const own = await connectAudioStack(h, buyer.key, secondId, ownKey);
    const both = await h.call('GET', credentialsPath(secondId), { key: buyer.key });
    expect(both.body.data.map((c: Json) => [c.id, c.assignment, c.effective]).sort()).toEqual(
      [
        [credential.id, 'default', false],
        [own.id, 'advertiser', true],
      ].sort(),
    );

    const revoked = await h.call(
      'DELETE',
      `/api/v2/buyer/creative/model-credentials/${credential.id}`,
      {
        key: buyer.key,
      },
    );
    expect(revoked.body.data).toMatchObject({ status: 'REVOKED', maskedKey: null });
    const refused = await h.call('POST', productionsPath(advertiserId), {
      key: buyer.key,
      body: { name: 'x', script: 'x', voice: 'sara' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('MODEL_CREDENTIAL_REQUIRED');
    await finished(h, buyer.key, secondId, asked.id);
  });

  it('answers another customer NOT_FOUND for the advertiser, the key and the productions', async () => {
    const { buyer, advertiserId, credential } = await connectedBuyer();
    const asked = await produce(h, buyer.key, advertiserId);
    const { buyer: other, advertiserId: otherAdvertiser } = await buyerWithAdvertiser(h);
    const reads = [
      h.call('GET', credentialsPath(advertiserId), { key: other.key }),
      h.call('GET', `${productionsPath(advertiserId)}/${asked.id}`, { key: other.key }),
      h.call('GET', `${productionsPath(otherAdvertiser)}/${asked.id}`, { key: other.key }),
      h.call('PATCH', `/api/v2/buyer/creative/model-credentials/${credential.id}`, {
        key: other.key,
        body: { label: 'mine now' },
      }),
      h.call('DELETE', `/api/v2/buyer/creative/model-credentials/${credential.id}`, {
        key: other.key,
      }),
      h.call('POST', productionsPath(advertiserId), {
        key: other.key,
        body: { name: 'x', script: 'x', voice: 'sara' },
      }),
    ];
    for (const read of await Promise.all(reads)) {
      expect(read.status, read.text).toBe(404);
      expect(read.body.error.code).toBe('NOT_FOUND');
    }
    // Its own advertiser has no key: producing there says what to do.
    const without = await h.call('POST', productionsPath(otherAdvertiser), {
      key: other.key,
      body: { name: 'x', script: 'x', voice: 'sara' },
    });
    expect(without.status).toBe(422);
    expect(without.body.error.code).toBe('MODEL_CREDENTIAL_REQUIRED');
    await finished(h, buyer.key, advertiserId, asked.id);
  });
});

describe('producing an audio creative', () => {
  it('runs script, speech, mix and encoding at AudioStack and keeps the MP3 as an audio asset', async () => {
    const { buyer, advertiserId, apiKey } = await connectedBuyer();
    const asked = await produce(h, buyer.key, advertiserId);
    expect(asked).toMatchObject({ status: 'QUEUED', asset: null, voice: 'sara' });
    const done = await finished(h, buyer.key, advertiserId, asked.id);
    expect(done).toMatchObject({ status: 'READY', step: 'download', error: null });
    expect(done.asset).toMatchObject({
      asset_type: 'AUDIO',
      content_type: 'audio/mpeg',
      asset_source: 'SYSTEM_PROCESSED',
      original_filename: 'trail-season-radio-spot.mp3',
    });

    // What the buyer's AudioStack account shows: one of each, made from its script and choices.
    const [script, ...moreScripts] = audiostack.state.ofKind('script', apiKey);
    expect(moreScripts).toHaveLength(0);
    expect(script!.fields).toMatchObject({
      scriptText: 'Trail season starts now. Find your next hike at Acme Outdoor.',
      projectName: 'interchange',
      moduleName: `advertiser-${advertiserId}`,
      scriptName: asked.id,
    });
    expect(audiostack.state.ofKind('speech', apiKey).map((s) => s.fields)).toEqual([
      { scriptId: script!.id, voice: 'sara' },
    ]);
    expect(audiostack.state.ofKind('mix', apiKey).map((m) => m.fields)).toEqual([
      expect.objectContaining({ soundTemplate: 'openup', masteringPreset: 'balanced' }),
    ]);
    const [encode] = audiostack.state.ofKind('encode', apiKey);
    expect(encode!.fields).toMatchObject({ preset: 'mp3' });

    // The file behind the asset's signed link is AudioStack's, byte for byte.
    const delivered = new URL(encode!.fields.url as string).pathname;
    const served = await fetch(done.asset.public_url);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(audiostack.state.files.get(delivered));
    const asset = await h.call('GET', `/api/v2/buyer/creative-assets/${done.asset.asset_id}`, {
      key: buyer.key,
    });
    expect(asset.status).toBe(200);
    expect(asset.body.data.file_size).toBe(audiostack.state.fileBytes);

    // The key went to AudioStack's API only: never to the file's host, never into logs or answers.
    const fileCall = audiostack.state.calls.find((c) => c.path === delivered);
    expect(fileCall).toMatchObject({ apiKey: undefined });
    const listed = await h.call('GET', productionsPath(advertiserId), { key: buyer.key });
    expect(listed.body.data.map((p: Json) => p.id)).toContain(asked.id);
    expect(listed.text).not.toContain(apiKey);
    expect(h.rawLogs()).not.toContain(apiKey);
  });

  it('waits out AudioStack throttles and produces once', async () => {
    const { buyer, advertiserId, apiKey } = await connectedBuyer();
    audiostack.state.failNext({
      status: 429,
      body: { message: 'Too many requests', errors: [] },
      headers: { 'retry-after': '1' },
      match: 'POST /production/mix',
      times: 2,
    });
    const asked = await produce(h, buyer.key, advertiserId);
    const done = await finished(h, buyer.key, advertiserId, asked.id);
    expect(done.status, JSON.stringify(done)).toBe('READY');
    expect(audiostack.state.ofKind('mix', apiKey)).toHaveLength(1);
  });

  it('does not bill a mix twice when AudioStack made it but its answer was lost', async () => {
    const { buyer, advertiserId, apiKey } = await connectedBuyer();
    audiostack.state.failNext({
      status: 502,
      body: { message: 'Bad gateway' },
      match: 'POST /production/mix',
      afterActing: true,
    });
    const asked = await produce(h, buyer.key, advertiserId);
    const done = await finished(h, buyer.key, advertiserId, asked.id);
    expect(done.status, JSON.stringify(done)).toBe('READY');
    // The retry found the mix AudioStack had made (by its script) instead of making another.
    expect(audiostack.state.ofKind('mix', apiKey)).toHaveLength(1);
    expect(audiostack.state.ofKind('speech', apiKey)).toHaveLength(1);
  });

  it('reports an AudioStack outage that outlasts its retries, not a 500 of ours', async () => {
    const { buyer, advertiserId, apiKey } = await connectedBuyer();
    audiostack.state.failNext({
      status: 500,
      body: { message: 'Internal server error' },
      match: 'POST /speech/tts',
      times: 10,
    });
    const asked = await produce(h, buyer.key, advertiserId);
    try {
      const done = await finished(h, buyer.key, advertiserId, asked.id, 45_000);
      expect(done.status).toBe('FAILED');
      expect(done.error).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'AudioStack is unavailable; tried several times, ask again later',
      });
      expect(done.asset).toBeNull();
      // Four tries (the first and three retries), none of which made speech.
      const posts = audiostack.state.calls.filter(
        (c) => c.method === 'POST' && c.path === '/speech/tts' && c.apiKey === apiKey,
      );
      expect(posts).toHaveLength(4);
      expect(audiostack.state.ofKind('speech', apiKey)).toHaveLength(0);
    } finally {
      audiostack.state.clearFailures();
    }
  }, 60_000);

  it("fails with AudioStack's reason when it refuses the voice", async () => {
    const { buyer, advertiserId } = await connectedBuyer();
    const asked = await produce(h, buyer.key, advertiserId, { voice: 'nobody' });
    const done = await finished(h, buyer.key, advertiserId, asked.id);
    expect(done.status).toBe('FAILED');
    expect(done.error.code).toBe('INVALID_REQUEST');
    expect(done.error.message).toContain('voice nobody is not available');
  });

  it('marks the key refused when AudioStack stops taking it, and a rotated key works again', async () => {
    const { buyer, advertiserId, apiKey, credential } = await connectedBuyer();
    audiostack.state.keys.delete(apiKey);
    const asked = await produce(h, buyer.key, advertiserId);
    const done = await finished(h, buyer.key, advertiserId, asked.id);
    expect(done.status).toBe('FAILED');
    expect(done.error.code).toBe('AUTH_REQUIRED');
    const listed = await h.call('GET', credentialsPath(advertiserId), { key: buyer.key });
    expect(listed.body.data[0]).toMatchObject({ status: 'ERROR', effective: false });

    const rotated = `as-rotated-key-${Math.random().toString(36).slice(2)}`;
    audiostack.state.keys.add(rotated);
    const patched = await h.call(
      'PATCH',
      `/api/v2/buyer/creative/model-credentials/${credential.id}`,
      {
        key: buyer.key,
        body: { apiKey: rotated },
      },
    );
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data).toMatchObject({
      status: 'ACTIVE',
      label: 'Acme AudioStack',
      maskedKey: `••••${rotated.slice(-4)}`,
    });
    const again = await produce(h, buyer.key, advertiserId);
    expect((await finished(h, buyer.key, advertiserId, again.id)).status).toBe('READY');
    expect(h.rawLogs()).not.toContain(rotated);
  });

  it('is taken up again where it stood by an instance that starts after the one that took it stopped', async () => {
    const { buyer, advertiserId, apiKey } = await connectedBuyer();
    // An instance whose job queue never ran (it stopped, or crashed, right after answering).
    const stopped = await h.buildApp(audiostackEnv(audiostack), { services: true });
    const asked = await h.call('POST', productionsPath(advertiserId), {
      key: buyer.key,
      app: stopped,
      body: { name: 'Left behind', script: 'Still worth saying.', voice: 'joanna' },
    });
    expect(asked.status, asked.text).toBe(202);
    await stopped.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waiting = await h.call('GET', `${productionsPath(advertiserId)}/${asked.body.data.id}`, {
      key: buyer.key,
    });
    expect(waiting.body.data.status).toBe('QUEUED');
    expect(audiostack.state.ofKind('script', apiKey)).toHaveLength(0);

    // Starting, an instance resumes what was left unfinished.
    await h.services.audioProductions.resume();
    const done = await finished(h, buyer.key, advertiserId, asked.body.data.id);
    expect(done.status, JSON.stringify(done)).toBe('READY');
    expect(audiostack.state.ofKind('speech', apiKey).map((s) => s.fields.voice)).toEqual([
      'joanna',
    ]);
  });
});

describe('AudioStack on the seller side', () => {
  it('is no source: an operator is told that buyers connect it', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
    });
    const refused = await h.call('POST', '/api/v2/storefront/inventory-sources/adapter', {
      key: seller.key,
      body: { provider: 'audiostack', name: 'AudioStack' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('provider');
    expect(refused.body.error.message).toContain('creative/model-credentials');
  });
});
