import { TextDecoder } from 'node:util';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { checkDeadline, pastLimit, type ReadLimits, unreadable } from '../limits.js';

/**
 * The zip inside a workbook, read from the spooled file by its central directory (so entries
 * are read in the order we choose, and only those we need) and inflated under the upload
 * limits: bytes per entry, bytes of all entries together, and a compression ratio checked as
 * the bytes come, so a bomb is stopped within its first megabytes. What the headers declare
 * is never believed: the bytes inflated are counted.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

export interface Zip {
  entries: Map<string, ZipEntry>;
  /** The inflated bytes of an entry as UTF-8 text, chunk by chunk. */
  text(entry: ZipEntry): AsyncGenerator<string>;
}

const maxEntries = 10_000;
// An entry may inflate this much whatever its ratio: small parts are often highly compressed.
const ratioAllowance = 1024 * 1024;

const notWorkbook = (why: string) =>
  unreadable(`The file is not an XLSX workbook (${why}): save the sheet as .xlsx or .csv`);

export async function openZip(path: string, limits: ReadLimits): Promise<Zip> {
  const entries = await centralDirectory(path);
  let inflatedTotal = 0;
  const { xlsx } = limits;

  async function* text(entry: ZipEntry): AsyncGenerator<string> {
    const start = await dataStart(path, entry);
    if (entry.compressedSize === 0) return;
    const source = createReadStream(path, {
      start,
      end: start + entry.compressedSize - 1,
      highWaterMark: 64 * 1024,
    });
    let fed = 0;
    source.on('data', (chunk) => (fed += chunk.length));
    const inflated = entry.method === 8 ? source.pipe(createInflateRaw()) : source;
    source.on('error', (error) => inflated.destroy(error));
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let bytes = 0;
    try {
      for await (const chunk of inflated as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        inflatedTotal += chunk.length;
        if (bytes > xlsx.maxEntryBytes) {
          throw pastLimit(
            `A part of the workbook (${entry.name}) inflates past ${xlsx.maxEntryBytes} bytes (INTERCHANGE_XLSX_MAX_ENTRY_BYTES)`,
            'INTERCHANGE_XLSX_MAX_ENTRY_BYTES',
          );
        }
        if (inflatedTotal > xlsx.maxInflatedBytes) {
          throw pastLimit(
            `The workbook inflates past ${xlsx.maxInflatedBytes} bytes (INTERCHANGE_XLSX_MAX_INFLATED_BYTES)`,
            'INTERCHANGE_XLSX_MAX_INFLATED_BYTES',
          );
        }
        if (bytes > xlsx.maxRatio * fed + ratioAllowance) {
          throw pastLimit(
            `A part of the workbook (${entry.name}) is compressed more than ${xlsx.maxRatio} to 1 (INTERCHANGE_XLSX_MAX_RATIO): it is read as a zip bomb`,
            'INTERCHANGE_XLSX_MAX_RATIO',
          );
        }
        checkDeadline(limits, entry.name);
        yield decodeXml(decoder, chunk, entry.name, true);
      }
      yield decodeXml(decoder, Buffer.alloc(0), entry.name, false);
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('Z_')) {
        throw notWorkbook(`${entry.name} is not valid deflate data`);
      }
      throw error;
    } finally {
      source.destroy();
      inflated.destroy();
    }
  }

  return { entries, text };
}

function decodeXml(decoder: TextDecoder, chunk: Buffer, name: string, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    throw notWorkbook(`${name} is not UTF-8 XML`);
  }
}

async function centralDirectory(path: string): Promise<Map<string, ZipEntry>> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailSize = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailSize);
    await file.read(tail, 0, tailSize, size - tailSize);
    let end = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        end = i;
        break;
      }
    }
    if (end < 0) throw notWorkbook('no zip directory');
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directoryOffset === 0xffffffff) {
      throw notWorkbook('a ZIP64 archive, which is not read');
    }
    if (count > maxEntries) throw notWorkbook(`more than ${maxEntries} parts`);
    if (directoryOffset + directorySize > size) throw notWorkbook('its zip directory is cut short');
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    return parseDirectory(directory, count, size);
  } finally {
    await file.close();
  }
}

function parseDirectory(directory: Buffer, count: number, fileSize: number) {
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50) {
      throw notWorkbook('its zip directory is malformed');
    }
    const flags = directory.readUInt16LE(at + 8);
    const method = directory.readUInt16LE(at + 10);
    const compressedSize = directory.readUInt32LE(at + 20);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const localOffset = directory.readUInt32LE(at + 42);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1)
      throw unreadable('The workbook is password-protected: save it without a password');
    if (method !== 0 && method !== 8) throw notWorkbook(`${name} uses zip method ${method}`);
    if (compressedSize === 0xffffffff || localOffset + compressedSize > fileSize) {
      throw notWorkbook(`${name} lies outside the file`);
    }
    entries.set(name.replace(/^\/+/, ''), { name, method, compressedSize, localOffset });
  }
  return entries;
}

/** Where an entry's compressed bytes begin: past its local header, whose lengths may differ. */
async function dataStart(path: string, entry: ZipEntry): Promise<number> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(30);
    const { bytesRead } = await file.read(header, 0, 30, entry.localOffset);
    if (bytesRead < 30 || header.readUInt32LE(0) !== 0x04034b50) {
      throw notWorkbook(`${entry.name} has no local header`);
    }
    return entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await file.close();
  }
}
