import { generateSample } from '../../scripts/sample';
import { fixture } from './fixture';

describe('population and campaign shares', () => {
  it('puts about half the people in both companies and splits the rest', () => {
    const { persons, data } = fixture();
    const both = persons.filter((p) => p.customer_a !== 'none' && p.customer_b !== 'none').length;
    const aOnly = persons.filter((p) => p.customer_a !== 'none' && p.customer_b === 'none').length;
    expect(both / persons.length).toBeGreaterThan(0.45);
    expect(both / persons.length).toBeLessThan(0.56);
    expect(aOnly / persons.length).toBeGreaterThan(0.2);
    expect(aOnly / persons.length).toBeLessThan(0.3);
    expect(data.stats.membership.both).toBe(both);
  });

  it('follows a configured both-company share', () => {
    const low = generateSample({ seed: 5, people: 2000, shareBoth: 0.2, shareAOnly: 0.4 });
    const share = low.stats.membership.both / low.stats.people;
    expect(share).toBeGreaterThan(0.16);
    expect(share).toBeLessThan(0.26);
  });

  it('has former customers, opted-out people and duplicate accounts in realistic proportions', () => {
    const { persons, data } = fixture();
    const ended = persons.filter((p) => p.customer_a === 'ended' || p.customer_b === 'ended').length;
    const optedOut = persons.filter((p) => p.opted_out_anywhere === 'true').length;
    expect(ended / persons.length).toBeGreaterThan(0.15);
    expect(optedOut / persons.length).toBeGreaterThan(0.08);
    expect(optedOut / persons.length).toBeLessThan(0.25);
    expect(data.stats.duplicateAccounts.A).toBeGreaterThan(20);
    expect(data.stats.duplicateAccounts.B).toBeGreaterThan(5);
    expect(persons.some((p) => p.customer_a === 'active' && p.products_ended !== '')).toBe(true);
  });

  it('builds a campaign list of ~20% of the population mixing every category', () => {
    const { campaign, campaignTruth, persons, data } = fixture();
    expect(campaign).toHaveLength(400);
    expect(campaignTruth.map((row) => row.lead_id)).toEqual(campaign.map((row) => row.lead_id));
    expect(new Set(campaign.map((row) => row.lead_id)).size).toBe(campaign.length);
    const byCategory = new Map<string, number>();
    for (const row of campaignTruth) byCategory.set(row.category as string, (byCategory.get(row.category as string) ?? 0) + 1);
    for (const [category, share] of Object.entries(data.options.campaignMix)) {
      expect(byCategory.get(category)).toBe(Math.round(400 * share));
    }
    const personIds = new Set(persons.map((p) => p.person_id));
    const byId = new Map(persons.map((p) => [p.person_id, p]));
    for (const row of campaignTruth) {
      if (row.category === 'prospect') {
        expect(row.person_id).toBe('');
        expect(row.expected_action).toBe('mail');
        continue;
      }
      expect(personIds.has(row.person_id)).toBe(true);
      const person = byId.get(row.person_id);
      const customer = person?.customer_a === 'active' || person?.customer_b === 'active';
      const suppress = customer || person?.opted_out_anywhere === 'true';
      expect(row.expected_action).toBe(suppress ? 'suppress' : 'mail');
      expect(row.opted_out_anywhere).toBe(person?.opted_out_anywhere);
    }
    expect(campaignTruth.some((row) => row.lookalike_of !== '')).toBe(true);
  });

  it('gives prospects contact data no population person has', () => {
    const { campaign, campaignTruth, persons } = fixture();
    const populationEmails = new Set(persons.map((p) => (p.email as string).toLowerCase()).filter(Boolean));
    campaign.forEach((row, i) => {
      if (campaignTruth[i]?.category === 'prospect' && row.email !== '') {
        expect(populationEmails.has((row.email as string).toLowerCase())).toBe(false);
      }
    });
  });
});
