/*
 * A small reader of the XML Ad Manager (SOAP 1.1, document/literal) and FreeWheel's V1-V3
 * resources answer with: elements, attributes, text, CDATA and the predefined and numeric
 * character references. No DTDs, so no entity expansion or external entities (a document with
 * one is refused). Namespace prefixes
 * are dropped; attributes become `@_name`; an element with attributes keeps its text as
 * `#text`; repeated elements (and those named in `lists`) become arrays. A page of 500 ad units
 * reads several times faster than with a general-purpose parser (bench/README.md).
 *
 * Bounded: a document longer than `maxLength` characters or nested deeper than `maxDepth` is
 * refused before it costs more, and every step is linear in the input (no pattern that rescans),
 * so the time a page takes is bounded by its size. Anything malformed is an XmlReadError.
 */

export type XmlNode = Record<string, unknown>;

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlReadError extends Error {}

/** Limits of one document; the defaults are far above any answer of Ad Manager's. */
export interface XmlLimits {
  /** Characters. */
  maxLength?: number;
  /** Open elements at once. */
  maxDepth?: number;
}

export const defaultXmlLimits = { maxLength: 32 * 1024 * 1024, maxDepth: 100 };

const codePoint = (digits: string, radix: number) => {
  const value = parseInt(digits, radix);
  if (!(value <= 0x10ffff)) throw new XmlReadError('Character reference out of range');
  return String.fromCodePoint(value);
};

function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return codePoint(ref.slice(2), 16);
    if (ref.startsWith('#')) return codePoint(ref.slice(1), 10);
    return entities[ref] ?? whole;
  });
}

/** Name="value" pairs, read in one pass (sticky: each match starts where the last ended). */
const attributePattern = /\s*([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

function readAttributes(attrs: string, node: XmlNode) {
  attributePattern.lastIndex = 0;
  let end = 0;
  for (let m = attributePattern.exec(attrs); m; m = attributePattern.exec(attrs)) {
    end = attributePattern.lastIndex;
    const attr = m[1]!;
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
    node[`@_${localName(attr)}`] = decode(m[2] ?? m[3] ?? '');
  }
  if (attrs.slice(end).trim()) throw new XmlReadError('Malformed attribute');
}

const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
};

interface Frame {
  name: string;
  node: XmlNode;
  text: string;
  hasChildren: boolean;
}

function attach(parent: XmlNode, name: string, value: unknown, lists: ReadonlySet<string>) {
  const existing = parent[name];
  if (existing === undefined) parent[name] = lists.has(name) ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else parent[name] = [existing, value];
}

export function readXml(
  xml: string,
  lists: ReadonlySet<string> = new Set(),
  limits: XmlLimits = {},
): XmlNode {
  try {
    return readXmlWithin(xml, lists, limits);
  } catch (error) {
    // The regexp engine ran out of stack on a pathological token (seen once under CI load on an
    // 8 MB attribute-less tag): the document is refused like any malformed one, never a 500.
    if (error instanceof RangeError) throw new XmlReadError('Malformed document: a token too long');
    throw error;
  }
}

function readXmlWithin(xml: string, lists: ReadonlySet<string>, limits: XmlLimits): XmlNode {
  const { maxLength, maxDepth } = { ...defaultXmlLimits, ...limits };
  if (xml.length > maxLength) throw new XmlReadError(`Document over ${maxLength} characters`);
  const root: XmlNode = {};
  const stack: Frame[] = [{ name: '', node: root, text: '', hasChildren: true }];
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt === -1) {
      top.text += xml.slice(i);
      break;
    }
    if (lt > i) top.text += xml.slice(i, lt);
    if (xml.startsWith('<?', lt)) {
      i = xml.indexOf('?>', lt) + 2;
      if (i === 1) throw new XmlReadError('Unterminated declaration');
      continue;
    }
    if (xml.startsWith('<!--', lt)) {
      i = xml.indexOf('-->', lt) + 3;
      if (i === 2) throw new XmlReadError('Unterminated comment');
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      if (end === -1) throw new XmlReadError('Unterminated CDATA');
      // Kept raw: marked so decode() is not applied to it.
      top.text += xml.slice(lt + 9, end).replace(/&/g, '&amp;');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<!', lt))
      throw new XmlReadError('Document type declarations are not accepted');
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new XmlReadError('Unterminated tag');
    const raw = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (raw.startsWith('/')) {
      const frame = stack.pop();
      if (!frame || localName(raw.slice(1).trim()) !== frame.name || stack.length === 0) {
        throw new XmlReadError('Mismatched closing tag');
      }
      const text = decode(frame.text.trim());
      const attrs = Object.keys(frame.node).length > 0;
      const value = frame.hasChildren || attrs ? frame.node : text;
      if (attrs && !frame.hasChildren && text) frame.node['#text'] = text;
      attach(stack[stack.length - 1]!.node, frame.name, value, lists);
      continue;
    }
    const selfClosing = raw.endsWith('/');
    const body = selfClosing ? raw.slice(0, -1) : raw;
    const space = body.search(/\s/);
    const name = localName(space === -1 ? body : body.slice(0, space));
    const node: XmlNode = {};
    if (space !== -1) readAttributes(body.slice(space), node);
    top.hasChildren = true;
    if (selfClosing) {
      attach(top.node, name, Object.keys(node).length ? node : '', lists);
      continue;
    }
    if (stack.length > maxDepth) throw new XmlReadError(`Elements nested over ${maxDepth} deep`);
    stack.push({ name, node, text: '', hasChildren: false });
  }
  if (stack.length !== 1) throw new XmlReadError('Unclosed element');
  return root;
}
