import { SeenRecordIds } from '../../../lambdas/core/ingest/seen-record-ids';

describe('SeenRecordIds', () => {
  it('takes a new id and rejects a later row with it: an exact repeat, or a different row naming the first line', () => {
    const seen = new SeenRecordIds();
    expect(seen.take('c-1', 2, 'c-1,Ann,Lee')).toBeUndefined();
    expect(seen.take('c-2', 3, 'c-2,Bo,Ng')).toBeUndefined();
    expect(seen.take('c-1', 7, 'c-1,Ann,Lee')).toBe('exact duplicate of line 2');
    expect(seen.take('c-1', 9, 'c-1,Ann,Leigh')).toBe('duplicate record id (first seen on line 2)');
    expect(seen.take('c-2', 11, 'c-2,Bo,Ng')).toBe('exact duplicate of line 3');
    expect(seen.size).toBe(2);
  });

  it('keeps every line and digest as its tables grow past their first thousand ids', () => {
    const seen = new SeenRecordIds();
    const rows = 5000;
    for (let i = 0; i < rows; i++) expect(seen.take(`id-${i}`, i + 2, `id-${i},row ${i}`)).toBeUndefined();
    expect(seen.size).toBe(rows);
    for (let i = 0; i < rows; i += 997) {
      expect(seen.take(`id-${i}`, rows + i, `id-${i},row ${i}`)).toBe(`exact duplicate of line ${i + 2}`);
      expect(seen.take(`id-${i}`, rows + i, `id-${i},row ${i + 1}`)).toBe(`duplicate record id (first seen on line ${i + 2})`);
    }
  });
});
