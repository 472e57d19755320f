import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { ConfigurationError, InputFileError } from '../../../lambdas/core/errors';
import {
  type CsvEvent,
  type CsvHeaderEvent,
  type CsvRejectEvent,
  type CsvRowEvent,
  type ReadCsvOptions,
  readCsv,
  readCsvText,
} from '../../../lambdas/core/ingest/csv-reader';

const FIXTURES = join(__dirname, '../../fixtures/bad-input');
const DEFAULTS: ReadCsvOptions = { delimiter: 'auto', encoding: 'auto', trim: false };
const LINE_BREAK = /\r\n|\r|\n/;
const BLANK = /^[ \t]*$/;

const optionsSchema = z
  .object({
    delimiter: z.string().optional(),
    encoding: z.enum(['auto', 'utf-8', 'windows-1252', 'latin1']).optional(),
    trim: z.boolean().optional(),
    maxRecordChars: z.number().int().positive().optional(),
    detectionBytes: z.number().int().positive().optional(),
  })
  .strict();
const errorExpectation = z.object({ error: z.object({ name: z.string(), message: z.string() }).strict() }).strict();
const readExpectation = z
  .object({
    header: z.array(z.string()),
    delimiter: z.string().optional(),
    encoding: z.string().optional(),
    rows: z.number().int().nonnegative(),
    values: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    rejects: z.array(z.object({ line: z.number().int().positive(), reason: z.string() }).strict()),
  })
  .strict();
const manifestSchema = z.object({
  $comment: z.string().optional(),
  cases: z.array(
    z
      .object({
        file: z.string(),
        description: z.string().optional(),
        options: optionsSchema.optional(),
        expect: z.union([errorExpectation, readExpectation]),
      })
      .strict(),
  ),
});
type ReadExpectation = z.infer<typeof readExpectation>;

