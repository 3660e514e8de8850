import { ProviderError } from '../errors.js';
import { gaqlString, type GoogleAdsApi, type GoogleAdsCaller } from './api.js';

/**
 * ISO countries as Google Ads geo target constants (the `geo_target_constant` resource read with
 * GAQL, target_type 'Country'; "Location targeting",
 * https://developers.google.com/google-ads/api/docs/targeting/location-targeting). A country
 * Google does not list is the buyer's 4xx.
 */
export async function countryTargets(
  api: GoogleAdsApi,
  caller: GoogleAdsCaller,
  countries: string[],
): Promise<string[]> {
  for (const country of countries) {
    if (!/^[A-Z]{2}$/.test(country)) {
      throw new ProviderError('INVALID_REQUEST', `${country} is not an ISO country code`);
    }
  }
  if (countries.length === 0) return [];
  const rows = await api.search(
    caller,
    `SELECT geo_target_constant.resource_name, geo_target_constant.country_code FROM geo_target_constant WHERE geo_target_constant.target_type = 'Country' AND geo_target_constant.country_code IN (${countries.map(gaqlString).join(', ')})`,
    countries.length * 4,
  );
  const byCountry = new Map<string, string>();
  for (const row of rows) {
    const code = row.geoTargetConstant?.countryCode;
    const name = row.geoTargetConstant?.resourceName;
    if (typeof code === 'string' && typeof name === 'string') byCountry.set(code, name);
  }
  return countries.map((country) => {
    const found = byCountry.get(country);
    if (!found) {
      throw new ProviderError('INVALID_REQUEST', `Google Ads cannot target ${country}`);
    }
    return found;
  });
}
