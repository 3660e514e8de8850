/*
 * JSON whose integers may be 64-bit (Amazon Ads' Sponsored Display ids are int64 numbers, and
 * many are past 2^53, where a JavaScript number silently rounds them to a neighbour's id).
 * `parseLossless` reads an integer that a number cannot hold exactly as a string of its digits;
 * `stringifyLossless` writes a bigint as a bare JSON number.
 */

/** JSON.parse, with integers beyond Number.MAX_SAFE_INTEGER read as digit strings. */
export function parseLossless(text: string): unknown {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    const startsNumber = c === 0x2d || (c >= 0x30 && c <= 0x39);
    if (!startsNumber) continue;
    let end = i + 1;
    while (end < text.length && /[0-9eE.+-]/.test(text[end]!)) end++;
    const token = text.slice(i, end);
    if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
      out += `${text.slice(from, i)}"${token}"`;
      from = end;
    }
    i = end - 1;
  }
  return JSON.parse(from === 0 ? text : out + text.slice(from));
}

const marker = '\u0000bigint:';

/** JSON.stringify, with bigints written as bare numbers (their exact digits). */
export function stringifyLossless(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? `${marker}${v.toString()}` : v,
  );
  return json.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
