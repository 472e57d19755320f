import { Writable } from 'node:stream';
import { type CsvRowEvent, readCsvText } from '../../../lambdas/core/ingest/csv-reader';
import { CsvWriter, type CsvValue, csvCell, csvChunks, csvReadable, csvRow } from '../../../lambdas/core/ingest/csv-writer';

describe('csvCell', () => {
  it.each<[CsvValue, string]>([
    [null, ''],
    ['', ''],
    ['plain', 'plain'],
    ['Renée 😀', 'Renée 😀'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' leading', '" leading"'],
    ['trailing ', '"trailing "'],
    ['mid space', 'mid space'],
    ["it's", "it's"],
  ])('quotes per RFC 4180: %j -> %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each<[string, string]>([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['a=b', 'a=b'],
  ])('escapes CSV injection in strings: %j -> %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers and booleans plainly, never escaped', () => {
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(false)).toBe('false');
  });
});

describe('csvRow', () => {
  it('joins cells with commas and ends with a newline', () => {
    expect(csvRow(['a', 1, null, true, 'x,y'])).toBe('a,1,,true,"x,y"\n');
    expect(csvRow([])).toBe('\n');
  });

  it('round-trips through readCsv: what is written is read back (formula cells with their quote prefix)', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['a', 'Z', ' ', ',', '"', '\n', '\r', '\r\n', ';', '\t', '=', '+', '-', '@', "'", 'é', '😀', '|'];
    const cell = (): string => Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const header = ['c1', 'c2', 'c3'];
    const rows = Array.from({ length: 500 }, () => [cell(), cell(), cell()]);
    const text = csvRow(header) + rows.map((row) => csvRow(row)).join('');
    const events = readCsvText(text, { delimiter: ',', encoding: 'utf-8', trim: false });
    const read = events.filter((e): e is CsvRowEvent => e.kind === 'row').map((e) => header.map((h) => e.values[h]));
    expect(events.filter((e) => e.kind === 'reject')).toEqual([]);
    expect(read).toEqual(rows.map((row) => row.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c))));
  });
});

describe('streaming output', () => {
  const rows: CsvValue[][] = Array.from({ length: 5000 }, (_, i) => [i, `name ${i}`, i % 2 === 0 ? '=x' : null]);
  const expected = csvRow(['id', 'name', 'note']) + rows.map((r) => csvRow(r)).join('');

  it('csvChunks yields bounded chunks from sync and async sources', async () => {
    async function* asyncRows(): AsyncGenerator<CsvValue[]> {
      yield* rows;
    }
    for (const source of [rows, asyncRows()]) {
      const chunks: string[] = [];
      for await (const chunk of csvChunks(['id', 'name', 'note'], source, 1000)) chunks.push(chunk);
      expect(chunks.join('')).toBe(expected);
      expect(chunks.length).toBeGreaterThan(10);
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1100);
    }
  });

  it('csvReadable streams UTF-8 bytes', async () => {
    const parts: Buffer[] = [];
    for await (const part of csvReadable(['id', 'name', 'note'], rows)) parts.push(part as Buffer);
    expect(Buffer.concat(parts).toString('utf8')).toBe(expected);
  });

  it('CsvWriter honours backpressure and writes everything', async () => {
    const received: string[] = [];
    let drains = 0;
    const sink = new Writable({
      highWaterMark: 1024,
      decodeStrings: false,
      write(chunk: string, _encoding, callback): void {
        received.push(chunk);
        setImmediate(callback);
      },
    });
    sink.on('drain', () => drains++);
    const writer = new CsvWriter(sink, 2048);
    await writer.writeHeader(['id', 'name', 'note']);
    for (const row of rows) await writer.writeRow(row);
    await writer.end();
    expect(received.join('')).toBe(expected);
    expect(writer.rowCount).toBe(rows.length);
    expect(drains).toBeGreaterThan(0);
  });

  it('CsvWriter surfaces sink errors', async () => {
    const sink = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback): void {
        callback(new Error('disk full'));
      },
    });
    const writer = new CsvWriter(sink, 1);
    await expect(
      (async () => {
        for (const row of rows) await writer.writeRow(row);
        await writer.end();
      })(),
    ).rejects.toThrow('disk full');
  });
});
