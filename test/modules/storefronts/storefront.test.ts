import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('storefront profile', () => {
  it('exists from the moment a SELLER customer is created, seeded from its domain', async () => {
    const seller = await createCustomer(h, {
      role: 'SELLER',
      name: 'Acme Sports Network',
      domain: 'acme-sports.example',
    });
    const res = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      platformId: expect.stringMatching(/^acme-sports-network(-[0-9a-f]{6})?$/),
      name: 'Acme Sports Network',
      publisherDomain: 'acme-sports.example',
      operatorDomain: 'acme-sports.example',
      defaultCurrency: null,
      storefrontType: 'composition',
      creativeApproval: 'manual',
      mediaBuyApproval: 'manual',
      businessProfile: null,
      status: 'UNCLAIMED',
      displayStatus: 'configuring',
      transacting: false,
      marketplace: { reviewStatus: 'pending_review', hidden: false, publiclyVisible: false },
    });
    expect(res.body.data.agentId).toBe(`storefront-${res.body.data.platformId}`);
    expect(Number.isInteger(res.body.data.id)).toBe(true);
  });

  it('gives storefronts with the same name distinct platformIds', async () => {
    const a = await createCustomer(h, { role: 'SELLER', name: 'Same Name Media' });
    const b = await createCustomer(h, { role: 'SELLER', name: 'Same Name Media' });
    const pa = (await h.call('GET', '/api/v2/storefront', { key: a.key })).body.data.platformId;
    const pb = (await h.call('GET', '/api/v2/storefront', { key: b.key })).body.data.platformId;
    expect(pa).not.toBe(pb);
    for (const p of [pa, pb]) expect(p).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  it('updates only the fields sent, and claiming moves it past UNCLAIMED', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: {
        description: 'Premium sports video',
        logoUrl: 'https://cdn.example/logo.png',
        brandColors: { primary: '#112233', accent: '#ffcc00' },
        channels: ['ctv', 'olv', 'ctv'],
        regions: ['US', 'CA'],
        supportedLanguages: ['en', 'fr-CA'],
        defaultCurrency: 'USD',
        mediaBuyApproval: 'auto',
        businessProfile: {
          agentPersonality: 'Friendly and precise',
          publisherDomains: ['Sports.Example', 'sports.example', 'news.example'],
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      description: 'Premium sports video',
      channels: ['ctv', 'olv'],
      defaultCurrency: 'USD',
      mediaBuyApproval: 'auto',
      creativeApproval: 'manual',
      businessProfile: { publisherDomains: ['sports.example', 'news.example'] },
      status: 'CONFIGURING',
    });
    const again = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { name: 'Renamed' },
    });
    expect(again.body.data).toMatchObject({ name: 'Renamed', description: 'Premium sports video' });
  });

  it.each([
    [{ logoUrl: 'javascript:alert(1)' }, 'logoUrl'],
    [{ brandColors: { primary: 'red' } }, 'brandColors.primary'],
    [{ defaultCurrency: 'usd' }, 'defaultCurrency'],
    [{ channels: ['telepathy'] }, 'channels.0'],
    [{ businessProfile: { agentName: 'x'.repeat(81) } }, 'businessProfile.agentName'],
    [
      { businessProfile: { agentPersonality: 'x'.repeat(1001) } },
      'businessProfile.agentPersonality',
    ],
    [
      { businessProfile: { publisherDomains: ['ok.example', 'not a domain'] } },
      'businessProfile.publisherDomains.1',
    ],
    [
      { businessProfile: { publisherDomains: [`${'a'.repeat(250)}.com`] } },
      'businessProfile.publisherDomains.0',
    ],
    [{ platformId: 'Bad_Slug' }, 'platformId'],
    [{ surprise: true }, 'surprise'],
    [{ businessProfile: { surprise: true } }, 'businessProfile.surprise'],
  ])('rejects %j naming the field', async (body, field) => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('PUT', '/api/v2/storefront', { key: seller.key, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    if (field) expect(res.body.error.field).toBe(field);
  });

  it('caps publisherDomains at 128', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const domains = Array.from({ length: 129 }, (_, i) => `d${i}.example`);
    const res = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { businessProfile: { publisherDomains: domains } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('businessProfile.publisherDomains');
    const ok = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { businessProfile: { publisherDomains: domains.slice(0, 128) } },
    });
    expect(ok.status).toBe(200);
  });

  it('stores the hosted profile fields and shows them on the discovery card', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: {
        acceptedCountries: ['FR', 'DE', 'FR'],
        advertisingPolicyDisclosure: ['brief_acceptance'],
        demandContactName: 'Dana Demand',
        demandContactEmail: 'dana@publisher.example',
        paymentCurrencies: ['EUR', 'USD'],
        logoBackground: 'light-bg',
        logoUrl: 'https://publisher.example/logo.png',
        channels: ['ctv'],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      acceptedCountries: ['FR', 'DE'],
      acceptsAllCountries: false,
      advertisingPolicyDisclosure: ['brief_acceptance'],
      demandContactName: 'Dana Demand',
      demandContactEmail: 'dana@publisher.example',
      paymentCurrencies: ['EUR', 'USD'],
      logoBackground: 'light-bg',
      isPaused: false,
      operatorDomainVerified: false,
      advertisedChannels: [],
      advertisedCountries: [],
      capabilities: {
        offersCreativeReview: true,
        offersCampaignApproval: true,
        offersProductComposition: false,
      },
      discoveryCard: {
        storefrontId: String(res.body.data.id),
        storefrontKind: 'managed',
        logoUrl: 'https://publisher.example/logo.png',
        logoBackground: 'light-bg',
        channels: ['ctv'],
        countries: ['DE', 'FR'],
        acceptsAllCountries: false,
        coverage: { channels: 'declared', countries: 'declared' },
        provenance: { coverage: { channels: 'operator', countries: 'operator' } },
      },
    });

    const all = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { acceptsAllCountries: true },
    });
    expect(all.body.data).toMatchObject({ acceptsAllCountries: true, acceptedCountries: null });
    const cleared = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { demandContactName: null, demandContactEmail: null, logoBackground: null },
    });
    expect(cleared.body.data).toMatchObject({
      demandContactName: null,
      demandContactEmail: null,
      logoBackground: null,
    });
  });

  it.each([
    [{ acceptedCountries: ['fr'] }, 'acceptedCountries.0'],
    [{ acceptedCountries: ['FR'], acceptsAllCountries: true }, 'acceptedCountries'],
    [{ demandContactName: 'Only a name' }, 'demandContactEmail'],
    [{ demandContactEmail: 'not-an-email', demandContactName: 'x' }, 'demandContactEmail'],
    [{ paymentCurrencies: ['usd'] }, 'paymentCurrencies.0'],
    [{ logoBackground: 'plaid' }, 'logoBackground'],
    [{ advertisingPolicyDisclosure: ['everything'] }, 'advertisingPolicyDisclosure.0'],
    [{ isPaused: true, transacting: true }, 'transacting'],
  ])('refuses the hosted field %j with 400 naming %s', async (body, field) => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('PUT', '/api/v2/storefront', { key: seller.key, body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });

  it('pauses and resumes intake (isPaused, or transacting as its inverse), logged as isPaused', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const paused = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { isPaused: true },
    });
    expect(paused.body.data).toMatchObject({
      isPaused: true,
      displayStatus: 'paused',
      transacting: false,
    });
    expect(paused.body.data.pausedAt).toEqual(expect.any(String));
    const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(readiness.body.data).toMatchObject({
      isPaused: true,
      canTransact: false,
      effectiveStatus: 'paused',
    });
    const resumed = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { transacting: true },
    });
    expect(resumed.body.data).toMatchObject({
      isPaused: false,
      pausedAt: null,
      displayStatus: 'configuring',
    });
    const logs = await h.call('GET', '/api/v2/storefront/audit-logs', { key: seller.key });
    const changes = logs.body.data.logs
      .map((l: { changes: Record<string, unknown> | null }) => l.changes?.isPaused)
      .filter(Boolean);
    expect(changes).toEqual([
      { from: true, to: false },
      { from: false, to: true },
    ]);
  });

  it('sets approval modes through PATCH capabilities; turning review off must be acknowledged', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const unacknowledged = await h.call('PATCH', '/api/v2/storefront', {
      key: seller.key,
      body: { capabilities: { offersCampaignApproval: false } },
    });
    expect(unacknowledged.status).toBe(400);
    expect(unacknowledged.body.error.field).toBe('acknowledgeNoHumanReview');
    const auto = await h.call('PATCH', '/api/v2/storefront', {
      key: seller.key,
      body: { capabilities: { offersCampaignApproval: false }, acknowledgeNoHumanReview: true },
    });
    expect(auto.status).toBe(200);
    expect(auto.body.data).toMatchObject({
      mediaBuyApproval: 'auto',
      creativeApproval: 'manual',
      capabilities: { offersCampaignApproval: false, offersCreativeReview: true },
    });
    const back = await h.call('PATCH', '/api/v2/storefront', {
      key: seller.key,
      body: { capabilities: { offersCampaignApproval: true, offersProductComposition: true } },
    });
    expect(back.body.data).toMatchObject({
      mediaBuyApproval: 'manual',
      capabilities: { offersCampaignApproval: true, offersProductComposition: false },
    });
    const unknown = await h.call('PATCH', '/api/v2/storefront', {
      key: seller.key,
      body: { setupIntent: 'third_party_connect' },
    });
    expect(unknown.status).toBe(400);
  });

  it("refuses another storefront's platformId with 409", async () => {
    const a = await createCustomer(h, { role: 'SELLER' });
    const b = await createCustomer(h, { role: 'SELLER' });
    const taken = (await h.call('GET', '/api/v2/storefront', { key: a.key })).body.data.platformId;
    const res = await h.call('PUT', '/api/v2/storefront', {
      key: b.key,
      body: { platformId: taken },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', field: 'platformId' });
  });

  it('answers POST idempotently (200, unchanged) where one exists, archives with DELETE and restores with POST', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const before = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    const dup = await h.call('POST', '/api/v2/storefront', {
      key: seller.key,
      body: { name: 'Second' },
    });
    expect(dup.status).toBe(200);
    expect(dup.body.data).toMatchObject({ id: before.body.data.id, name: before.body.data.name });

    const archived = await h.call('DELETE', '/api/v2/storefront', { key: seller.key });
    expect(archived.status).toBe(200);
    expect(archived.body.data).toMatchObject({
      displayStatus: 'archived',
      archivedAt: expect.any(String),
    });
    const read = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    expect(read.body.data.displayStatus).toBe('archived');
    const edit = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { name: 'x' },
    });
    expect(edit.status).toBe(409);

    const restored = await h.call('POST', '/api/v2/storefront', {
      key: seller.key,
      body: { name: 'Back Again' },
    });
    expect(restored.status).toBe(201);
    expect(restored.body.data).toMatchObject({
      name: 'Back Again',
      archivedAt: null,
      id: read.body.data.id,
    });
  });

  it('refuses to go live while readiness is blocked, naming the blocking checks', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
    expect(res.status).toBe(409);
    const ids = res.body.error.details.blockingChecks.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['inventory_sources', 'currency_confirmed']));
    const after = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    expect(after.body.data.transacting).toBe(false);
  });

  it('records setup activity with before/after values, newest first', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'EUR' },
    });
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD' },
    });
    const res = await h.call('GET', '/api/v2/storefront/activity?take=1', { key: seller.key });
    expect(res.status).toBe(200);
    expect(res.body.data.total).toBe(2);
    expect(res.body.data.logs[0]).toMatchObject({
      action: 'UPDATE',
      resourceType: 'STOREFRONT',
      changes: { defaultCurrency: { from: 'EUR', to: 'USD' } },
    });
    const bad = await h.call('GET', '/api/v2/storefront/activity?take=501', { key: seller.key });
    expect(bad.status).toBe(400);
  });

  it('filters audit logs like the hosted API and refuses an unknown filter with 400', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'EUR' },
    });
    await h.call('POST', '/api/v2/storefront/operating-instructions', {
      key: seller.key,
      body: { content: 'Rules', activate: true },
    });
    const logs = async (q: string) =>
      (await h.call('GET', `/api/v2/storefront/audit-logs?${q}`, { key: seller.key })).body.data;
    const all = await logs('');
    expect(all.total).toBe(3);
    expect((await logs('actions=ACTIVATE')).logs.map((l: { action: string }) => l.action)).toEqual([
      'ACTIVATE',
    ]);
    expect((await logs('actions=CREATE&actions=UPDATE')).total).toBe(2);
    const storefrontLog = all.logs.find(
      (l: { resourceType: string }) => l.resourceType === 'STOREFRONT',
    );
    expect((await logs(`resourceId=${storefrontLog.resourceId}`)).total).toBe(1);
    expect((await logs('outcome=succeeded')).total).toBe(3);
    expect((await logs('outcome=denied')).total).toBe(0);
    expect((await logs('actorOrigin=human')).total).toBe(3);
    expect((await logs('actorOrigin=agent')).total).toBe(0);
    if (storefrontLog.userId !== null) {
      expect((await logs(`actorUserId=${storefrontLog.userId}`)).total).toBe(3);
    }
    expect((await logs('actorUserId=999999999')).total).toBe(0);
    expect((await logs('actorUserEmail=nobody%40nowhere.example')).total).toBe(0);
    const unknown = await h.call('GET', '/api/v2/storefront/audit-logs?actor=me', {
      key: seller.key,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('gives a child SELLER account its own storefront in the same organisation', async () => {
    const parent = await createCustomer(h, { role: 'SELLER' });
    const child = await h.call('POST', '/api/v2/accounts/create-child', {
      key: parent.key,
      body: { name: 'Child Network', customerRole: 'SELLER', customerDomain: 'child.example' },
    });
    expect(child.status).toBe(201);
    const sf = await h.call('GET', '/api/v2/storefront', { key: parent.key });
    expect(sf.body.data).toMatchObject({ name: 'Child Network', publisherDomain: 'child.example' });
  });

  describe('security', () => {
    it('needs accepted terms before a seller can change its storefront', async () => {
      const seller = await createCustomer(h, { role: 'SELLER', acceptTerms: false });
      const read = await h.call('GET', '/api/v2/storefront', { key: seller.key });
      expect(read.status).toBe(200);
      const write = await h.call('PUT', '/api/v2/storefront', {
        key: seller.key,
        body: { name: 'x' },
      });
      expect(write.status).toBe(403);
      expect(write.body.error.code).toBe('TOS_ACCEPTANCE_REQUIRED');
    });
  });
});

