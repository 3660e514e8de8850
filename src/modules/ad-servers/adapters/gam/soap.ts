import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { AdServerError, type AdServerErrorCode } from '../port.js';
import { httpFailure, unreachable } from '../shared/http-errors.js';
import { retrying } from '../shared/retry.js';
import { child, element, list, text, type XmlObject, type XmlValue } from '../shared/xml.js';
import { parseXml } from './xml.js';

/*
 * One SOAP call to an Ad Manager service (developers.google.com/ad-manager/api/soap_xml): the
 * RequestHeader names the network and application, the OAuth token travels as a bearer header,
 * and a fault's ApiExceptionFault lists typed errors (`AuthenticationError.NETWORK_NOT_FOUND`,
 * `PermissionError.PERMISSION_DENIED`, `QuotaError.EXCEEDED_QUOTA`, `ServerError.SERVER_ERROR`…).
 * Quota and server errors are retried with backoff, within the caller's attempts.
 */

export const gamApiVersion = 'v202505';
const namespace = `https://www.google.com/apis/ads/publisher/${gamApiVersion}`;
export const applicationName = 'Interchange';

export interface SoapOptions {
  /** e.g. https://ads.google.com/apis/ads/publisher (the version and service are appended). */
  baseUrl: string;
  networkCode: string;
  token: () => Promise<string>;
  fetch: OutboundFetch;
  /** Attempts for a retryable failure (quota, server error, 429/5xx); 1 disables retries. */
  attempts?: number;
  /** Backoff before the second attempt; doubles after. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type SoapCall = (
  service: string,
  method: string,
  params: Record<string, XmlValue>,
) => Promise<XmlObject>;

export function soapClient(options: SoapOptions): SoapCall {
  const retry = retrying(options);
  return async (service, method, params) => {
    const envelope =
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<soapenv:Header><ns1:RequestHeader soapenv:mustUnderstand="0" xmlns:ns1="${namespace}">` +
      `<ns1:networkCode>${options.networkCode}</ns1:networkCode>` +
      `<ns1:applicationName>${applicationName}</ns1:applicationName>` +
      '</ns1:RequestHeader></soapenv:Header><soapenv:Body>' +
      `<${method} xmlns="${namespace}">` +
      Object.entries(params)
        .map(([k, v]) => element(k, v))
        .join('') +
      `</${method}></soapenv:Body></soapenv:Envelope>`;
    const url = `${options.baseUrl.replace(/\/$/, '')}/${gamApiVersion}/${service}`;
    return retry(() => once(url, method, envelope));
  };

  async function once(url: string, method: string, envelope: string): Promise<XmlObject> {
    let response: Response;
    let body: string;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          authorization: `Bearer ${await options.token()}`,
          soapaction: '""',
        },
        body: envelope,
        timeoutMs: 60_000,
      });
      body = await response.text();
    } catch (error) {
      if (error instanceof AdServerError) throw error;
      throw unreachable('Ad Manager');
    }
    let parsed: XmlObject | undefined;
    try {
      parsed = parseXml(body);
    } catch {
      parsed = undefined;
    }
    const soapBody = child(child(parsed, 'Envelope'), 'Body');
    const fault = soapBody['Fault'];
    if (fault) throw faultError(fault as XmlObject);
    if (!response.ok) throw httpFailure('Ad Manager', response.status);
    // A success must carry the method's answer: an unreadable or truncated page is a failure
    // (retried, as a cut-off transfer would be), never an empty page that ends a sync early.
    const answer = soapBody[`${method}Response`];
    if (answer === undefined) {
      throw new AdServerError(
        'ADAPTER_CONNECTION_FAILED',
        parsed
          ? `Ad Manager answered without a ${method}Response`
          : `Ad Manager's answer to ${method} is not readable XML`,
        undefined,
        true,
      );
    }
    return child(soapBody, `${method}Response`);
  }
}

/** The typed errors of an ApiExceptionFault as our error codes. */
function faultError(fault: XmlObject): AdServerError {
  const errors = list(child(child(fault, 'detail'), 'ApiExceptionFault'), 'errors');
  const first = errors[0];
  const reason = text(first, 'errorString') ?? text(fault, 'faultstring') ?? 'unknown';
  const message = `Ad Manager refused the call: ${reason}${text(first, 'fieldPath') ? ` (field ${text(first, 'fieldPath')})` : ''}`;
  const kinds: Array<[RegExp, AdServerErrorCode, boolean]> = [
    [
      /NETWORK_NOT_FOUND|NETWORK_CODE_REQUIRED|NO_NETWORKS_TO_ACCESS/,
      'ADAPTER_NETWORK_NOT_FOUND',
      false,
    ],
    [
      /PERMISSION_DENIED|NOT_WHITELISTED_FOR_API_ACCESS|NETWORK_API_ACCESS_DISABLED/,
      'ADAPTER_PERMISSION_DENIED',
      false,
    ],
    [/AUTHENTICATION_FAILED|INVALID_OAUTH|OAUTH_TOKEN/, 'ADAPTER_INVALID_CREDENTIALS', false],
    [/QuotaError|EXCEEDED_QUOTA|REPORT_JOB_LIMIT/, 'ADAPTER_RATE_LIMITED', true],
    [/ServerError|SERVER_ERROR|SERVER_BUSY/, 'ADAPTER_CONNECTION_FAILED', true],
  ];
  for (const [pattern, code, retryable] of kinds) {
    if (pattern.test(reason)) return new AdServerError(code, message, reason, retryable);
  }
  return new AdServerError('ADAPTER_REFUSED', message, reason);
}
