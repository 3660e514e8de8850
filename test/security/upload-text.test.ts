import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../../src/web/console/upload-forward.js';
import { createHarness, type Harness } from '../harness.js';
import { listen } from '../agents/storefront-agent-support.js';
import {
  availRow,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';
import { rawRequest, uploadFile } from '../support/uploads.js';
import { rowNumberXlsx } from '../support/xlsx-files.js';
import { consoleClient } from '../web/console-client.js';

/**
 * docs/security.md, "Uploads": every value and key read from a feed file or a jsonText passes
 * the storable-text check request bodies pass (NUL, unpaired surrogates, nesting): a bad cell is
 * its row's problem (a diagnostic naming row and column; the other rows pass), a bad header is
 * the file's (a 400 naming the column). Encodings are detected (UTF-8 with or without BOM,
 * UTF-16 with BOM) or refused clearly; malformed multipart and spreadsheet structure are 400.
 * Issue 45 item 3: each of these answered 500.
 */
let h: Harness;
let base: string;
let key: string;
let src: string;
let sourceId: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  const sf = await modularStorefront(h);
  key = sf.seller.key;
  sourceId = sf.sourceId;
  src = `${base}${sources}/${sourceId}`;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const csvUpload = (csv: string | Buffer, name = 'avails.csv') =>
  uploadFile(`${src}/feed/upload`, key, Buffer.isBuffer(csv) ? csv : Buffer.from(csv), name, {
    type: 'text/csv',
  });

const json = (path: string, body: unknown) =>
  h.call('POST', `${sources}/${sourceId}${path}`, { key, body });

/** The refused rows of a preview answer, as row → [column, message] pairs. */
const refusals = (data: {
  rejectedRows: Array<{
    rowNumber: number;
    diagnostics: Array<{ column?: string; field?: string; message: string }>;
  }>;
}) =>
  data.rejectedRows.map((r) => ({
    row: r.rowNumber,
    column: r.diagnostics[0]!.column ?? r.diagnostics[0]!.field,
    message: r.diagnostics[0]!.message,
  }));

function expectFileRefused(
  answer: { status: number; body: { error?: { code: string; field?: string; message: string } } },
  message: RegExp,
) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'file' });
  expect(answer.body.error!.message).toMatch(message);
}

describe('NUL and unpaired surrogates in a file are refused where they are', () => {
  it('refuses a CSV cell holding a NUL as its row’s problem, naming row and column', async () => {
    const csv = [
      header,
      availRow('good', 5000),
      availRow('bad', 5000).replace('Homepage', 'Home\u0000page'),
    ].join('\n');
    const answer = await csvUpload(csv);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 1 });
    expect(refusals(answer.body.data)).toEqual([
      { row: 3, column: 'name', message: expect.stringMatching(/NUL/) },
    ]);
  });

  it('refuses a NUL in a column no avail field reads', async () => {
    const csv = [
      `${header},notes`,
      `${availRow('good', 5000)},fine`,
      `${availRow('bad', 5000)},a\u0000b`,
    ].join('\n');
    const answer = await csvUpload(csv);
    expect(answer.status, answer.text).toBe(200);
    expect(refusals(answer.body.data)).toEqual([
      { row: 3, column: 'notes', message: expect.stringMatching(/NUL/) },
    ]);
  });

  it('refuses a header holding a NUL as the file’s problem, naming the column', async () => {
    const csv = [`${header},no\u0000tes`, `${availRow('good', 5000)},fine`].join('\n');
    const answer = await csvUpload(csv);
    expectFileRefused(answer, /column 12.*NUL/);
  });

  it('refuses \\u0000 and a lone \\ud800 in JSON lines, row by row', async () => {
    const line = (id: string, name: string) =>
      JSON.stringify({
        avail_id: id,
        name: 'x',
        collection: 'hp',
        channel: 'display',
        start_time: '2030-01-01T00:00:00Z',
        end_time: '2030-02-01T00:00:00Z',
        impressions: 1000,
        cpm: 5,
        currency: 'USD',
        formats: 'display_300x250',
        publisher_domain: 'news.example',
      }).replace('"name":"x"', `"name":"${name}"`);
    const file = [line('ok', 'fine'), line('nul', '\\u0000'), line('surrogate', '\\ud800')].join(
      '\n',
    );
    const answer = await uploadFile(`${src}/feed/upload`, key, Buffer.from(file), 'avails.jsonl');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 2 });
    expect(refusals(answer.body.data)).toEqual([
      { row: 2, column: 'name', message: expect.stringMatching(/NUL/) },
      { row: 3, column: 'name', message: expect.stringMatching(/surrogate/) },
    ]);
  });
});

