/*
 * XML requests written from plain values, and the plain objects xml-reader.ts reads answers into
 * walked by name: shared by the adapters whose APIs speak XML (Ad Manager's SOAP API,
 * FreeWheel's V1-V3 resources).
 */

export type XmlObject = Record<string, unknown>;

export type XmlValue =
  string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

/** An element whose schema type is a subtype (`xsi:type`), e.g. an ImageCreative or a CustomCriteria. */
export const typed = (type: string, fields: Record<string, XmlValue>) => ({
  $type: type,
  ...fields,
});

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

/** `<name>…</name>` for a value; an array repeats the element, null and undefined write nothing. */
export function element(name: string, value: XmlValue): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value === 'object') {
    const { $type, ...fields } = value;
    const attr = typeof $type === 'string' ? ` xsi:type="${escapeXml($type)}"` : '';
    const body = Object.entries(fields)
      .map(([k, v]) => element(k, v))
      .join('');
    return `<${name}${attr}>${body}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A child object of a parsed element (or an empty one). */
export function child(node: unknown, name: string): XmlObject {
  const value = (node as XmlObject | undefined)?.[name];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlObject) : {};
}

/** A list child of a parsed element (always an array). */
export function list(node: unknown, name: string): XmlObject[] {
  const value = (node as XmlObject | undefined)?.[name];
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as XmlObject[];
}

/** A text child of a parsed element. */
export function text(node: unknown, name: string): string | undefined {
  const value = (node as XmlObject | undefined)?.[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') {
    const inner = (value as XmlObject)['#text'];
    return inner === undefined ? undefined : String(inner);
  }
  return String(value);
}

/**
 * A parsed element written back as it was read (an object read, changed, then updated: the
 * API's update calls take the whole object): `xsi:type` kept, other attributes dropped.
 */
export function writable(value: unknown): XmlValue {
  if (Array.isArray(value)) return value.map(writable);
  if (!value || typeof value !== 'object') return value as XmlValue;
  const node = value as XmlObject;
  const out: Record<string, XmlValue> = {};
  if (typeof node['@_type'] === 'string') out['$type'] = node['@_type'];
  for (const [key, inner] of Object.entries(node)) {
    if (!key.startsWith('@_') && key !== '#text') out[key] = writable(inner);
  }
  const fields = Object.keys(out).filter((k) => k !== '$type');
  if (node['#text'] !== undefined && !fields.length) return String(node['#text']);
  return out;
}
