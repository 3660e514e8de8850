import { expect } from 'vitest';
import type { Harness } from '../../harness.js';
import type { FakeAudioStack } from '../../../src/sandbox/fakes/audiostack/server.js';
import { eventually, type Json } from '../buying/buying-support.js';

/** The instance configuration that points the AudioStack adapter at the fake, polling fast. */
export function audiostackEnv(fake: FakeAudioStack): Record<string, string> {
  return {
    INTERCHANGE_AUDIOSTACK_API_URL: fake.url,
    INTERCHANGE_AUDIOSTACK_POLL_INTERVAL_MS: '50',
    INTERCHANGE_AUDIOSTACK_RETRY_DELAY_SECONDS: '1',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  };
}

export const credentialsPath = (advertiserId: string) =>
  `/api/v2/buyer/advertisers/${advertiserId}/creative/model-credentials`;
export const productionsPath = (advertiserId: string) =>
  `/api/v2/buyer/advertisers/${advertiserId}/creative/audio-productions`;

/** Connects `apiKey` as the advertiser's AudioStack key; answers the credential. */
export async function connectAudioStack(
  h: Harness,
  buyerKey: string,
  advertiserId: string,
  apiKey: string,
): Promise<Json> {
  const connected = await h.call('POST', credentialsPath(advertiserId), {
    key: buyerKey,
    body: { providerType: 'audiostack', apiKey, label: 'Acme AudioStack' },
  });
  expect(connected.status, connected.text).toBe(200);
  return connected.body.data;
}

/** Asks for an audio creative; answers the production as first answered (202). */
export async function produce(
  h: Harness,
  buyerKey: string,
  advertiserId: string,
  body: Record<string, unknown> = {},
): Promise<Json> {
  const asked = await h.call('POST', productionsPath(advertiserId), {
    key: buyerKey,
    body: {
      name: 'Trail season radio spot',
      script: 'Trail season starts now. Find your next hike at Acme Outdoor.',
      voice: 'sara',
      soundTemplate: 'openup',
      ...body,
    },
  });
  expect(asked.status, asked.text).toBe(202);
  return asked.body.data;
}

/** Reads the production until it is READY or FAILED. */
export async function finished(
  h: Harness,
  buyerKey: string,
  advertiserId: string,
  id: string,
  ms = 30_000,
): Promise<Json> {
  const read = await eventually(
    () => h.call('GET', `${productionsPath(advertiserId)}/${id}`, { key: buyerKey }),
    (r) => r.status !== 200 || ['READY', 'FAILED'].includes(r.body.data.status),
    ms,
  );
  expect(read.status, read.text).toBe(200);
  return read.body.data;
}
