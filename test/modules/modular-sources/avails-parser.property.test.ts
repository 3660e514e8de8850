import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { day, modularStorefront, sources } from './support.js';

/**
 * Any file a seller uploads, valid or broken, answers 2xx with every refusal named, or a 4xx:
 * never a 5xx. A preview that accepted rows commits them, and after any commit every buyer's
 * get_products through the storefront agent still answers. Generated CSV and XLSX files: the
 * columns a feed reads under their usual names and aliases, some left out, extra ones, cells
 * valid or not (random text, wrong types, huge and negative numbers, formula-looking cells,
 * long values), CSV in UTF-8 with or without a BOM, CRLF, Latin-1, and broken quoting.
 * A fixed seed and a bounded number of runs keep it reproducible and under a minute.
 *
 * Left out on purpose: NUL bytes and lone surrogates (issue 45 item 3, the upload readers'
 * storable-text check, another change); UTF-16 files (the same change detects encodings).
 */
let h: Harness;
let base: string;
let seller: { key: string; sourceId: string; platformId: string };
let agents: Array<{ agent: Awaited<ReturnType<typeof agentClient>>; account: unknown }> = [];

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  const sf = await modularStorefront(h);
  seller = { key: sf.seller.key, sourceId: sf.sourceId, platformId: sf.platformId };
  agents = await Promise.all(
    [1, 2].map(async () => {
      const { buyer, account } = await agencyBuying(h);
      return { agent: await agentClient(base, sf.platformId, buyer.key), account };
    }),
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(agents.map((a) => a.agent.close()));
  await h?.close();
});

type Cell = string | number | boolean | Date | { formula: string; result: number } | null;

/** No NUL: the readers' storable-text check is another change (see above). */
const text = (max: number, min = 0) =>
  fc
    .oneof(
      fc.string({ minLength: min, maxLength: max }),
      fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
      fc.string({ unit: 'binary', minLength: min, maxLength: max }),
    )
    .map((s) => s.split(String.fromCharCode(0)).join(''));

