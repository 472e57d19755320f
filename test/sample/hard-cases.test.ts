import { planHardCases } from '../../scripts/sample/generator';
import { mailboxKey } from '../../scripts/sample/people';
import { fixture, groupBy, type Row } from './fixture';

function years(isoA: string, isoB: string): number {
  return Math.abs(Date.parse(isoA) - Date.parse(isoB)) / (365.25 * 86_400_000);
}

describe('hard non-matches', () => {
  const pairsOf = (kind: string): [Row, Row][] => {
    const members = fixture().persons.filter((p) => p.hard_case === kind);
    const groups = [...groupBy(members, (p) => p.hard_group as string).values()];
    for (const group of groups) expect(group).toHaveLength(2);
    return groups.map((group) => [group[0] as Row, group[1] as Row]);
  };

  it('contains the requested number of each kind, as labelled pairs', () => {
    const { data, persons } = fixture();
    const planned = planHardCases(data.options);
    expect(data.stats.hardCaseGroups).toEqual(planned);
    for (const [kind, count] of Object.entries(planned)) {
      expect(count).toBe(Math.round((data.options.hardCasesPerThousand[kind as keyof typeof planned] * 2000) / 1000));
      expect(pairsOf(kind)).toHaveLength(count);
    }
    expect(persons.filter((p) => p.hard_case === 'none').every((p) => p.hard_group === '')).toBe(true);
  });

  it('twins share surname, birth date and address but not the first name', () => {
    for (const [x, y] of pairsOf('twin')) {
      expect(x.last).toBe(y.last);
      expect(x.dob).toBe(y.dob);
      expect([x.zip, x.city, x.state]).toEqual([y.zip, y.city, y.state]);
      expect(x.legal_first).not.toBe(y.legal_first);
      expect(x.preferred_first).not.toBe(y.preferred_first);
    }
  });

  it('father and son share full name and address, born 25-31 years apart, with Sr./Jr.', () => {
    for (const [x, y] of pairsOf('jr-sr')) {
      expect(x.legal_first).toBe(y.legal_first);
      expect(x.last).toBe(y.last);
      expect(x.zip).toBe(y.zip);
      const gap = years(x.dob as string, y.dob as string);
      expect(gap).toBeGreaterThanOrEqual(25);
      expect(gap).toBeLessThan(31.1);
      expect(new Set([x.suffix, y.suffix]).has('Sr.')).toBe(true);
    }
  });

  it('writes the generational suffix only sometimes', () => {
    const { persons, telco } = fixture();
    const ids = new Set(
      persons.filter((p) => p.hard_case === 'jr-sr').flatMap((p) => (p.records_a as string).split(';').filter(Boolean)),
    );
    const rows = telco.filter((row) => ids.has(row.customer_id as string));
    const written = rows.filter((row) => row.suffix !== '').length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(rows.length);
  });

  it('namesakes share a common full name but not birth date or city', () => {
    for (const [x, y] of pairsOf('namesake')) {
      expect([x.legal_first, x.last]).toEqual([y.legal_first, y.last]);
      expect(x.preferred_first).toBe(x.legal_first);
      expect(x.dob).not.toBe(y.dob);
      expect(`${x.city}, ${x.state}`).not.toBe(`${y.city}, ${y.state}`);
    }
  });

  it('spouses share surname, address and one mailbox, with different first names and birth dates', () => {
    const { telco, satellite } = fixture();
    const emailsByPerson = new Map<string, Set<string>>();
    const { truth } = fixture();
    const rowById = new Map<string, Row>([
      ...telco.map((r): [string, Row] => [`telco:${r.customer_id}`, r]),
      ...satellite.map((r): [string, Row] => [`satellite:${r.account_no}`, r]),
    ]);
    for (const t of truth) {
      const row = rowById.get(`${t.source}:${t.record_id}`) as Row;
      const email = (t.source === 'telco' ? row.email : row.contact_email) as string;
      if (email === '') continue;
      const set = emailsByPerson.get(t.person_id as string) ?? new Set<string>();
      set.add(mailboxKey(email));
      emailsByPerson.set(t.person_id as string, set);
    }
    let sharedInExports = 0;
    for (const [x, y] of pairsOf('shared-email')) {
      expect(x.last).toBe(y.last);
      expect(x.zip).toBe(y.zip);
      expect(x.email).toBe(y.email);
      expect(x.legal_first).not.toBe(y.legal_first);
      expect(x.dob).not.toBe(y.dob);
      const ex = emailsByPerson.get(x.person_id as string) ?? new Set<string>();
      const ey = emailsByPerson.get(y.person_id as string) ?? new Set<string>();
      if ([...ex].some((e) => ey.has(e))) sharedInExports++;
    }
    // The shared mailbox really appears on both spouses' records in most pairs.
    expect(sharedInExports).toBeGreaterThan(pairsOf('shared-email').length / 2);
  });

  it('gives two different persons the same mailbox only in shared-email pairs', () => {
    const { persons } = fixture();
    const owners = groupBy(
      persons.filter((p) => p.email !== ''),
      (p) => mailboxKey(p.email as string),
    );
    for (const group of owners.values()) {
      if (group.length > 1) {
        expect(group).toHaveLength(2);
        expect(group.map((p) => p.hard_case)).toEqual(['shared-email', 'shared-email']);
      }
    }
  });
});
