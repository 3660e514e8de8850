import { TextDecoder } from 'node:util';
import { checkDeadline, type ReadLimits, unreadable } from './limits.js';

/**
 * A text feed's bytes as text. The encoding is told by the byte-order mark: UTF-8 (with or
 * without one), UTF-16 LE or BE (with one) are read; UTF-16 without one (what a NUL every other
 * byte gives away), UTF-32 and bytes that are not UTF-8 (a Windows-1252 export) are refused,
 * saying which line and what to save the file as, rather than read into replacement characters.
 */
export async function* decodedText(
  bytes: AsyncIterable<Buffer>,
  limits: Pick<ReadLimits, 'deadline'>,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let head = Buffer.alloc(0);
  let line = 1;
  const decode = (data: Buffer, stream: boolean) => {
    try {
      const text = decoder!.decode(data, { stream });
      line += countLines(text);
      return text;
    } catch {
      throw notText(decoder!.encoding, line + countLines(validPrefix(data, decoder!.encoding)));
    }
  };
  for await (const chunk of bytes) {
    checkDeadline(limits, `line ${line}`);
    if (decoder) {
      yield decode(chunk, true);
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length < 4) continue;
    const { encoding, skip } = detect(head);
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    yield decode(head.subarray(skip), true);
  }
  if (!decoder) {
    const { encoding, skip } = detect(head);
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    head = head.subarray(skip);
    yield decode(head, false);
    return;
  }
  const tail = decode(Buffer.alloc(0), false);
  if (tail) yield tail;
}

function detect(head: Buffer): { encoding: string; skip: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', skip: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) {
    if (head[2] === 0 && head[3] === 0) throw refusedEncoding('UTF-32');
    return { encoding: 'utf-16le', skip: 2 };
  }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) {
    throw refusedEncoding('UTF-32');
  }
  if (looksUtf16(head)) throw refusedEncoding('UTF-16 without a byte-order mark');
  return { encoding: 'utf-8', skip: 0 };
}

/** Text in UTF-16 has a NUL in every other byte for ASCII; UTF-8 text has none. */
function looksUtf16(head: Buffer): boolean {
  const sample = head.subarray(0, 512);
  if (sample.length < 2) return false; // an empty file (its own reason, from the reader)
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) even += 1;
    else odd += 1;
  }
  const half = sample.length / 2;
  return Math.max(even, odd) >= half / 4 && Math.min(even, odd) <= half / 16;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** The text of `data` before its first undecodable byte (to say on which line it is). */
function validPrefix(data: Buffer, encoding: string): string {
  const text = new TextDecoder(encoding).decode(data);
  const bad = text.indexOf('\ufffd');
  return bad === -1 ? text : text.slice(0, bad);
}

const saveAs = 'save it as "CSV UTF-8" (or UTF-16 with its byte-order mark)';

function refusedEncoding(what: string) {
  return unreadable(`The file is ${what}, which is not read: ${saveAs}`);
}

function notText(encoding: string, line: number) {
  const name = encoding === 'utf-8' ? 'UTF-8' : encoding.toUpperCase().replace('UTF-16', 'UTF-16 ');
  return unreadable(`The file is not ${name} text (near line ${line}): ${saveAs}`, line);
}
