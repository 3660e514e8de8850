import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import {
  adServerHarness,
  adServerSeller,
  connectAdServer,
  settledSync,
  sources,
} from './support.js';

/*
 * Ad Manager connected as hosted connects it: the body names the network and no key, and the
 * source acts as the instance's own service account (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE),
 * which the publisher adds as an API user in its network. Against the fake Ad Manager, which
 * checks every token's JWT against the account that signed it and every call against the
 * networks that account was added to.
 */

let gam: FakeGam;
let h: Harness;
let dir: string;
let instance: Record<string, string>;
const networkCode = '21700101';
const keys: Array<Record<string, string>> = [];

/** The hosted GamAdServerConfig, as a hosted client sends it. */
const hostedBody = (code: string) => ({
  type: 'google_ad_manager',
  networkCode: code,
  connectionContract: {
    id: 'google_ad_manager',
    version: 1,
    authenticationMethod: 'platform_service_account',
  },
});

/** A service account of the fake's, its JSON key written where an operator would mount it. */
function keyFile(name: string, grants: string[]) {
  const key = gam.serviceAccount(grants);
  keys.push(key);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(key));
  return { key, file };
}

/** Neither answers nor log lines hold any private key the test made, or a piece of one. */
function expectNoKeyMaterial(...texts: string[]) {
  for (const text of [...texts, h.rawLogs()]) {
    expect(text).not.toContain('PRIVATE KEY');
    for (const key of keys) expect(text).not.toContain(key['private_key']!.slice(40, 80));
  }
}

async function storedConnection(inventorySourceId: string) {
  const { rows } = await h.database.queryable.query(
    'select config, credentials_sealed from ad_server_connections where inventory_source_id = $1',
    [Number(inventorySourceId)],
  );
  return rows[0]!;
}

/**
 * A new network of five ad units (its admin having added the instance's account when `granted`),
 * a new seller, and its `gam` source saved with the hosted body on that network.
 */
async function savedOnNewNetwork(code: string, options: { granted: boolean }) {
  gam.addNetwork(code, 5);
  if (options.granted) gam.grant(instance['client_email']!, code);
  const sf = await adServerSeller(h);
  const saved = await h.call('PUT', `${sources}/gam/ad-server`, {
    key: sf.seller.key,
    body: hostedBody(code),
  });
  return { sf, saved };
}

