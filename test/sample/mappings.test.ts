import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertColumnsExist, mappedColumns, parseMapping } from '../../lambdas/core/model/mapping';
import { fixture, header } from './fixture';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'sample');

function load(name: string): unknown {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as unknown;
}

describe('example mappings for the sample', () => {
  const cases: [string, () => string, string][] = [
    ['telco.mapping.json', () => fixture().data.telcoCsv, 'A'],
    ['satellite.mapping.json', () => fixture().data.satelliteCsv, 'B'],
    ['campaign.mapping.json', () => fixture().data.campaignCsv, 'campaign'],
  ];

  it.each(cases)('%s validates and names only columns the generated header has', (file, csv, company) => {
    const mapping = parseMapping(load(file), file);
    expect(mapping.company).toBe(company);
    const columns = header(csv());
    expect(() => assertColumnsExist(mapping, columns, file)).not.toThrow();
    expect(mappedColumns(mapping).length).toBeGreaterThanOrEqual(5);
  });

  it('maps the status, product and consent values the exports actually contain', () => {
    const { telco, satellite } = fixture();
    const telcoMapping = parseMapping(load('telco.mapping.json'));
    const satelliteMapping = parseMapping(load('satellite.mapping.json'));
    const telcoStatuses = new Set(telco.map((row) => row.status));
    expect([...telcoStatuses].sort()).toEqual(['Active', 'Cancelled', 'Suspended']);
    expect(telcoMapping.columns.status?.endedValues).toEqual(['Cancelled']);
    expect(new Set(satellite.map((row) => row.account_status))).toEqual(new Set(['Open', 'Closed']));
    expect(satelliteMapping.columns.status?.endedValues).toEqual(['Closed']);

    const consent = telcoMapping.columns.consent;
    const known = new Set([...(consent?.trueValues ?? []), ...(consent?.falseValues ?? []), '']);
    for (const row of telco) expect(known.has(row.email_opt_in as string)).toBe(true);
    const dne = satelliteMapping.columns.consent;
    const knownB = new Set([...(dne?.trueValues ?? []), ...(dne?.falseValues ?? []), '']);
    for (const row of satellite) expect(knownB.has(row.do_not_email as string)).toBe(true);
    expect(satelliteMapping.columns.products?.delimiter).toBe('|');
  });
});