describe('jsonText on the JSON endpoints is read as a file is', () => {
  const item = (id: string, extra: Record<string, unknown> = {}) => ({
    avail_id: id,
    name: `Avail ${id}`,
    collection: 'hp',
    channel: 'display',
    start_time: '2030-01-01T00:00:00Z',
    end_time: '2030-02-01T00:00:00Z',
    impressions: 1000,
    cpm: 5,
    currency: 'USD',
    formats: 'display_300x250',
    publisher_domain: 'news.example',
    ...extra,
  });
  // JSON.stringify writes a lone surrogate as the escape \ud800, as a client would send it.
  const lines = [
    JSON.stringify(item('ok')),
    JSON.stringify(item('nul', { name: 'a\u0000b' })),
    JSON.stringify(item('lone', { name: '\ud800' })),
    JSON.stringify(item('key')).replace('"collection"', '"coll\\u0000ection"'),
  ].join('\n');

  it('feed/preview refuses the rows, not the request', async () => {
    const answer = await json('/feed/preview', {
      contractId: 'static-avails-feed:v1',
      jsonText: lines,
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 3 });
    expect(refusals(answer.body.data).map((r) => r.row)).toEqual([2, 3, 4]);
    expect(refusals(answer.body.data)[2]!.message).toMatch(/field names.*NUL/);
  });

  it('feed/push commits the good row and names the refused ones', async () => {
    const answer = await json('/feed/push', {
      contractId: 'static-avails-feed:v1',
      jsonText: lines,
      deliverySemantics: 'PATCH_UPSERT',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data.summary.ingestedAvailCount).toBe(1);
    expect(answer.body.data.rejectedRows.map((r: { rowNumber: number }) => r.rowNumber)).toEqual([
      2, 3, 4,
    ]);
  });

  it('modular/avails-feed previews the good row and names the refused ones', async () => {
    const answer = await json('/modular/avails-feed', { jsonText: lines });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 3 });
  });

  it('refuses a row nested 100,000 deep without running out of stack', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = `${JSON.stringify(item('ok'))}\n${JSON.stringify(item('deep')).replace('"name":"Avail deep"', `"name":"Avail deep","extra":${deep}`)}`;
    for (const jsonText of [text, `[${text.replace('\n', ',')}]`]) {
      const answer = await json('/feed/preview', { contractId: 'static-avails-feed:v1', jsonText });
      expect(answer.status, answer.text).toBe(200);
      expect(refusals(answer.body.data)).toEqual([
        { row: 2, column: 'extra', message: expect.stringMatching(/deeper than 64/) },
      ]);
    }
  });
});

