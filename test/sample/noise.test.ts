import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mailboxKey } from '../../scripts/sample/people';
import { fixture, fold, groupBy, type Row } from './fixture';

function rowsByPerson(): Map<string, { telco: Row[]; satellite: Row[] }> {
  const { telco, satellite, truth } = fixture();
  const telcoById = new Map(telco.map((row) => [row.customer_id as string, row]));
  const satelliteById = new Map(satellite.map((row) => [row.account_no as string, row]));
  const result = new Map<string, { telco: Row[]; satellite: Row[] }>();
  for (const t of truth) {
    const entry = result.get(t.person_id as string) ?? { telco: [], satellite: [] };
    if (t.source === 'telco') entry.telco.push(telcoById.get(t.record_id as string) as Row);
    else entry.satellite.push(satelliteById.get(t.record_id as string) as Row);
    result.set(t.person_id as string, entry);
  }
  return result;
}

describe('sample noise', () => {
  it('writes the formats each system uses', () => {
    const { telco, satellite } = fixture();
    for (const row of telco) {
      expect(row.customer_id).toMatch(/^NW\d{8}$/);
      expect(row.customer_since).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(row.last_activity).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(row.birth_date).toMatch(/^(\d{2}\/\d{2}\/\d{4})?$/);
    }
    for (const row of satellite) {
      expect(row.account_no).toMatch(/^SK\d{8}$/);
      expect(row.dob).toMatch(/^(\d{4}-\d{2}-\d{2})?$/);
      expect(row.opened_on).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
      expect(row.last_login).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.service_address).toMatch(/^\d+ .+, .+, [A-Z]{2} \d{5}(-\d{4})?$/);
    }
    expect(fixture().data.satelliteCsv).toContain('\r\n');
    expect(fixture().data.telcoCsv).not.toContain('\r');
  });

  it('mixes name layouts, honorifics and phone formats in the satellite export', () => {
    const { satellite } = fixture();
    const names = satellite.map((row) => row.full_name as string);
    expect(names.filter((n) => n.includes(',')).length / names.length).toBeGreaterThan(0.3);
    expect(names.some((n) => /^(Mr|Mrs|Ms|Miss|Dr)\.? /.test(n))).toBe(true);
    expect(names.some((n) => / (Jr\.?|JR|Sr\.?|SR|II|III)$/.test(n))).toBe(true);
    const styles = new Set(
      satellite.map((row) => (row.phone as string).replace(/\d/g, '9')).filter((p) => p !== ''),
    );
    for (const style of ['(999) 999-9999', '999.999.9999', '+9 999 999 9999', '999-999-9999']) {
      expect(styles.has(style)).toBe(true);
    }
    expect(new Set(satellite.map((row) => row.do_not_email))).toEqual(new Set(['0', '1', 'true', 'false', '']));
  });

  it('uses nicknames in recent records and legal names in some older ones', () => {
    const { persons } = fixture();
    const rows = rowsByPerson();
    let bothForms = 0;
    for (const person of persons.filter((p) => p.preferred_first !== p.legal_first)) {
      const r = rows.get(person.person_id as string);
      const written = new Set([
        ...(r?.telco ?? []).map((row) => fold(row.first_name as string)),
        ...(r?.satellite ?? []).flatMap((row) => fold(row.full_name as string).split(/[\s,.]+/)),
      ]);
      if (written.has(fold(person.preferred_first as string)) && written.has(fold(person.legal_first as string))) bothForms++;
    }
    expect(bothForms).toBeGreaterThan(50);
  });

  it('contains accents and their stripped spellings, typos and case variants', () => {
    const { telco, satellite } = fixture();
    const all = `${fixture().data.telcoCsv}\n${fixture().data.satelliteCsv}`;
    expect(/[À-ÿ]/.test(all)).toBe(true);
    const { noise } = fixture().data.stats;
    expect(noise.accentsStripped).toBeGreaterThan(10);
    expect(noise.firstNameTypos + noise.lastNameTypos).toBeGreaterThan(30);
    expect(noise.swappedNames).toBeGreaterThan(0);
    expect(telco.some((row) => row.last_name !== '' && row.last_name === (row.last_name as string).toUpperCase())).toBe(true);
    expect(satellite.some((row) => /^[A-Z' -]+, /.test(row.full_name as string))).toBe(true);
  });

  it('writes the same mailbox in different spellings across a person’s records', () => {
    const rows = rowsByPerson();
    let variants = 0;
    for (const { telco, satellite } of rows.values()) {
      const emails = [...telco.map((r) => r.email as string), ...satellite.map((r) => r.contact_email as string)].filter(Boolean);
      const spellings = new Set(emails);
      const boxes = new Set(emails.map(mailboxKey));
      if (boxes.size < spellings.size) variants++;
    }
    expect(variants).toBeGreaterThan(30);
    const all = fixture().data.telcoCsv + fixture().data.satelliteCsv;
    expect(all).toMatch(/\+[a-z]+@gmail\.com/);
  });

  it('shows movers at their old address in older records and duplicate telco accounts', () => {
    const { persons } = fixture();
    const rows = rowsByPerson();
    let movers = 0;
    let duplicates = 0;
    for (const person of persons) {
      const r = rows.get(person.person_id as string);
      const zips = new Set([
        ...(r?.telco ?? []).map((row) => (row.zip as string).slice(0, 4)),
        ...(r?.satellite ?? []).map((row) => /(\d{5})(-\d{4})?$/.exec(row.service_address as string)?.[1]?.slice(0, 4)),
      ]);
      if (zips.size > 1) movers++;
      if ((r?.telco.length ?? 0) > 1) duplicates++;
    }
    expect(movers).toBeGreaterThan(30);
    expect(duplicates).toBeGreaterThan(20);
  });

  it('has missing values but never a row without a name', () => {
    const { telco, satellite } = fixture();
    expect(telco.some((row) => row.email === '')).toBe(true);
    expect(telco.some((row) => row.birth_date === '')).toBe(true);
    expect(satellite.some((row) => row.contact_email === '')).toBe(true);
    for (const row of telco) expect(row.first_name !== '' && row.last_name !== '').toBe(true);
    for (const row of satellite) expect(row.full_name).not.toBe('');
  });

  it('has multi-part surnames among persons', () => {
    const lasts = fixture().persons.map((p) => p.last as string);
    expect(lasts.some((l) => l.includes(' ') || l.includes("'") || l.includes('-'))).toBe(true);
    expect(new Set(lasts).size).toBeGreaterThan(200);
    const owners = groupBy(fixture().persons, (p) => `${p.legal_first} ${p.last}`);
    expect([...owners.values()].some((group) => group.length > 1)).toBe(true);
  });

  it('never uses the clock or Math.random in the generator', () => {
    const dir = join(__dirname, '..', '..', 'scripts', 'sample');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      expect({ file, random: /Math\.random\s*\(/.test(source) }).toEqual({ file, random: false });
      expect({ file, clock: /Date\.now\s*\(|new Date\s*\(/.test(source) }).toEqual({ file, clock: false });
    }
  });
});
