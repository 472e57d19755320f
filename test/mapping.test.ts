import { assertColumnsExist, mappedColumns, parseMapping } from '../lambdas/core/model/mapping';
import { MappingError } from '../lambdas/core/errors';

describe('mapping files', () => {
  const valid = {
    company: 'A',
    columns: { id: 'cust_id', firstName: 'first', lastName: 'last', email: ['email', 'email2'] },
  };

  it('fills defaults and lists every mapped column once', () => {
    const mapping = parseMapping(valid);
    expect(mapping.delimiter).toBe('auto');
    expect(mapping.phoneRegion).toBe('US');
    expect(mappedColumns(mapping)).toEqual(['cust_id', 'first', 'last', 'email', 'email2']);
  });

  it('rejects unknown keys and a mapping without any name column, naming the path', () => {
    expect(() => parseMapping({ company: 'A', columns: { id: 'x', emial: 'e' } })).toThrow(/columns/);
    expect(() => parseMapping({ company: 'A', columns: { id: 'x', email: 'e' } })).toThrow(MappingError);
  });

  it('names the columns missing from the header', () => {
    const mapping = parseMapping(valid);
    expect(() => assertColumnsExist(mapping, ['cust_id', 'first', 'last', 'email'])).toThrow(/"email2"/);
    expect(() => assertColumnsExist(mapping, ['cust_id', 'first', 'last', 'email', 'email2'])).not.toThrow();
  });
});