describe('encodings', () => {
  const csv = [header, availRow('ete', 5000).replace('Homepage takeover ete', 'Été à la une')].join(
    '\r\n',
  );
  const utf16be = (text: string) => {
    const le = Buffer.from(text, 'utf16le');
    for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
    return le;
  };
  const cases: Array<[string, Buffer]> = [
    ['UTF-8', Buffer.from(csv)],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)])],
    [
      'UTF-16 LE with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
    ],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(csv)])],
  ];
  for (const [name, bytes] of cases) {
    it(`reads a CSV in ${name}`, async () => {
      const answer = await csvUpload(bytes);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.data.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 0 });
      expect(answer.body.data.avails[0]).toMatchObject({ availId: 'ete', name: 'Été à la une' });
    });
  }

  it('refuses UTF-16 without a byte-order mark, saying so', async () => {
    expectFileRefused(await csvUpload(Buffer.from(csv, 'utf16le')), /UTF-16/);
  });

  it('refuses bytes that are not UTF-8 (a Windows-1252 export), naming the line', async () => {
    const latin1 = Buffer.from(csv, 'latin1');
    expectFileRefused(await csvUpload(latin1), /not UTF-8.*line 2/);
  });
});

describe('spreadsheet structure', () => {
  it('refuses a row numbered 99999999999 with a 400 naming it', async () => {
    const answer = await uploadFile(
      `${src}/feed/upload`,
      key,
      rowNumberXlsx('99999999999', ['a1', 'Avail']),
      'avails.xlsx',
    );
    expectFileRefused(answer, /99999999999/);
  });
});

describe('malformed multipart', () => {
  for (const path of ['/feed/upload', '/modular/avails-feed/upload']) {
    it(`answers 400 for a body cut short on ${path}`, async () => {
      const boundary = 'cut-short-boundary';
      const { answer } = rawRequest(
        `${src}${path}`,
        {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
        (req) => {
          req.end(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${header}\n${availRow('a', 1)}`,
          );
        },
      );
      const got = await answer;
      expect(got.status, got.text).toBe(400);
      expect(got.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'file' });
    });

    it(`answers 400 for multipart/form-data without a boundary on ${path}`, async () => {
      const { answer } = rawRequest(
        `${src}${path}`,
        {
          authorization: `Bearer ${key}`,
          'content-type': 'multipart/form-data',
          'content-length': '5',
        },
        (req) => void req.end('hello'),
      );
      const got = await answer;
      expect(got.status, got.text).toBe(400);
      expect(got.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(got.body.error.message).toMatch(/boundary/);
    });
  }

  it('refuses a form field holding a NUL, naming it', async () => {
    const answer = await uploadFile(
      `${src}/feed/upload`,
      key,
      Buffer.from(`${header}\n${availRow('a', 1)}`),
      'a.csv',
      {
        fields: { columnMapping: JSON.stringify({ 'Pla\u0000cement': 'name' }) },
      },
    );
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'columnMapping' });
  });
});

describe('the console’s avails upload', () => {
  const client = consoleClient(() => h.app);
  const page = () => `/console/sources/${sourceId}/avails/upload`;

  it('answers 400, not 500, for a form without a boundary', async () => {
    const session = await client.signIn(key);
    const answer = await h.app.inject({
      method: 'POST',
      url: page(),
      headers: { cookie: session.cookie, 'content-type': 'multipart/form-data' },
      payload: 'hello',
    });
    expect(answer.statusCode, answer.body).toBe(400);
  });

  it('previews a file with a NUL in a cell, the row refused at its column', async () => {
    const session = await client.signIn(key);
    const csv = [
      header,
      availRow('fine', 5000),
      availRow('nul', 5000).replace('Homepage', 'Ho\u0000me'),
    ].join('\n');
    const { bytes, contentType } = multipartBody(
      { csrf: session.csrf, form: 'avails-upload', contractId: 'static-avails-feed:v1' },
      { file: Readable.from([Buffer.from(csv)]), filename: 'avails.csv', mimetype: 'text/csv' },
    );
    const answer = await h.app.inject({
      method: 'POST',
      url: page(),
      headers: { cookie: session.cookie, 'content-type': contentType },
      payload: bytes,
    });
    expect(answer.statusCode, answer.body.slice(0, 500)).toBe(200);
    expect(answer.body).toContain('must not contain NUL characters');
  });
});