const junk: fc.Arbitrary<Cell> = fc.oneof(
  text(20),
  text(3000, 256),
  fc.constantFrom(
    '=HYPERLINK("http://evil.example","x")',
    '=1+1',
    '+1',
    '-5',
    '@SUM(A1:A2)',
    '9999999999.99999',
    '1e400',
    'NaN',
    '-0',
    '0x10',
    '1,000,000',
    '$12.50',
    '2025-02-30',
    '0000-01-01',
    '',
    'TRUE',
  ),
  fc.double().map(String),
  fc.integer({ min: -1e15, max: 1e15 }).map(String),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.date({ min: new Date('1900-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
  fc.constant({ formula: 'A1*2', result: 7 }),
  fc.constant(null),
);

const started = fc.integer({ min: -30, max: 0 }).map((n) => day(n).slice(0, 10));
const ending = fc.integer({ min: 31, max: 90 }).map((n) => day(n).slice(0, 10));

/**
 * The columns a feed reads, each under names people give it, with values that sell (`good`) and
 * values of the right type that a row cannot sell with (`odd`: an unknown channel, a flight over).
 */
const columns: Array<{ names: string[]; good: fc.Arbitrary<Cell>; odd: fc.Arbitrary<Cell> }> = [
  {
    names: ['avail_id', 'ID', 'Placement ID'],
    good: fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/),
    odd: text(300, 256),
  },
  { names: ['name', 'Placement', 'Name'], good: text(40), odd: text(400, 256) },
  {
    names: ['channel', 'Channel', 'Media'],
    good: fc.constantFrom('display', 'olv', 'Online video', 'CTV', 'radio'),
    odd: fc.constantFrom('billboards', 'TV-ish'),
  },
  {
    names: ['start_time', 'Start', 'Start date'],
    good: started,
    odd: fc.constantFrom('2025-02-30', 'soon', '0000-01-01'),
  },
  {
    names: ['end_time', 'End', 'End date'],
    good: ending,
    odd: fc.constantFrom('2025-03-31', day(-1).slice(0, 10), '10000-01-01'),
  },
  {
    names: ['impressions', 'Imps', 'Impressions'],
    good: fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.constant('1,000,000')),
    odd: fc.constantFrom(0, -5, '1.5', 'lots', 2 ** 60),
  },
  {
    names: ['cpm', 'Rate', 'CPM', 'Price'],
    good: fc.oneof(fc.double({ min: 0, max: 999, noNaN: true }), fc.constant('$12.50')),
    odd: fc.constantFrom(99_999_999, '9999999999.99999', -1, 'free', 999.99995),
  },
  {
    names: ['currency', 'Currency'],
    good: fc.constantFrom('USD', 'EUR', 'usd'),
    odd: fc.constantFrom('XXX1', 'DOLLARS', 'ZZZ'),
  },
  {
    names: ['formats', 'Format', 'Size'],
    good: fc.constantFrom(
      'MPU',
      '728x90',
      'display_300x250',
      '15s video',
      'MPU, leaderboard',
      'native',
    ),
    odd: fc.constantFrom('hologram', '123x45', 'leaderboard 300x250', '[{"format_kind":"nope"}]'),
  },
  {
    names: ['publisher_domain', 'Domain'],
    good: fc.constant('news.example'),
    odd: fc.constant('not a domain'),
  },
  {
    names: ['pricing_model'],
    good: fc.constantFrom('cpm', 'CPM'),
    odd: fc.constantFrom('flat_rate', 'per spot'),
  },
  { names: ['Notes', 'Internal ref'], good: text(50), odd: text(3000, 256) },
];

type Column = (typeof columns)[number];

/** A file: some columns under one of their names, and rows whose cells are mostly valid. */
const upload = fc.record({
  kind: fc.constantFrom('csv', 'xlsx'),
  encoding: fc.constantFrom('utf8', 'bom', 'crlf', 'latin1', 'broken-quote'),
  semantics: fc.constantFrom('FULL_REPLACEMENT', 'PATCH_UPSERT'),
  // Often every column (so rows can sell), else any subset in any order.
  sheet: fc
    .oneof(
      { weight: 2, arbitrary: fc.constant(columns) },
      { weight: 3, arbitrary: fc.shuffledSubarray(columns, { maxLength: columns.length }) },
    )
    .chain((picked: Column[]) =>
      fc.record({
        names: fc.tuple(...picked.map((c) => fc.constantFrom(...c.names))),
        rows: fc.array(
          fc.tuple(
            ...picked.map((c) =>
              fc.oneof(
                { weight: 20, arbitrary: c.good },
                { weight: 1, arbitrary: c.odd },
                { weight: 1, arbitrary: junk },
              ),
            ),
          ),
          { maxLength: 6 },
        ),
      }),
    ),
});

const quoted = (cell: Cell) => {
  const s =
    cell === null
      ? ''
      : cell instanceof Date
        ? Number.isNaN(cell.getTime())
          ? ''
          : cell.toISOString()
        : typeof cell === 'object'
          ? `=${cell.formula}`
          : String(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function csvBytes(names: string[], rows: Cell[][], encoding: string): Buffer {
  const eol = encoding === 'crlf' ? '\r\n' : '\n';
  let body = [names.map(quoted).join(','), ...rows.map((r) => r.map(quoted).join(','))].join(eol);
  if (encoding === 'broken-quote') body = body.replace(/,/, ',"');
  if (encoding === 'latin1') return Buffer.from(body, 'latin1');
  const bytes = Buffer.from(body, 'utf8');
  return encoding === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes;
}

async function xlsxBytes(names: string[], rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Avails');
  sheet.addRow(names);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function send(bytes: Buffer, kind: string, semantics: string) {
  const form = new FormData();
  form.append('contractId', 'static-avails-feed:v1');
  form.append('deliverySemantics', semantics);
  const type =
    kind === 'csv'
      ? 'text/csv'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  form.append('file', new Blob([bytes], { type }), `avails.${kind}`);
  const response = await fetch(`${base}${sources}/${seller.sourceId}/feed/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${seller.key}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('the avails parser under generated uploads', () => {
  it('answers 2xx with named refusals or a 4xx, commits what it accepted, and buyers still get products', async () => {
    let previews = 0;
    let commits = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(upload, async (u) => {
        const { names, rows } = u.sheet as { names: string[]; rows: Cell[][] };
        const bytes =
          u.kind === 'csv' ? csvBytes(names, rows, u.encoding) : await xlsxBytes(names, rows);
        const answer = await send(bytes, u.kind, u.semantics);
        expect(answer.status, JSON.stringify(answer.body).slice(0, 2000)).toBeLessThan(500);
        if (answer.status !== 200) {
          // A refused file names what is wrong with it, in the envelope.
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.body.error.message).toBeTruthy();
          refusals += 1;
          return;
        }
        previews += 1;
        const data = answer.body.data;
        for (const refused of data.rejectedRows as Array<{
          rowNumber: number;
          diagnostics: Array<{ code: string; message: string }>;
        }>) {
          expect(refused.diagnostics.length, JSON.stringify(refused)).toBeGreaterThan(0);
          for (const d of refused.diagnostics) {
            expect(d.code).toBeTruthy();
            expect(d.message).toBeTruthy();
          }
        }
        if (data.summary.parsedAvailCount === 0) return;
        const committed = await h.call('POST', `${sources}/${seller.sourceId}/feed/commit`, {
          key: seller.key,
          body: { feedId: data.feedId, previewBaseline: data.previewBaseline },
        });
        expect(committed.status, committed.text).toBe(200);
        commits += 1;
        for (const { agent, account } of agents) {
          for (const ask of [
            { buying_mode: 'wholesale' },
            { buying_mode: 'brief', brief: 'homepage display video', account },
          ]) {
            const found = await agent.call('get_products', ask);
            expect(found.isError, JSON.stringify(found).slice(0, 2000)).toBe(false);
            expect(Array.isArray(found.products)).toBe(true);
          }
        }
      }),
      { seed: 4_404, numRuns: 40, endOnFailure: true },
    );
    // The generator reaches every outcome: refused files, previews, and commits.
    expect(previews).toBeGreaterThan(5);
    expect(commits).toBeGreaterThan(2);
    expect(refusals).toBeGreaterThan(0);
  }, 120_000);
});
