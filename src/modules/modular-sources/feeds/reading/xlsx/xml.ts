import { unreadable } from '../limits.js';

/**
 * Just enough of XML for a workbook's parts, streamed: elements by local name (a prefix such as
 * `x:` is dropped) with their attributes, and text. Comments and processing instructions are
 * skipped; CDATA is text. A DOCTYPE is refused (entities are never expanded, so no entity bomb).
 * Memory is bounded by the longest tag (1 MB), never by the part's size: text is handed on in
 * pieces and whoever keeps it bounds it.
 */
export interface XmlHandler {
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text (entities still escaped; decode with decodeEntities when it is kept). */
  text(text: string): void;
}

const maxPending = 1024 * 1024;

const malformed = (part: string, why: string) =>
  unreadable(`The workbook's ${part} is not well-formed XML (${why})`);

export class XmlScanner {
  private rest = '';

  constructor(
    private readonly part: string,
    private readonly handler: XmlHandler,
  ) {}

  feed(chunk: string): void {
    const buf = this.rest + chunk;
    let i = 0;
    while (i < buf.length) {
      const lt = buf.indexOf('<', i);
      if (lt === -1) {
        // Keep an entity cut by the chunk's end for the next chunk.
        const amp = buf.lastIndexOf('&');
        const cut = amp >= i && buf.indexOf(';', amp) === -1 ? amp : buf.length;
        if (cut > i) this.handler.text(buf.slice(i, cut));
        i = cut;
        break;
      }
      if (lt > i) this.handler.text(buf.slice(i, lt));
      const next = this.markup(buf, lt);
      if (next === -1) {
        i = lt;
        break;
      }
      i = next;
    }
    this.rest = buf.slice(i);
    if (this.rest.length > maxPending) throw malformed(this.part, 'a tag longer than 1 MB');
  }

  end(): void {
    if (this.rest.trim() !== '') throw malformed(this.part, 'it ends inside a tag');
  }

  /** Handles the markup at `lt`; answers where the next content starts, or -1 if it is cut. */
  private markup(buf: string, lt: number): number {
    if (buf.startsWith('<!--', lt)) return after(buf, '-->', lt + 4);
    if (buf.startsWith('<?', lt)) return after(buf, '?>', lt + 2);
    if (buf.startsWith('<![CDATA[', lt)) {
      const end = buf.indexOf(']]>', lt + 9);
      if (end === -1) return -1;
      this.handler.text(escapeText(buf.slice(lt + 9, end)));
      return end + 3;
    }
    if (buf.startsWith('<!', lt)) {
      if (buf.length - lt < 9) return -1;
      throw malformed(this.part, 'a DOCTYPE or declaration, which is not read');
    }
    const gt = tagEnd(buf, lt + 1);
    if (gt === -1) return -1;
    const body = buf.slice(lt + 1, gt);
    if (body.startsWith('/')) {
      this.handler.close(localName(body.slice(1).trim()));
      return gt + 1;
    }
    const selfClosing = body.endsWith('/');
    const inner = selfClosing ? body.slice(0, -1) : body;
    const nameEnd = inner.search(/[\s/]/);
    const name = localName(nameEnd === -1 ? inner : inner.slice(0, nameEnd));
    this.handler.open(name, nameEnd === -1 ? '' : inner.slice(nameEnd), selfClosing);
    if (selfClosing) this.handler.close(name);
    return gt + 1;
  }
}

function after(buf: string, marker: string, from: number): number {
  const end = buf.indexOf(marker, from);
  return end === -1 ? -1 : end + marker.length;
}

/** The `>` closing a tag opened before `from`, skipping any inside quoted attribute values. */
function tagEnd(buf: string, from: number): number {
  let quote = 0;
  for (let j = from; j < buf.length; j++) {
    const c = buf.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62) {
      return j;
    }
  }
  return -1;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

// CDATA is literal: escaped so that decodeEntities gives it back as it was.
const escapeText = (text: string) => text.replace(/&/g, '&amp;');

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Text with its entities replaced. A character reference XML does not allow (NUL, a lone
 * surrogate, past U+10FFFF) makes the part malformed rather than reach a cell.
 */
export function decodeEntities(text: string, part = 'XML'): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return named[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
      throw malformed(part, `the character reference ${whole}`);
    }
    return String.fromCodePoint(code);
  });
}

/** An element's attributes by local name (`r:id` is `id`), values decoded. */
export function attributesOf(attributes: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!attributes) return found;
  for (const match of attributes.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    found.set(localName(match[1]!), decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return found;
}
