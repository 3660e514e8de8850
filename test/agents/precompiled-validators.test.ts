import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storefrontSkills } from '../../src/agents/merchandising/index.js';
import { generatePrecompiledValidators } from '../../src/agents/hosting/precompiled-validators/generate.js';
import { installPrecompiledValidators } from '../../src/agents/hosting/precompiled-validators/install.js';
import { precompiledToolRequests } from '../../src/agents/hosting/precompiled-validators/keys.js';
import { sdkSchemaValidator } from '../../src/agents/hosting/sdk-schema-validator.js';

/*
 * A built server validates requests with code the build generated from the SDK's schemas
 * instead of compiling them at start. What a buyer is told about a request must not change:
 * the same payloads, the same verdicts and issues, with the build's code and with the SDK's own.
 */

const dir = mkdtempSync(join(tmpdir(), 'ix-validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Payloads that pass, and that fail in different ways (missing, wrong type, wrong enum, extra). */
const payloads: unknown[] = [
  {},
  { brief: 'Sports fans in Germany, video, Q3' },
  { brief: 5, filters: { channels: ['not-a-channel'] }, account: {} },
  { buyer_ref: [], packages: 'none', brand: { domain: 7 }, start_time: 'soon' },
  {
    account: { account_id: 'acc_1' },
    brand: { domain: 'acme.example' },
    buyer_ref: 'b1',
    start_time: 'asap',
    end_time: '2026-12-31T00:00:00Z',
    packages: [{ buyer_ref: 'p1', product_id: 'x', budget: -1, pricing_option_id: 'po' }],
  },
  { media_buy_ids: 'mb_1', pagination: { max_results: 0 } },
  { creatives: [{ creative_id: 'c1', format_id: { agent_url: 'nope', id: 3 } }] },
  { adcp_major_version: 'three', unexpected: { deep: [1, 2, 3] } },
];

describe('validators compiled at build time', () => {
  it('cover the request of every tool a storefront serves', () => {
    expect([...precompiledToolRequests].sort()).toEqual(Object.keys(storefrontSkills).sort());
  });

  it('tell a buyer exactly what the SDK compiling at start would', () => {
    const manifest = generatePrecompiledValidators(dir);
    expect(manifest.keys).toEqual(
      expect.arrayContaining(['get_products::request', 'get_products::sync']),
    );
    expect(manifest.keys.length).toBeGreaterThanOrEqual(15);
    const validator = sdkSchemaValidator();
    const verdicts = () => ({
      requests: Object.fromEntries(
        manifest.keys
          .filter((key) => key.endsWith('::request'))
          .map((key) => key.split('::')[0]!)
          .map((tool) => [tool, payloads.map((p) => validator.validateRequest(tool, p))]),
      ),
      products: [
        { products: [] },
        { products: [{}] },
        { products: [{ product_id: 'p', name: 'P', format_ids: 'x', delivery_type: 'sometimes' }] },
      ].map((p) => validator.validateResponse('get_products', p)),
    });
    const compiled = verdicts();
    expect(installPrecompiledValidators(dir)).toBe(manifest.keys.length);
    const built = verdicts();
    expect(built).toEqual(compiled);
    // Both valid and invalid payloads were judged, with issues to compare.
    const all = Object.values(compiled.requests).flat();
    expect(all.some((v) => v.valid)).toBe(true);
    expect(all.filter((v) => !v.valid).length).toBeGreaterThan(payloads.length);
  }, 120_000);
});