const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')));

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(events: AsyncIterable<CsvEvent>): Promise<CsvEvent[]> {
  const out: CsvEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const rowsOf = (events: CsvEvent[]): CsvRowEvent[] => events.filter((e): e is CsvRowEvent => e.kind === 'row');
const rejectsOf = (events: CsvEvent[]): CsvRejectEvent[] => events.filter((e): e is CsvRejectEvent => e.kind === 'reject');

/**
 * Every non-blank physical line of the file is covered exactly once: by the header (the first non-blank lines, before
 * any row) or by the row/reject starting at `line` and spanning the line breaks of its `raw`, whose text must equal the
 * file's lines there.
 */
function assertEveryLineAccounted(bytes: Buffer, events: CsvEvent[], maxRecordChars = Infinity): void {
  const header = events[0] as CsvHeaderEvent;
  const physical = iconv.decode(bytes, header.encoding).split(LINE_BREAK);
  const covered = new Set<number>();
  for (const event of events.slice(1)) {
    if (event.kind === 'header') throw new Error('second header event');
    event.raw.split(LINE_BREAK).forEach((text, k) => {
      const line = event.line + k;
      expect({ line, covered: covered.has(line) }).toEqual({ line, covered: false });
      // Lines of an over-long record are kept up to maxRecordChars characters.
      const truncated = event.kind === 'reject' && text.length === maxRecordChars;
      const expected = truncated ? physical[line - 1].slice(0, maxRecordChars) : physical[line - 1];
      expect({ line, text }).toEqual({ line, text: expected });
      covered.add(line);
    });
  }
  const nonBlank = physical.flatMap((text, i) => (BLANK.test(text) ? [] : [i + 1]));
  const uncovered = nonBlank.filter((line) => !covered.has(line));
  const firstEventLine = Math.min(...events.slice(1).map((e) => (e.kind === 'header' ? Infinity : e.line)));
  expect(uncovered.length).toBeGreaterThan(0);
  expect(uncovered[0]).toBe(nonBlank[0]);
  for (const line of uncovered) expect(line).toBeLessThan(firstEventLine);
}

function assertExpected(events: CsvEvent[], expected: ReadExpectation): void {
  const [header, ...rest] = events;
  expect(header.kind).toBe('header');
  if (header.kind !== 'header') return;
  expect(header.columns).toEqual(expected.header);
  if (expected.delimiter !== undefined) expect(header.delimiter).toBe(expected.delimiter);
  if (expected.encoding !== undefined) expect(header.encoding).toBe(expected.encoding);
  expect(rest.every((e) => e.kind !== 'header')).toBe(true);
  const rows = rowsOf(events);
  expect(rows).toHaveLength(expected.rows);
  for (const [line, values] of Object.entries(expected.values ?? {})) {
    const row = rows.find((r) => r.line === Number(line));
    expect({ line, values: row?.values }).toEqual({ line, values: expect.objectContaining(values) });
  }
  for (const row of rows) expect(Object.keys(row.values)).toEqual(expected.header);
  const rejects = rejectsOf(events);
  expect(rejects.map((r) => r.line)).toEqual(expected.rejects.map((r) => r.line));
  rejects.forEach((reject, i) => expect(reject.reason).toMatch(new RegExp(expected.rejects[i].reason)));
  // Events come in file order.
  const lines = rest.map((e) => (e.kind === 'header' ? 0 : e.line));
  expect(lines).toEqual([...lines].sort((a, b) => a - b));
}

describe('readCsv over the bad-input fixture corpus', () => {
  it('lists every fixture file in the manifest and every manifest file exists', () => {
    const listed = new Set(manifest.cases.map((c) => c.file));
    const present = readdirSync(FIXTURES).filter((f) => f.endsWith('.csv'));
    expect(present.filter((f) => !listed.has(f))).toEqual([]);
    expect([...listed].filter((f) => !present.includes(f))).toEqual([]);
  });

  describe.each(manifest.cases.map((c) => [`${c.file}${c.description ? ` (${c.description})` : ''}`, c] as const))(
    '%s',
    (_title, testCase) => {
      const bytes = readFileSync(join(FIXTURES, testCase.file));
      const options: ReadCsvOptions = { ...DEFAULTS, ...testCase.options };
      const expected = testCase.expect;

      if ('error' in expected) {
        it(`throws ${expected.error.name} before any row`, async () => {
          let thrown: unknown;
          try {
            readCsvText(bytes, options);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(InputFileError);
          expect((thrown as Error).name).toBe(expected.error.name);
          expect((thrown as Error).message).toMatch(new RegExp(expected.error.message));
          const seen: CsvEvent[] = [];
          await expect(
            (async () => {
              for await (const event of readCsv(chunked(bytes, 3), options)) seen.push(event);
            })(),
          ).rejects.toThrow(new RegExp(expected.error.message));
          expect(seen.filter((e) => e.kind !== 'header')).toEqual([]);
        });
        return;
      }

      it('produces the expected header, rows and rejects', () => {
        assertExpected(readCsvText(bytes, options), expected);
      });

      it('accounts for every non-blank physical line exactly once', () => {
        assertEveryLineAccounted(bytes, readCsvText(bytes, options));
      });

      it('gives the same events however the stream is chunked', async () => {
        const whole = readCsvText(bytes, options);
        for (const size of [1, 2, 3, 5, 16, 1000]) {
          expect({ size, events: await collect(readCsv(chunked(bytes, size), options)) }).toEqual({ size, events: whole });
        }
      });
    },
  );
});

describe('readCsv beyond the fixtures', () => {
  it('reads a 1 MB quoted field with newlines and quotes, and a 1 MB unquoted field, in 64 KiB chunks', async () => {
    const big = 'x'.repeat(400_000) + '\n"quoted" ""\r\n' + 'é'.repeat(600_000);
    const plain = 'p'.repeat(1_048_576);
    const text = `id,big,after\n1,"${big.replaceAll('"', '""')}",a\n2,${plain},b\n3,c,d\n`;
    const events = await collect(readCsv(chunked(Buffer.from(text), 64 * 1024), DEFAULTS));
    const rows = rowsOf(events);
    expect(rows.map((r) => r.line)).toEqual([2, 5, 6]);
    expect(rows[0].values.big).toBe(big);
    expect(rows[1].values.big).toBe(plain);
    expect(rows[2].values).toEqual({ id: '3', big: 'c', after: 'd' });
  });

  it('rejects rows with invalid UTF-8 after the 64 KiB detection window, without touching other rows', async () => {
    const ascii = Array.from({ length: 6000 }, (_, i) => `${i},name${i},ok`).join('\n');
    expect(ascii.length).toBeGreaterThan(64 * 1024);
    const bytes = Buffer.concat([
      Buffer.from(`id,name,note\n${ascii}\n`),
      Buffer.from([0x39, 0x39, 0x39, 0x39, 0x2c, 0x52, 0x65, 0x6e, 0xe9, 0x65, 0x2c, 0x80, 0x0a]), // 9999,Ren\xE9e,\x80
      Buffer.from('10000,Zoë,fine\n'),
    ]);
    const events = await collect(readCsv(chunked(bytes, 10_000), DEFAULTS));
    expect((events[0] as CsvHeaderEvent).encoding).toBe('utf-8');
    expect(rowsOf(events)).toHaveLength(6001);
    expect(rowsOf(events).at(-1)?.values.name).toBe('Zoë');
    expect(rejectsOf(events)).toEqual([{ kind: 'reject', line: 6002, reason: 'invalid UTF-8', raw: '9999,Ren\uFFFDe,\uFFFD' }]);

    const explicit = await collect(readCsv(chunked(bytes.subarray(0, bytes.length - 16), 10_000), { ...DEFAULTS, encoding: 'windows-1252' }));
    expect(rejectsOf(explicit)).toEqual([]);
    expect(rowsOf(explicit).at(-1)?.values).toEqual({ id: '9999', name: 'Renée', note: '€' });
  });

  it('keeps memory bounded on a runaway quote: every later line is rejected as it streams by', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i},row ${i}`);
    const text = `id,name\n1,"runaway\n${lines.join('\n')}\n`;
    const options = { ...DEFAULTS, maxRecordChars: 10_000 };
    const events = await collect(readCsv(chunked(Buffer.from(text), 4096), options));
    const rejects = rejectsOf(events);
    expect(rowsOf(events)).toEqual([]);
    expect(rejects).toHaveLength(20_001);
    expect(rejects[0]).toMatchObject({ line: 2, raw: '1,"runaway' });
    expect(rejects.at(-1)).toMatchObject({ line: 20_002, raw: '19999,row 19999' });
    expect(new Set(rejects.map((r) => r.reason))).toEqual(
      new Set(['unterminated quoted field starting at line 2 (no closing quote within 10000 characters)']),
    );
  });

  it('rejects an over-long unquoted record line by line and resumes on the next record', () => {
    const events = readCsvText(`id,name\n1,${'y'.repeat(50)}\n2,ok\n`, { ...DEFAULTS, maxRecordChars: 20 });
    expect(rejectsOf(events)).toEqual([
      { kind: 'reject', line: 2, reason: 'record starting at line 2 is longer than 20 characters', raw: `1,${'y'.repeat(18)}` },
    ]);
    expect(rowsOf(events)).toEqual([{ kind: 'row', line: 3, values: { id: '2', name: 'ok' }, raw: '2,ok' }]);
  });

  it('rejects ill-formed UTF-8 (encoded surrogate, overlong, beyond U+10FFFF, truncated) however it is chunked', async () => {
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,😀 ok\n'),
      Buffer.from([0x32, 0x2c, 0xed, 0xa0, 0x80, 0x0a]), // 2,<surrogate D800>
      Buffer.from([0x33, 0x2c, 0xc0, 0xaf, 0x0a]), // 3,<overlong "/">
      Buffer.from([0x34, 0x2c, 0xf4, 0x90, 0x80, 0x80, 0x0a]), // 4,<U+110000>
      Buffer.from([0x35, 0x2c, 0xe2, 0x82, 0x0a]), // 5,<truncated "€">
      Buffer.from('6,Zoë\n7,x'),
      Buffer.from([0xe2, 0x82]), // truncated at end of file
    ]);
    const options: ReadCsvOptions = { ...DEFAULTS, encoding: 'utf-8' };
    const whole = readCsvText(bytes, options);
    expect(rowsOf(whole).map((r) => r.values.name)).toEqual(['😀 ok', 'Zoë']);
    expect(rejectsOf(whole).map((r) => [r.line, r.reason])).toEqual(
      [3, 4, 5, 6, 8].map((line) => [line, 'invalid UTF-8']),
    );
    for (const size of [1, 2, 3, 4]) expect(await collect(readCsv(chunked(bytes, size), options))).toEqual(whole);
  });

  it('handles CRLF and lone CR the same way in discard mode, however it is chunked', async () => {
    const lf = readFileSync(join(FIXTURES, 'unterminated-quote-overflow.csv'), 'latin1');
    const options = { ...DEFAULTS, maxRecordChars: 30 };
    const linesOf = (events: CsvEvent[]): unknown[] =>
      events.slice(1).map((e) => (e.kind === 'header' ? null : [e.kind, e.line, e.raw.split(LINE_BREAK).length]));
    const expected = linesOf(readCsvText(lf, options));
    for (const ending of ['\r\n', '\r']) {
      const bytes = Buffer.from(lf.replaceAll('\n', ending));
      const whole = readCsvText(bytes, options);
      expect(linesOf(whole)).toEqual(expected);
      for (const size of [1, 2, 3, 7]) expect(await collect(readCsv(chunked(bytes, size), options))).toEqual(whole);
    }
  });

  it('survives random garbage: same events for every chunking, every non-blank line accounted for', async () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const alphabet = ['a', 'b', ' ', ',', ',', '"', '""', '\n', '\n', '\r\n', '\r', ';', '\t', 'é', '😀', '='];
    let documents = 0;
    for (let d = 0; d < 300; d++) {
      const text = 'h1,h2,h3\n' + Array.from({ length: random(60) }, () => alphabet[random(alphabet.length)]).join('');
      const bytes = Buffer.from(text);
      const options: ReadCsvOptions = { ...DEFAULTS, trim: random(2) === 1, maxRecordChars: 8 + random(30) };
      const whole = readCsvText(bytes, options);
      assertEveryLineAccounted(bytes, whole, options.maxRecordChars);
      for (const size of [1, 2, 5]) {
        expect({ text, size, events: await collect(readCsv(chunked(bytes, size), options)) }).toEqual({ text, size, events: whole });
      }
      documents++;
    }
    expect(documents).toBe(300);
  });

  it('throws header errors on the first pull, before reading further rows', async () => {
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('id,email,email\n');
      for (;;) yield Buffer.from('1,a,b\n'.repeat(1000));
    }
    await expect(readCsv(endless(), DEFAULTS).next()).rejects.toThrow(
      new InputFileError('header has duplicate column names: "email" (columns 2 and 3)'),
    );
  });

  it('reads a Node Readable stream (S3 Body) and does not interpret values', async () => {
    const stream = Readable.from([Buffer.from('id,cmd\n1,=cmd|'), Buffer.from("' /C calc'!A0\n")]);
    const events = await collect(readCsv(stream, DEFAULTS));
    expect(rowsOf(events)[0].values.cmd).toBe("=cmd|' /C calc'!A0");
  });

  it('reads strings as text whatever the encoding option says', () => {
    const events = readCsvText('\uFEFFid,name\n1,Renée\n', { ...DEFAULTS, encoding: 'windows-1252' });
    expect(events[0]).toEqual({ kind: 'header', columns: ['id', 'name'], delimiter: ',', encoding: 'utf-8' });
    expect(rowsOf(events)[0].values.name).toBe('Renée');
  });

  it('rejects unusable delimiters with a ConfigurationError', () => {
    for (const delimiter of ['"', '\n', ';;', '']) {
      expect(() => readCsvText('a\n', { ...DEFAULTS, delimiter })).toThrow(ConfigurationError);
    }
  });

  it('never puts values into reasons or error messages', () => {
    const secret = 'Jane.Secret@example.com';
    const events = readCsvText(`id,email\n1,"${secret}"x\n2,${secret},extra\n3,"${secret}`, DEFAULTS);
    for (const reject of rejectsOf(events)) expect(reject.reason).not.toContain('Secret');
    expect(() => readCsvText(`id,"${secret}"x\n`, DEFAULTS)).toThrow(/^(?!.*Secret)/);
  });
});
