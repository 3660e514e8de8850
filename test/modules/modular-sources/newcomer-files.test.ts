import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { uploadFile } from '../../support/uploads.js';
import { availColumns, rowXml, sheetXml, xlsxOf } from '../../support/xlsx-files.js';
import { availRow, header, modularStorefront, sources } from './support.js';

/*
 * Issue 69 item 5: the files a publisher new to Interchange first uploads. An empty file is
 * refused as empty (it was refused as "UTF-16 without a byte-order mark"); a file with only a
 * header is refused at preview (it was offered "put 0 avails on sale and take N off sale", whose
 * commit then failed); a CSV from Excel in a decimal-comma locale (semicolons, 12,5) is read.
 */
let h: Harness;
let upload: (csv: string) => ReturnType<typeof uploadFile>;
let uploadXlsx: (xlsx: Buffer) => ReturnType<typeof uploadFile>;

beforeAll(async () => {
  h = await createHarness();
  const base = await listen(h);
  const sf = await modularStorefront(h);
  upload = (csv) =>
    uploadFile(
      `${base}${sources}/${sf.sourceId}/feed/upload`,
      sf.seller.key,
      Buffer.from(csv),
      'avails.csv',
      {
        type: 'text/csv',
      },
    );
  uploadXlsx = (xlsx) =>
    uploadFile(`${base}${sources}/${sf.sourceId}/feed/upload`, sf.seller.key, xlsx, 'avails.xlsx', {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
}, 120_000);
afterAll(() => h?.close());

function expectRefused(
  answer: { status: number; body: { error?: { message: string } } },
  message: RegExp,
) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'file' });
  expect(answer.body.error?.message).toMatch(message);
}

describe('the first files a publisher uploads', () => {
  it('refuses an empty file as empty', async () => {
    for (const empty of ['', '\ufeff', '\n\n']) {
      const answer = await upload(empty);
      expectRefused(answer, /empty/);
      expect(answer.body.error.message).not.toMatch(/UTF-16/);
    }
  });

  it('refuses a file holding only its header, offering nothing to commit', async () => {
    expectRefused(await upload(`${header}\n`), /header row and no avails/);
    expectRefused(await upload(`${header.replaceAll(',', ';')}\r\n`), /no avails.*";"/);
    const headerOnly = xlsxOf({ sheet: sheetXml(rowXml(1, availColumns)) });
    expectRefused(await uploadXlsx(headerOnly), /no avails under its header/);
  });

  it('reads a semicolon-separated CSV with decimal commas as the publisher wrote it', async () => {
    const euro = (row: string) => row.replaceAll(',', ';');
    const csv = [
      euro(header),
      euro(availRow('hp-1', 120000)).replace(/;20;USD;/, ';12,5;USD;'),
      euro(availRow('hp-2', 80000)).replace(/;80000;20;USD;/, ';1.200.000;8,75;USD;'),
    ].join('\r\n');
    const answer = await upload(csv);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const data = answer.body.data;
    expect(data.summary).toMatchObject({ parsedAvailCount: 2, rejectedRowCount: 0 });
    expect(
      data.avails.map((a: { availId: string; cpm: number; impressionsCapacity: number }) => ({
        id: a.availId,
        cpm: a.cpm,
        capacity: a.impressionsCapacity,
      })),
    ).toEqual([
      { id: 'hp-1', cpm: 12.5, capacity: 120000 },
      { id: 'hp-2', cpm: 8.75, capacity: 1200000 },
    ]);
  });
});
