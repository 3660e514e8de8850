import { gunzipSync } from 'node:zlib';
import { parseLossless } from '../../../platform/lossless-json.js';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterContext, PackageDelivery, ProviderRefs } from '../contract.js';
import { deliveryByPackage } from '../shared/delivery.js';
import { ProviderError } from '../errors.js';
import { DuplicateReport, type AmazonApi } from './api.js';
import { callerOf, profileOf } from './profiles.js';

/*
 * Delivery from reporting v3's asynchronous reports ("Version 3 reporting",
 * https://advertising.amazon.com/API/docs/en-us/guides/reporting/v3/overview, and "Sponsored
 * ads V3" in Amazon's Postman collection): POST /reporting/reports
 * (application/vnd.createasyncreportrequest.v3+json; adProduct SPONSORED_DISPLAY, reportTypeId
 * sdAdGroup grouped by adGroup, SUMMARY over the dates, GZIP_JSON) answers a reportId; GET
 * /reporting/reports/{id} is polled until COMPLETED with a pre-signed `url`; the file there is
 * gzip-compressed JSON, one row per ad group. An identical request while one is queued answers
 * 425 with the queued report's id, which is collected instead. Amazon keeps about 60 days of
 * Sponsored Display data and a report spans at most 31 days: delivery covers the last 31 days of
 * the flight. The buyer's call waits for the report a few seconds at most; a report still being
 * prepared answers SERVICE_UNAVAILABLE (retryable), and asking again collects the same report.
 */

const reportType = 'application/vnd.createasyncreportrequest.v3+json';
const maxSpanDays = 31;
const dayMs = 86_400_000;
/** Compressed files are capped by the outbound client (5 MiB); this caps them unpacked. */
const maxUnpackedBytes = 32 * 1024 * 1024;
/** The buyer's call waits about three seconds for the report at most. */
const pollWaitsMs = [150, 300, 600, 1000, 1000];

const isoDay = (yyyymmdd: string) =>
  `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

interface ReportState {
  reportId?: unknown;
  status?: unknown;
  url?: unknown;
}

export async function amazonDelivery(
  fetch: OutboundFetch,
  api: AmazonApi,
  ctx: AdapterContext,
  refs: ProviderRefs,
  period: { start: Date; end: Date },
  dayOf: (at: Date, timeZone: string) => string,
): Promise<PackageDelivery[]> {
  const groups = Object.values(refs.packages).flatMap((p) => (p.adSetId ? [p.adSetId] : []));
  // Nothing to ask before the flight starts (Amazon refuses a report ending before it begins).
  if (!refs.campaignId || !groups.length || period.end < period.start) {
    return deliveryByPackage(refs, []);
  }
  const caller = callerOf(ctx);
  const { timezone } = profileOf(ctx);
  const earliest = new Date(period.end.getTime() - (maxSpanDays - 1) * dayMs);
  const startDate = isoDay(dayOf(period.start < earliest ? earliest : period.start, timezone));
  const endDate = isoDay(dayOf(period.end, timezone));
  let reportId: string;
  try {
    const made = await api.post<ReportState>(
      caller,
      'reporting/reports',
      {
        name: `Interchange delivery ${refs.campaignId} ${startDate} ${endDate}`,
        startDate,
        endDate,
        configuration: {
          adProduct: 'SPONSORED_DISPLAY',
          reportTypeId: 'sdAdGroup',
          groupBy: ['adGroup'],
          columns: ['campaignId', 'adGroupId', 'impressions', 'clicks', 'cost'],
          timeUnit: 'SUMMARY',
          format: 'GZIP_JSON',
        },
      },
      reportType,
    );
    reportId = String(made.reportId ?? '');
  } catch (error) {
    if (!(error instanceof DuplicateReport)) throw error;
    reportId = error.reportId;
  }
  if (!reportId)
    throw new ProviderError('SERVICE_UNAVAILABLE', 'Amazon Ads queued no report', {
      retryable: true,
    });
  const url = await completed(api, caller, reportId);
  const rows = await download(fetch, url);
  return deliveryByPackage(
    refs,
    rows
      .filter((r) => String(r.campaignId ?? refs.campaignId) === refs.campaignId)
      .map((r) => ({
        adSetId: String(r.adGroupId ?? ''),
        impressions: Number(r.impressions ?? 0),
        clicks: Number(r.clicks ?? 0),
        spend: Number(r.cost ?? 0),
      })),
  );
}

async function completed(api: AmazonApi, caller: ReturnType<typeof callerOf>, reportId: string) {
  for (const wait of [0, ...pollWaitsMs]) {
    if (wait) await new Promise((r) => setTimeout(r, wait));
    const state = await api.get<ReportState>(
      caller,
      `reporting/reports/${encodeURIComponent(reportId)}`,
    );
    if (state.status === 'COMPLETED' && typeof state.url === 'string') return state.url;
    if (state.status === 'FAILED') {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        'Amazon Ads could not prepare the delivery report',
        {
          retryable: true,
        },
      );
    }
  }
  throw new ProviderError(
    'SERVICE_UNAVAILABLE',
    'Amazon Ads is still preparing the delivery report; ask again shortly',
    { retryable: true, retryAfterSeconds: 30 },
  );
}

/** The report file: at a pre-signed URL (no token sent), gzip JSON, bounded both ways. */
async function download(
  fetch: OutboundFetch,
  url: string,
): Promise<Array<Record<string, unknown>>> {
  const unreadable = () =>
    new ProviderError('SERVICE_UNAVAILABLE', 'The Amazon Ads delivery report could not be read', {
      retryable: true,
    });
  let packed: Buffer;
  try {
    const res = await fetch(url, { method: 'GET', timeoutMs: 30_000 });
    if (!res.ok) throw unreadable();
    packed = Buffer.from(await res.arrayBuffer());
  } catch {
    throw unreadable();
  }
  try {
    const text = (
      packed[0] === 0x1f && packed[1] === 0x8b
        ? gunzipSync(packed, { maxOutputLength: maxUnpackedBytes })
        : packed
    ).toString('utf8');
    const rows: unknown = parseLossless(text);
    return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
  } catch {
    throw unreadable();
  }
}
