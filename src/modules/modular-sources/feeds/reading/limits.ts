import { AppError, invalid } from '../../../../platform/errors.js';

/** How far a feed is read once its bytes are here: rows, time, and a workbook's inflation. */
export interface ReadLimits {
  /** Rows, every row element counted (an XLSX's empty rows too). */
  maxRows: number;
  /** A read that passes this instant is stopped. */
  deadline: number;
  /** A JSON array is parsed whole: at most this many bytes of it. */
  maxJsonBytes: number;
  xlsx: XlsxLimits;
}

/** docs/security.md, "Uploads": a workbook is a zip, inflated under these bounds. */
export interface XlsxLimits {
  maxEntryBytes: number;
  maxInflatedBytes: number;
  /** Inflated bytes per compressed byte, past an entry's first MiB. */
  maxRatio: number;
  maxSharedStrings: number;
  maxSharedChars: number;
}

/** A bound of the read passed: 413 naming the bound and the variable that sets it. */
export function pastLimit(message: string, variable: string): AppError {
  return new AppError('too_large', message, { field: 'file', details: { limit: variable } });
}

export function tooManyRows(maxRows: number): AppError {
  return pastLimit(
    `The feed has more than ${maxRows} rows (INTERCHANGE_FEED_MAX_ROWS; empty rows count); split it`,
    'INTERCHANGE_FEED_MAX_ROWS',
  );
}

/** Throws once the read's deadline has passed; cheap enough to call per row and per chunk. */
export function checkDeadline(limits: Pick<ReadLimits, 'deadline'>, where: string): void {
  if (Date.now() <= limits.deadline) return;
  throw pastLimit(
    `The feed took too long to read (INTERCHANGE_FEED_PARSE_SECONDS; stopped at ${where}); split it`,
    'INTERCHANGE_FEED_PARSE_SECONDS',
  );
}

/** The file cannot be read as what it claims to be: 400 naming the file, and where. */
export function unreadable(message: string, rowNumber?: number): AppError {
  return invalid(message, 'file', rowNumber === undefined ? undefined : { rowNumber });
}
