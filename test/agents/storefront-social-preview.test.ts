import { randomUUID } from 'node:crypto';
import { AgentClient } from '@adcp/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { startSdkSeller, type SdkSeller } from '../fixtures/sdk-seller.js';
import { sdkSchemaValidator } from '../../src/agents/hosting/sdk-schema-validator.js';
import { agencyBuying, agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * preview_creative on a storefront that sells sales-social (the specialism requires the tool),
 * over @adcp/sdk's social example seller, which has none: the storefront renders the preview
 * itself, binding a template's catalog-item macros to the items of the catalog the buyer synced
 * through it, each value percent-encoded (AdCP 3.1.19 sales_social catalog_substitution_safety,
 * with the spec's own probe values from test-vectors/catalog-macro-substitution.json).
 */
describe('preview_creative on a storefront over a sales-social seller', () => {
  let h: Harness;
  let seller: SdkSeller;
  let base: string;
  let platformId: string;

  beforeAll(async () => {
    [h, seller] = await Promise.all([createHarness(), startSdkSeller('social')]);
    base = await listen(h);
    ({ platformId } = await storefrontWith(h, [
      { sourceId: 'social', url: seller.url, token: seller.token },
    ]));
  }, 90_000);

  afterAll(async () => {
    await Promise.all([h?.close(), seller?.close()]);
  });

  const probeCatalog = {
    catalog_id: 'sales_social_substitution_probe_v1',
    type: 'product',
    content_id_type: 'sku',
    name: 'Substitution safety probe',
    items: [
      ['reserved_char_breakout', '00013&cmd=drop'],
      ['nested_expansion', 'vacancy-{DEVICE_ID}-42'],
      ['non_ascii', 'café-amsterdam'],
      ['crlf_injection', 'abc\r\nHost: evil.example'],
      ['bidi_override', 'VIN-\u202e1234'],
    ].map(([item_id, sku]) => ({
      item_id,
      sku,
      title: `Probe ${item_id}`,
      url: `https://acmeoutdoor.example/probe/${item_id}`,
      image_url: `https://cdn.acmeoutdoor.example/probe/${item_id}.jpg`,
      price: { amount: 1, currency: 'USD' },
    })),
  };

  const manifest = {
    format_id: {
      agent_url: 'https://creative.adcontextprotocol.org',
      id: 'product_carousel_3_to_10',
    },
    assets: {
      product_catalog: {
        asset_type: 'catalog',
        type: 'product',
        catalog_id: 'sales_social_substitution_probe_v1',
      },
      impression_pixel: {
        asset_type: 'url',
        url: 'https://track.acmeoutdoor.example/imp?sku={SKU}',
      },
      click_url: { asset_type: 'url', url: 'https://track.acmeoutdoor.example/click?sku={SKU}' },
    },
  };

  /** The storyboard's preview request (pinned 3.1), for `account`. */
  const previewOf = (account: unknown, extra: Record<string, unknown> = {}) => ({
    adcp_version: '3.1',
    request_type: 'single',
    format: 'html',
    item_limit: 5,
    creative_manifest: manifest,
    account,
    idempotency_key: randomUUID(),
    context: { correlation_id: 'sales_social--preview_substitution_probe_creative' },
    ...extra,
  });

  it('renders a DPA against the catalog the buyer synced, each catalog value percent-encoded in the tracker URLs', async () => {
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const { tools } = await agent.client.listTools();
      expect(tools.map((t) => t.name)).toContain('preview_creative');
      const synced = await agent.call('sync_catalogs', {
        adcp_version: '3.1',
        idempotency_key: randomUUID(),
        account,
        catalogs: [probeCatalog],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);

      const preview = await agent.call('preview_creative', previewOf(account));
      expect(preview.isError, JSON.stringify(preview)).toBe(false);
      expect(preview.response_type).toBe('single');
      // The answer a 3.0 buyer's SDK checks it against too (3.0.6 requires expires_at).
      const { isError: _isError, ...answer } = preview;
      const verdict = sdkSchemaValidator().validateResponse('preview_creative', answer);
      expect(verdict.valid, JSON.stringify(verdict.issues)).toBe(true);
      expect(preview.context.correlation_id).toBe(
        'sales_social--preview_substitution_probe_creative',
      );
      const render = preview.previews[0].renders[0];
      expect(render.output_format).toBe('html');
      const html: string = render.preview_html;
      // The spec's expected encodings (RFC 3986 unreserved characters alone stay as they are).
      for (const encoded of [
        '00013%26cmd%3Ddrop',
        'vacancy-%7BDEVICE_ID%7D-42',
        'caf%C3%A9-amsterdam',
        'abc%0D%0AHost%3A%20evil.example',
        'VIN-%E2%80%AE1234',
      ]) {
        expect(html).toContain(`https://track.acmeoutdoor.example/imp?sku=${encoded}`);
        expect(html).toContain(`https://track.acmeoutdoor.example/click?sku=${encoded}`);
      }
      // Nothing of a value reaches the page raw: no breakout, no line break, no bidi override.
      expect(html).not.toContain('00013&cmd');
      expect(html).not.toMatch(/[\r\u202e]/);
      expect(html).not.toContain('{SKU}');

      // The same preview from a buyer on @adcp/sdk's client, which sends only the arguments the
      // agent's listing names: `account` and `format` are in no release's preview-creative-request,
      // and were dropped on the way ("Name the account the catalog was synced on") until the
      // listing named them (tool-schemas/beyond-spec.ts).
      const sdk = AgentClient.fromMCPClient(
        agent.client as unknown as Parameters<typeof AgentClient.fromMCPClient>[0],
        { validation: { requests: 'off', responses: 'off' } },
      );
      const viaSdk = await sdk.executeTask('preview_creative', previewOf(account));
      expect(viaSdk.success, JSON.stringify(viaSdk.error)).toBe(true);
      const sdkRender = (viaSdk.data as { previews: { renders: Record<string, unknown>[] }[] })
        .previews[0]!.renders[0]!;
      expect(sdkRender['output_format']).toBe('html');
      expect(String(sdkRender['preview_html'])).toContain(
        'https://track.acmeoutdoor.example/imp?sku=00013%26cmd%3Ddrop',
      );
    } finally {
      await agent.close();
    }
  });

  it("answers REFERENCE_NOT_FOUND to another buyer naming the catalog, on its account or the owner's", async () => {
    // The seller knows one advertiser per brand: the first test's agency holds acmeoutdoor there.
    const first = await agencyBuying(h, 'summit-media.example');
    const owner = await agentClient(base, platformId, first.buyer.key);
    try {
      const synced = await owner.call('sync_catalogs', {
        idempotency_key: randomUUID(),
        account: first.account,
        catalogs: [probeCatalog],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
    } finally {
      await owner.close();
    }
    const other = await agencyBuying(h);
    const intruder = await agentClient(base, platformId, other.buyer.key);
    try {
      // An account reference names the caller's own account: the first buyer's words name
      // another account of the intruder's, which holds no catalog.
      for (const account of [other.account, first.account]) {
        const refused = await intruder.call('preview_creative', previewOf(account));
        expect(refused.isError).toBe(true);
        expect(refused.adcp_error.code).toBe('REFERENCE_NOT_FOUND');
        expect(refused.adcp_error.field).toBe(
          'creative_manifest.assets.product_catalog.catalog_id',
        );
        expect(JSON.stringify(refused)).not.toContain('00013');
      }
    } finally {
      await intruder.close();
    }
  });

  it('refuses what it cannot preview with the field at fault', async () => {
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const noManifest = await agent.call('preview_creative', {
        request_type: 'single',
        account,
      });
      expect(noManifest.isError).toBe(true);
      expect(noManifest.adcp_error.code).toBe('VALIDATION_ERROR');
      expect(noManifest.adcp_error.field).toBe('creative_manifest');
      const batch = await agent.call('preview_creative', {
        request_type: 'batch',
        requests: [{ creative_manifest: manifest }],
        account,
      });
      expect(batch.isError).toBe(true);
      expect(batch.adcp_error.code).toBe('UNSUPPORTED_FEATURE');
      expect(batch.adcp_error.field).toBe('request_type');
    } finally {
      await agent.close();
    }
  });

  it('previews a manifest without a catalog as it is, with the macro values the buyer gives', async () => {
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const preview = await agent.call('preview_creative', {
        request_type: 'single',
        account,
        creative_manifest: {
          format_id: { agent_url: 'https://social-platform.example.com', id: 'native_feed' },
          assets: {
            image: {
              asset_type: 'image',
              url: 'https://cdn.acmeoutdoor.example/trail.png',
              width: 1200,
              height: 628,
            },
            headline: { asset_type: 'text', content: 'Trail <Pro> & more' },
            click_url: { asset_type: 'url', url: 'https://acmeoutdoor.example/go?c={CACHEBUSTER}' },
          },
        },
        inputs: [{ name: 'Morning', macros: { CACHEBUSTER: '1 2' } }],
        output_format: 'both',
      });
      expect(preview.isError, JSON.stringify(preview)).toBe(false);
      expect(preview.previews).toHaveLength(1);
      expect(preview.previews[0].input.name).toBe('Morning');
      const html: string = preview.previews[0].renders[0].preview_html;
      expect(html).toContain('https://cdn.acmeoutdoor.example/trail.png');
      expect(html).toContain('Trail &lt;Pro&gt; &amp; more');
      expect(html).toContain('https://acmeoutdoor.example/go?c=1%202');
      // The URL is of the page itself: the storefront hosts no preview pages.
      const url: string = preview.previews[0].renders[0].preview_url;
      expect(preview.previews[0].renders[0].output_format).toBe('both');
      expect(url.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
      expect(Buffer.from(url.split(',')[1]!, 'base64').toString('utf8')).toContain(html);
      const { isError: _isError, ...answer } = preview;
      const verdict = sdkSchemaValidator().validateResponse('preview_creative', answer);
      expect(verdict.valid, JSON.stringify(verdict.issues)).toBe(true);
    } finally {
      await agent.close();
    }
  });

  it("answers a preview URL by default, as creative_reception's storyboard asks it", async () => {
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const preview = await agent.call('preview_creative', {
        account,
        request_type: 'single',
        creative_manifest: {
          creative_id: 'acme_summer_native_001',
          format_id: { agent_url: 'https://your-platform.example.com', id: 'native_post' },
          assets: {
            headline: { asset_type: 'text', content: 'Summer Sale — 40% Off' },
            click_url: { asset_type: 'url', url: 'https://acmeoutdoor.example/summer-sale' },
          },
        },
        quality: 'draft',
        context: { correlation_id: 'media_buy_seller_creative_reception--preview_synced' },
      });
      expect(preview.isError, JSON.stringify(preview)).toBe(false);
      const render = preview.previews[0].renders[0];
      expect(render.output_format).toBe('url');
      expect(render.preview_url).toMatch(/^data:text\/html;charset=utf-8;base64,/);
      expect(render.preview_html).toBeUndefined();
      const { isError: _isError, ...answer } = preview;
      const verdict = sdkSchemaValidator().validateResponse('preview_creative', answer);
      expect(verdict.valid, JSON.stringify(verdict.issues)).toBe(true);
    } finally {
      await agent.close();
    }
  });
});
