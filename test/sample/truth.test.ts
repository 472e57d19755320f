import { fixture, fold, groupBy, type Row } from './fixture';

/** Products of a row split the way the mappings say (";" trimmed for telco, "|" for satellite). */
function products(row: Row, source: 'telco' | 'satellite'): string[] {
  const text = source === 'telco' ? (row.products as string) : (row.plans as string);
  return text === '' ? [] : text.split(source === 'telco' ? ';' : '|').map((p) => p.trim());
}

function isoFromUs(text: string): string {
  const [month, day, year] = text.split('/');
  return `${year}-${month}-${day}`;
}

describe('ground truth', () => {
  it('covers every export row exactly once, with ids unique per source', () => {
    const { telco, satellite, truth, data } = fixture();
    const telcoIds = telco.map((row) => row.customer_id as string);
    const satelliteIds = satellite.map((row) => row.account_no as string);
    expect(new Set(telcoIds).size).toBe(telcoIds.length);
    expect(new Set(satelliteIds).size).toBe(satelliteIds.length);
    expect(truth).toHaveLength(telco.length + satellite.length);
    const keys = truth.map((row) => `${row.source}:${row.record_id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(
      new Set([...telcoIds.map((id) => `telco:${id}`), ...satelliteIds.map((id) => `satellite:${id}`)]),
    );
    // The parsed objects agree with the CSV text.
    expect(data.truth.map((row) => `${row.source}:${row.recordId}:${row.personId}`)).toEqual(
      truth.map((row) => `${row.source}:${row.record_id}:${row.person_id}`),
    );
  });

  it('lists every person once and every person has at least one record', () => {
    const { persons, truth, data } = fixture();
    expect(persons).toHaveLength(data.options.people);
    expect(new Set(persons.map((p) => p.person_id)).size).toBe(persons.length);
    const withRecords = new Set(truth.map((row) => row.person_id));
    for (const person of persons) expect(withRecords.has(person.person_id as string)).toBe(true);
    expect(withRecords.size).toBe(persons.length);
  });

  it('states per-person facts that follow from the rows as written', () => {
    const { telco, satellite, persons } = fixture();
    const telcoById = new Map(telco.map((row) => [row.customer_id as string, row]));
    const satelliteById = new Map(satellite.map((row) => [row.account_no as string, row]));
    let nicknameChecks = 0;
    for (const person of persons) {
      const a = (person.records_a as string).split(';').filter(Boolean).map((id) => telcoById.get(id) as Row);
      const b = (person.records_b as string).split(';').filter(Boolean).map((id) => satelliteById.get(id) as Row);
      expect(a.every(Boolean) && b.every(Boolean)).toBe(true);

      const statusA = a.length === 0 ? 'none' : a.some((r) => r.status !== 'Cancelled') ? 'active' : 'ended';
      const statusB = b.length === 0 ? 'none' : b.some((r) => r.account_status === 'Open') ? 'active' : 'ended';
      expect(person.customer_a).toBe(statusA);
      expect(person.customer_b).toBe(statusB);

      const optedOutA = a.some((r) => r.email_opt_in === 'N');
      const optedOutB = b.some((r) => r.do_not_email === '1' || r.do_not_email === 'true');
      expect(person.opted_out_a).toBe(String(optedOutA));
      expect(person.opted_out_b).toBe(String(optedOutB));
      expect(person.opted_out_anywhere).toBe(String(optedOutA || optedOutB));

      const held = new Set<string>();
      const ended = new Set<string>();
      for (const r of a) for (const p of products(r, 'telco')) (r.status === 'Cancelled' ? ended : held).add(p);
      for (const r of b) for (const p of products(r, 'satellite')) (r.account_status === 'Closed' ? ended : held).add(p);
      expect(person.products_held).toBe([...held].sort().join(';'));
      expect(person.products_ended).toBe([...ended].filter((p) => !held.has(p)).sort().join(';'));

      const activity = [...a.map((r) => isoFromUs(r.last_activity as string)), ...b.map((r) => r.last_login as string)];
      expect(person.last_activity).toBe(activity.sort().at(-1));

      // The newest record carries the name the person uses (compared case- and accent-insensitively).
      const [source, id] = (person.preferred_from as string).split(':') as [string, string];
      const newest = source === 'telco' ? telcoById.get(id) : satelliteById.get(id);
      expect(newest).toBeDefined();
      const newestActivity = source === 'telco' ? isoFromUs(newest?.last_activity as string) : newest?.last_login;
      expect(newestActivity).toBe(person.last_activity);
      const preferred = fold(person.preferred_first as string);
      if (source === 'telco') expect(fold(newest?.first_name as string)).toBe(preferred);
      else expect(fold(newest?.full_name as string).split(/[\s,.]+/)).toContain(preferred);
      if (person.preferred_first !== person.legal_first) nicknameChecks++;
    }
    expect(nicknameChecks).toBeGreaterThan(100);
  });

  it('marks stale persons by their last activity (more than three years before the export date)', () => {
    const { persons, data } = fixture();
    const cutoff = `${Number(data.options.asOf.slice(0, 4)) - 3}${data.options.asOf.slice(4)}`;
    for (const person of persons) expect(person.stale).toBe(String((person.last_activity as string) < cutoff));
    const stale = persons.filter((p) => p.stale === 'true').length;
    expect(stale / persons.length).toBeGreaterThan(0.03);
    expect(stale / persons.length).toBeLessThan(0.25);
  });

  it('keeps the parsed persons in step with persons.csv', () => {
    const { persons, data } = fixture();
    expect(data.persons.map((p) => [p.personId, p.preferredFirst, p.customerA, p.customerB, String(p.optedOutAnywhere)])).toEqual(
      persons.map((p) => [p.person_id, p.preferred_first, p.customer_a, p.customer_b, p.opted_out_anywhere]),
    );
    const byGroup = groupBy(data.persons, (p) => p.personId);
    expect(byGroup.size).toBe(persons.length);
  });
});
