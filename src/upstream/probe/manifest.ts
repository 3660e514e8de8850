import { parseCapabilitiesResponse } from '@adcp/sdk';
import type { Discovery } from './discovery.js';
import { isRecord } from '../../platform/is-record.js';
import type { CapabilityState, ProbeCapabilities, ProbeSuccess } from '../types.js';

/**
 * Maps what an agent revealed to a probe result. Seed rule: without a reported manifest a
 * missing tool means 'unknown', never 'unsupported'; a present tool is always 'supported'.
 */
export function toProbeSuccess(discovery: Discovery, latencyMs: number): ProbeSuccess {
  const tools = [...new Set(discovery.tools)].sort();
  const manifest = discovery.capabilities;
  const reported = manifest !== undefined;
  const has = (...names: string[]) => names.some((name) => tools.includes(name));
  const state = (...names: string[]): CapabilityState =>
    has(...names) ? 'supported' : reported ? 'unsupported' : 'unknown';

  const capabilities: ProbeCapabilities = {
    products: state('get_products'),
    createMediaBuy: state('create_media_buy'),
    updateMediaBuy: state('update_media_buy'),
    signals: state('get_signals', 'activate_signal'),
    // Wholesale listing is get_products with buying_mode 'wholesale'; AdCP 3.0 declares no
    // capability for it, so only an agent without get_products is known not to offer it.
    wholesaleProducts: reported && !has('get_products') ? 'unsupported' : 'unknown',
  };
  const base = {
    ok: true as const,
    latencyMs,
    tools,
    agentName: discovery.agentName,
    capabilities,
  };
  if (!manifest) {
    return {
      ...base,
      manifest: 'synthetic',
      adcpVersion: null,
      channels: [],
      countries: [],
      publisherDomains: [],
      pricingModels: [],
      billing: [],
      authTypes: sorted(discovery.authTypes),
      creativeHasCreativeLibrary: null,
      specialisms: [],
      brandJsonUrl: null,
      accountSandbox: false,
    };
  }

  const parsed = parseCapabilitiesResponse(manifest);
  const mediaBuy = record(manifest['media_buy']);
  const portfolio = record(mediaBuy['portfolio']);
  const account = record(manifest['account']);
  const creative = record(manifest['creative']);
  const majorVersions = numbers(record(manifest['adcp'])['major_versions']);
  const releases = parsed.supportedVersions ?? [];
  return {
    ...base,
    manifest: 'reported',
    adcpVersion: releases.length
      ? releases.join(', ')
      : majorVersions.length
        ? majorVersions.join(', ')
        : null,
    // The SDK's parser reads portfolio.channels; the 3.0 schema names it primary_channels.
    channels: sorted([...strings(portfolio['primary_channels']), ...strings(parsed.channels)]),
    countries: sorted(strings(portfolio['primary_countries'])),
    publisherDomains: sorted(strings(portfolio['publisher_domains'])),
    pricingModels: sorted(strings(mediaBuy['supported_pricing_models'])),
    billing: sorted(strings(account['supported_billing'])),
    authTypes: sorted([...discovery.authTypes, ...advertisedAuth(manifest, account)]),
    creativeHasCreativeLibrary:
      typeof creative['has_creative_library'] === 'boolean'
        ? creative['has_creative_library']
        : null,
    specialisms: sorted(strings(manifest['specialisms'])),
    brandJsonUrl: str(record(manifest['identity'])['brand_json_url']) ?? null,
    accountSandbox: account['sandbox'] === true,
    ...(isRecord(mediaBuy['audience_targeting']) && {
      audienceTargeting: mediaBuy['audience_targeting'],
    }),
    ...(isRecord(mediaBuy['conversion_tracking']) && {
      conversionTracking: mediaBuy['conversion_tracking'],
    }),
    ...(isRecord(mediaBuy['frequency_capping']) && {
      frequencyCapping: mediaBuy['frequency_capping'],
    }),
  };
}

function advertisedAuth(
  manifest: Record<string, unknown>,
  account: Record<string, unknown>,
): string[] {
  const types: string[] = [];
  if (typeof account['authorization_endpoint'] === 'string') types.push('oauth2');
  if (record(manifest['request_signing'])['supported'] === true) types.push('http_signatures');
  return types;
}

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const numbers = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [];
const sorted = (values: string[]): string[] => [...new Set(values)].sort();
const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
