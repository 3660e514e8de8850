import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { Obj } from './network.js';
import { matches, type Statement } from './pql.js';

/* The fake Ad Manager's SOAP envelopes, faults and PQL pages. */

export const ns = 'https://www.google.com/apis/ads/publisher/v202505';
export const listTags = new Set([
  'orders',
  'lineItems',
  'creatives',
  'companies',
  'lineItemCreativeAssociations',
  'children',
  'valueIds',
  'targetedAdUnits',
  'targetedPlacementIds',
  'creativePlaceholders',
  'dimensions',
  'columns',
  'frequencyCaps',
]);
export const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => listTags.has(name),
});

export class Fault extends Error {
  constructor(
    readonly type: string,
    readonly reason: string,
    readonly fieldPath = '',
    readonly status = 500,
  ) {
    super(`[${type}.${reason} @ ${fieldPath}]`);
  }
}

export function xml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => xml(name, v)).join('');
  if (typeof value === 'object') {
    const { $type, ...rest } = value as Obj;
    const attr = $type ? ` xsi:type="${String($type)}"` : '';
    return `<${name}${attr}>${Object.entries(rest)
      .map(([k, v]) => xml(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</${name}>`;
}

export const envelope = (inner: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Header>' +
  `<ResponseHeader xmlns="${ns}"><requestId>${randomUUID()}</requestId><responseTime>3</responseTime></ResponseHeader>` +
  `</soap:Header><soap:Body>${inner}</soap:Body></soap:Envelope>`;

export function faultXml(f: Fault): string {
  return envelope(
    '<soap:Fault><faultcode>soap:Server</faultcode>' +
      `<faultstring>${f.message}</faultstring><detail><ApiExceptionFault xmlns="${ns}">` +
      `<message>${f.message}</message><ApplicationException.Type>ApiException</ApplicationException.Type>` +
      `<errors xsi:type="${f.type}"><fieldPath>${f.fieldPath}</fieldPath><trigger></trigger>` +
      `<errorString>${f.type}.${f.reason}</errorString><reason>${f.reason}</reason></errors>` +
      '</ApiExceptionFault></detail></soap:Fault>',
  );
}

export const asList = (v: unknown): unknown[] =>
  v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];

/** Objects of `all` (lazy or not) a statement selects, as a page. */
export function page(
  source: { count: number; at: (i: number) => Obj; startAfterId?: (id: number) => number },
  st: Statement,
) {
  const idBound = st.conditions.find((c) => c.field === 'id' && c.op === '>');
  let index = idBound && source.startAfterId ? source.startAfterId(Number(idBound.values[0])) : 0;
  const results: Obj[] = [];
  let skipped = 0;
  for (; index < source.count && results.length < st.limit; index++) {
    const obj = source.at(index);
    if (!matches(obj, st.conditions)) continue;
    if (skipped < st.offset) {
      skipped++;
      continue;
    }
    results.push(obj);
  }
  return { totalResultSetSize: results.length + st.offset, startIndex: st.offset, results };
}

export const arraySource = (items: Obj[]) => ({
  count: items.length,
  at: (i: number) => items[i]!,
});
