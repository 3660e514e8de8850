import { pastLimit, type XlsxLimits } from '../limits.js';
import { decodeEntities, XmlScanner } from './xml.js';

/**
 * A workbook's shared strings, which cells refer to by index: kept as UTF-8 in one buffer with
 * an end offset per string (about 4 bytes each beyond the text itself, where an array of
 * strings costs dozens), and capped in count and characters as they are read, so a file of
 * millions of empty strings stops at the cap instead of filling memory.
 */
export class SharedStrings {
  private bytes = Buffer.alloc(64 * 1024);
  private used = 0;
  private ends = new Uint32Array(1024);
  private count = 0;
  private chars = 0;

  constructor(private readonly limits: Pick<XlsxLimits, 'maxSharedStrings' | 'maxSharedChars'>) {}

  get size(): number {
    return this.count;
  }

  add(text: string): void {
    if (this.count >= this.limits.maxSharedStrings) {
      throw pastLimit(
        `The workbook has more than ${this.limits.maxSharedStrings} shared strings (INTERCHANGE_XLSX_MAX_SHARED_STRINGS)`,
        'INTERCHANGE_XLSX_MAX_SHARED_STRINGS',
      );
    }
    this.charge(text.length);
    const length = Buffer.byteLength(text);
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(text, this.used);
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count++] = this.used;
  }

  /** Counts characters toward the cap (also while one string is still being read). */
  charge(chars: number): void {
    this.chars += chars;
    if (this.chars > this.limits.maxSharedChars) {
      throw pastLimit(
        `The workbook's shared strings hold more than ${this.limits.maxSharedChars} characters (INTERCHANGE_XLSX_MAX_SHARED_CHARS)`,
        'INTERCHANGE_XLSX_MAX_SHARED_CHARS',
      );
    }
  }

  /** The string at `index`, or undefined when there is none. */
  get(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.bytes.toString('utf8', index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }
}

/**
 * Reads `sharedStrings.xml` into a store: the text of each `<si>` (its `<t>`, or the `<t>` of
 * each rich-text run), leaving out phonetic readings (`<rPh>`).
 */
export async function readSharedStrings(
  part: string,
  text: AsyncIterable<string>,
  limits: XlsxLimits,
): Promise<SharedStrings> {
  const strings = new SharedStrings(limits);
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let pieces: string[] = [];
  let length = 0;
  const scanner = new XmlScanner(part, {
    open(name, _attributes, selfClosing) {
      if (name === 'si') {
        inItem = true;
        pieces = [];
        length = 0;
      } else if (name === 'rPh') phonetic += selfClosing ? 0 : 1;
      else if (name === 't' && inItem && phonetic === 0 && !selfClosing) inText = true;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (name === 'si' && inItem) {
        inItem = false;
        // Characters were charged as they came; add() charges the decoded text again.
        strings.charge(-length);
        strings.add(decodeEntities(pieces.join(''), part));
      }
    },
    text(piece) {
      if (!inText) return;
      pieces.push(piece);
      length += piece.length;
      strings.charge(piece.length);
    },
  });
  for await (const chunk of text) scanner.feed(chunk);
  scanner.end();
  return strings;
}