describe('marketplace review', () => {
  async function storefrontOf(key: string) {
    return (await h.call('GET', '/api/v2/storefront', { key })).body.data;
  }

  it('lists, hides and unhides without deleting anything', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const { id } = await storefrontOf(seller.key);
    const pending = await h.call(
      'GET',
      '/api/v2/admin/storefronts?review=pending_review&limit=100',
      {
        key: h.adminKey,
      },
    );
    expect(pending.body.data.items.map((s: { id: number }) => s.id)).toContain(id);

    const hideEarly = await h.call('POST', `/api/v2/admin/storefronts/${id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'hide' },
    });
    expect(hideEarly.status).toBe(409);

    const listed = await h.call('POST', `/api/v2/admin/storefronts/${id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'list' },
    });
    expect(listed.body.data.marketplace).toMatchObject({
      reviewStatus: 'listed',
      hidden: false,
      publiclyVisible: true,
    });
    const hidden = await h.call('POST', `/api/v2/admin/storefronts/${id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'hide' },
    });
    expect(hidden.body.data.marketplace).toMatchObject({
      reviewStatus: 'listed',
      hidden: true,
      publiclyVisible: false,
    });
    // The owner keeps using it while hidden.
    expect((await storefrontOf(seller.key)).name).toBe(hidden.body.data.name);
    const unhidden = await h.call('POST', `/api/v2/admin/storefronts/${id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'unhide' },
    });
    expect(unhidden.body.data.marketplace.publiclyVisible).toBe(true);
  });

  it('answers 404 for an unknown storefront and 400 for a bad action', async () => {
    const missing = await h.call('POST', '/api/v2/admin/storefronts/99999999/marketplace', {
      key: h.adminKey,
      body: { action: 'list' },
    });
    expect(missing.status).toBe(404);
    const bad = await h.call('POST', '/api/v2/admin/storefronts/1/marketplace', {
      key: h.adminKey,
      body: { action: 'delete' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('action');
  });

  it('is admin-only', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const { id } = await storefrontOf(seller.key);
    const res = await h.call('POST', `/api/v2/admin/storefronts/${id}/marketplace`, {
      key: seller.key,
      body: { action: 'list' },
    });
    expect(res.status).toBe(403);
  });
});