const accountsCalling = (code: string, since: number) =>
  new Set(gam.calls.slice(since).flatMap((c) => (c.networkCode === code && c.account) || []));

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 40 });
  dir = mkdtempSync(join(tmpdir(), 'gam-key-'));
  let file: string;
  ({ key: instance, file } = keyFile('instance', [networkCode]));
  ({ h } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: file,
  }));
});
afterAll(async () => {
  await h?.close();
  await gam?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Ad Manager as the instance's service account", () => {
  it('connects the hosted body without a key as the instance’s account and syncs its inventory', async () => {
    const since = gam.calls.length;
    const sf = await connectAdServer(h, 'gam', hostedBody(networkCode));
    expect(sf.saved.body.data).toMatchObject({
      provisioningStatus: 'active',
      adServer: { type: 'google_ad_manager', networkCode },
      serviceAccountEmail: instance['client_email'],
      authConfigured: true,
      lastErrorCode: null,
    });
    const esa = await h.call('GET', `${sources}/gam/esa`, { key: sf.seller.key });
    expect(esa.body.data).toMatchObject({
      serviceAccountEmail: instance['client_email'],
      inventorySync: { status: 'completed', itemCount: 40 + 2 + 2 + 3 + 1 },
    });
    // Every call to the network was made as the instance's account.
    expect(accountsCalling(networkCode, since)).toEqual(new Set([instance['client_email']]));
    // The instance's key is configuration: neither it nor its email is in the database.
    const row = await storedConnection(sf.saved.body.data.id);
    expect(row['credentials_sealed']).toBeNull();
    expect(JSON.stringify(row['config'])).not.toContain(instance['client_email']);
    expectNoKeyMaterial(sf.saved.text, esa.text);

    // The hosted body without its connectionContract connects the same way.
    const plainNetwork = '21700102';
    gam.addNetwork(plainNetwork, 5);
    gam.grant(instance['client_email']!, plainNetwork);
    const plain = await connectAdServer(h, 'gam', {
      type: 'google_ad_manager',
      networkCode: plainNetwork,
    });
    expect(plain.saved.body.data).toMatchObject({
      provisioningStatus: 'active',
      serviceAccountEmail: instance['client_email'],
    });
  });

  it('names the instance’s email in the remediation until the network adds it, then connects', async () => {
    const code = '21700103';
    const { sf, saved } = await savedOnNewNetwork(code, { granted: false });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.data).toMatchObject({
      provisioningStatus: 'failed',
      lastErrorCode: 'ADAPTER_PERMISSION_DENIED',
      serviceAccountEmail: instance['client_email'],
    });
    const denied = await h.call('POST', `${sources}/gam/test-connection`, { key: sf.seller.key });
    expect(denied.body.data).toMatchObject({
      success: false,
      errorCode: 'ADAPTER_PERMISSION_DENIED',
    });
    expect(denied.body.data.remediation).toContain(
      `add ${instance['client_email']} as an API user`,
    );
    expect(denied.body.data.remediation).toContain('Admin > Access & authorization');

    // The publisher adds the account in Ad Manager; the next test passes, nothing saved again.
    gam.grant(instance['client_email']!, code);
    const granted = await h.call('POST', `${sources}/gam/test-connection`, { key: sf.seller.key });
    expect(granted.body.data, granted.text).toMatchObject({ success: true, errorCode: null });
    const esa = await h.call('GET', `${sources}/gam/esa`, { key: sf.seller.key });
    expect(esa.body.data.provisioningStatus).toBe('active');

    // A network code Ad Manager does not know: check the code, and add the account there.
    const typo = await h.call('PUT', `${sources}/typo/ad-server`, {
      key: sf.seller.key,
      body: hostedBody('99999'),
    });
    expect(typo.body.data.lastErrorCode).toBe('ADAPTER_NETWORK_NOT_FOUND');
    const tested = await h.call('POST', `${sources}/typo/test-connection`, { key: sf.seller.key });
    expect(tested.body.data.remediation).toMatch(/network code/i);
    expect(tested.body.data.remediation).toContain(instance['client_email']);
    expectNoKeyMaterial(saved.text, denied.text, granted.text, typo.text, tested.text);
  });

  it("uses the publisher's own key over the instance's, until the publisher asks for the platform's account", async () => {
    const code = '21700104';
    gam.addNetwork(code, 5);
    // The network added the publisher's own account, not the instance's.
    const { key: own } = keyFile('own', [code]);
    const sf = await adServerSeller(h);
    const since = gam.calls.length;
    const saved = await h.call('PUT', `${sources}/own/ad-server`, {
      key: sf.seller.key,
      body: { type: 'google_ad_manager', networkCode: code, serviceAccountKey: own },
    });
    expect(saved.body.data).toMatchObject({
      provisioningStatus: 'active',
      serviceAccountEmail: own['client_email'],
      authConfigured: true,
    });
    expect(accountsCalling(code, since)).toEqual(new Set([own['client_email']]));

    // A later save without a key keeps the source's own.
    const renamed = await h.call('PUT', `${sources}/own/ad-server`, {
      key: sf.seller.key,
      body: { type: 'google_ad_manager', networkCode: code, name: 'Renamed' },
    });
    expect(renamed.body.data).toMatchObject({
      provisioningStatus: 'active',
      serviceAccountEmail: own['client_email'],
    });

    // A key and the platform's account at once is refused, naming the key.
    const both = await h.call('PUT', `${sources}/own/ad-server`, {
      key: sf.seller.key,
      body: { ...hostedBody(code), serviceAccountKey: own },
    });
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'serviceAccountKey' });

    // Asking for the platform's account drops the own key; this network has not added it.
    const moved = await h.call('PUT', `${sources}/own/ad-server`, {
      key: sf.seller.key,
      body: hostedBody(code),
    });
    expect(moved.body.data).toMatchObject({
      provisioningStatus: 'failed',
      lastErrorCode: 'ADAPTER_PERMISSION_DENIED',
      serviceAccountEmail: instance['client_email'],
    });
    const row = await storedConnection(moved.body.data.id);
    expect(row['credentials_sealed']).toBeNull();
    expect(JSON.stringify(row['config'])).not.toContain(own['client_email']);
    expectNoKeyMaterial(saved.text, renamed.text, both.text, moved.text);
  });

  it('moves sources acting as the instance’s account to its new key at restart, without saving them again', async () => {
    const code = '21700105';
    const { sf, saved } = await savedOnNewNetwork(code, { granted: true });
    expect(saved.body.data.provisioningStatus).toBe('active');
    // The first sync, as the old key, ends before the restart (the old app keeps running here).
    await settledSync(h, sf.seller.key, 'gam');

    // The operator restarts with another account's key (here: another app over the database).
    const { key: rotated, file } = keyFile('rotated', []);
    const app = await h.buildApp(
      { INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: file },
      { services: true },
    );
    const esa = await h.call('GET', `${sources}/gam/esa`, { key: sf.seller.key, app });
    expect(esa.body.data.serviceAccountEmail).toBe(rotated['client_email']);
    const denied = await h.call('POST', `${sources}/gam/test-connection`, {
      key: sf.seller.key,
      app,
    });
    expect(denied.body.data.errorCode).toBe('ADAPTER_PERMISSION_DENIED');
    expect(denied.body.data.remediation).toContain(rotated['client_email']);

    gam.grant(rotated['client_email']!, code);
    const since = gam.calls.length;
    const tested = await h.call('POST', `${sources}/gam/test-connection`, {
      key: sf.seller.key,
      app,
    });
    expect(tested.body.data.success, tested.text).toBe(true);
    expect(accountsCalling(code, since)).toEqual(new Set([rotated['client_email']]));
    expectNoKeyMaterial(saved.text, esa.text, denied.text, tested.text);
  });

  it('answers 400 naming serviceAccountKey when neither the body nor the instance has a key', async () => {
    const code = '21700106';
    const { sf, saved: connected } = await savedOnNewNetwork(code, { granted: true });
    expect(connected.body.data.provisioningStatus).toBe('active');

    // An instance started without a key of its own.
    const app = await h.buildApp(
      { INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: '' },
      { services: true },
    );
    for (const body of [hostedBody(code), { type: 'google_ad_manager', networkCode: code }]) {
      const refused = await h.call('PUT', `${sources}/fresh/ad-server`, {
        key: sf.seller.key,
        body,
        app,
      });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'serviceAccountKey',
      });
      expect(refused.body.error.message).toContain('INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE');
    }
    // Nothing was created.
    const missing = await h.call('GET', `${sources}/fresh/esa`, { key: sf.seller.key, app });
    expect(missing.status).toBe(404);

    // A source that acted as the instance's account says it has none now, without a 500.
    const esa = await h.call('GET', `${sources}/gam/esa`, { key: sf.seller.key, app });
    expect(esa.body.data).toMatchObject({ authConfigured: false, serviceAccountEmail: null });
    const tested = await h.call('POST', `${sources}/gam/test-connection`, {
      key: sf.seller.key,
      app,
    });
    expect(tested.status).toBe(200);
    expect(tested.body.data).toMatchObject({
      success: false,
      errorCode: 'ADAPTER_INVALID_CONFIG',
    });
    expect(tested.body.data.error).toContain('INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE');
  });
});
