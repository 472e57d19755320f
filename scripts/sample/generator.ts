/**
 * The generation loop: persons are made group by group (singles and hard-case pairs), their records written in
 * chunks of CHUNK_PEOPLE persons. Within a chunk the rows of each export are shuffled before ids are assigned,
 * so a file is not sorted by person and a person's duplicate accounts are not adjacent. Memory stays bounded by
 * the chunk, the contact-uniqueness sets and the campaign list, whatever the population size.
 *
 * Each concern draws from its own seeded stream (population, accounts, telco, satellite, order, campaign,
 * prospects), so e.g. a different campaign size leaves the two exports byte-identical.
 */
import { buildAccounts, drawMembership, type Account, type Membership } from './accounts';
import { CAMPAIGN_HEADER, CampaignBuilder } from './campaign';
import { TELCO_EOL, TELCO_HEADER, TELCO_SOURCE, telcoIds, telcoRowTail } from './company-a';
import { SATELLITE_EOL, SATELLITE_HEADER, SATELLITE_SOURCE, satelliteIds, satelliteRowTail } from './company-b';
import { csvLine, type Sink } from './csv';
import { buildGroup, type GroupKind } from './hard-cases';
import {
  CAMPAIGN_CATEGORIES,
  HARD_CASE_KINDS,
  type CampaignCategory,
  type HardCaseKind,
  type ResolvedOptions,
} from './options';
import { ContactRegistry, PersonFactory, type Person } from './people';
import { Rng } from './random';
import { emptyCounters, type NoiseCounters, type RowContext } from './record-fields';
import {
  CAMPAIGN_TRUTH_HEADER,
  PERSONS_HEADER,
  TRUTH_HEADER,
  campaignTruthLine,
  personLine,
  personTruth,
  type CampaignTruthRow,
  type PersonTruth,
  type SourceName,
  type TruthRow,
} from './truth';

/** Persons per chunk; fixed, because it bounds the row shuffle and so is part of what a seed reproduces. */
export const CHUNK_PEOPLE = 10_000;

export interface GeneratorSinks {
  telco: Sink;
  satellite: Sink;
  truth: Sink;
  persons: Sink;
  campaign: Sink;
  campaignTruth: Sink;
}

/** Receives the parsed truth as it is produced (the in-memory API keeps it; the streaming CLI does not). */
export interface GeneratorObserver {
  person?(truth: PersonTruth): void;
  truthRow?(row: TruthRow): void;
  campaignRow?(row: CampaignTruthRow): void;
}

export interface SampleStats {
  people: number;
  telcoRows: number;
  satelliteRows: number;
  campaignRows: number;
  prospects: number;
  lookalikeProspects: number;
  /** Persons by the companies they have records at. */
  membership: { both: number; aOnly: number; bOnly: number };
  customerA: { active: number; ended: number };
  customerB: { active: number; ended: number };
  duplicateAccounts: { A: number; B: number };
  optedOutAnywhere: number;
  stale: number;
  nicknameUsers: number;
  hardCaseGroups: Record<HardCaseKind, number>;
  campaignByCategory: Record<CampaignCategory, number>;
  noise: NoiseCounters;
}

interface Entry {
  person: Person;
  accounts: Account[];
}

/** How many groups of each hard-case kind: the configured rate, at least one each, at most half the population. */
export function planHardCases(options: ResolvedOptions): Record<HardCaseKind, number> {
  const wanted = Object.fromEntries(
    HARD_CASE_KINDS.map((kind) => {
      const rate = options.hardCasesPerThousand[kind];
      return [kind, rate > 0 ? Math.max(1, Math.round((rate * options.people) / 1000)) : 0];
    }),
  ) as Record<HardCaseKind, number>;
  const planned = Object.fromEntries(HARD_CASE_KINDS.map((kind) => [kind, 0])) as Record<HardCaseKind, number>;
  let pairsLeft = Math.floor(options.people / 4);
  // Round-robin so a tiny population still gets one of each kind before any kind gets a second.
  for (let progress = true; progress && pairsLeft > 0; ) {
    progress = false;
    for (const kind of HARD_CASE_KINDS) {
      if (pairsLeft > 0 && planned[kind] < wanted[kind]) {
        planned[kind]++;
        pairsLeft--;
        progress = true;
      }
    }
  }
  return planned;
}

function planGroups(options: ResolvedOptions, hard: Record<HardCaseKind, number>, rng: Rng): GroupKind[] {
  const plan: GroupKind[] = [];
  let hardPersons = 0;
  for (const kind of HARD_CASE_KINDS) {
    for (let i = 0; i < hard[kind]; i++) plan.push(kind);
    hardPersons += 2 * hard[kind];
  }
  for (let i = hardPersons; i < options.people; i++) plan.push('single');
  return rng.shuffle(plan);
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** Generates the whole sample into the sinks and returns what it made. */
export function runGenerator(options: ResolvedOptions, sinks: GeneratorSinks, observer: GeneratorObserver = {}): SampleStats {
  const { seed, noise, asOfDay } = options;
  const populationRng = new Rng(seed, 'population');
  const accountRng = new Rng(seed, 'accounts');
  const orderRng = new Rng(seed, 'order');
  const registry = new ContactRegistry();
  const factory = new PersonFactory(populationRng, registry, asOfDay, noise);
  const campaign = new CampaignBuilder(
    options,
    new Rng(seed, 'campaign'),
    seed,
    new PersonFactory(new Rng(seed, 'prospects'), registry, asOfDay, noise),
  );
  const counters = emptyCounters();
  const telcoCtx: RowContext = { rng: new Rng(seed, 'telco'), noise, counters };
  const satelliteCtx: RowContext = { rng: new Rng(seed, 'satellite'), noise, counters };
  const telcoId = telcoIds(seed);
  const satelliteId = satelliteIds(seed);

  const hard = planHardCases(options);
  const stats: SampleStats = {
    people: 0,
    telcoRows: 0,
    satelliteRows: 0,
    campaignRows: 0,
    prospects: 0,
    lookalikeProspects: 0,
    membership: { both: 0, aOnly: 0, bOnly: 0 },
    customerA: { active: 0, ended: 0 },
    customerB: { active: 0, ended: 0 },
    duplicateAccounts: { A: 0, B: 0 },
    optedOutAnywhere: 0,
    stale: 0,
    nicknameUsers: 0,
    hardCaseGroups: hard,
    campaignByCategory: zeroes(CAMPAIGN_CATEGORIES),
    noise: counters,
  };

  sinks.telco.write(csvLine(TELCO_HEADER) + TELCO_EOL);
  sinks.satellite.write(csvLine(SATELLITE_HEADER) + SATELLITE_EOL);
  sinks.truth.write(`${csvLine(TRUTH_HEADER)}\n`);
  sinks.persons.write(`${csvLine(PERSONS_HEADER)}\n`);

  /** Shuffles one export's rows of the chunk, assigns ids, writes rows and their truth lines. */
  const writeExport = (
    rows: { tail: string; account: Account; personId: string }[],
    source: SourceName,
    sink: Sink,
    eol: string,
    recordId: (row: number) => string,
    truthParts: string[],
  ): void => {
    orderRng.shuffle(rows);
    const parts: string[] = [];
    for (const row of rows) {
      const id = recordId(source === TELCO_SOURCE ? stats.telcoRows++ : stats.satelliteRows++);
      row.account.recordId = id;
      parts.push(id, ',', row.tail, eol);
      truthParts.push(source, ',', id, ',', row.personId, '\n');
      observer.truthRow?.({ source, recordId: id, personId: row.personId });
    }
    sink.write(parts.join(''));
  };

  const count = (truth: PersonTruth, accounts: readonly Account[]): void => {
    stats.people++;
    if (truth.customerA !== 'none' && truth.customerB !== 'none') stats.membership.both++;
    else if (truth.customerA !== 'none') stats.membership.aOnly++;
    else stats.membership.bOnly++;
    if (truth.customerA !== 'none') stats.customerA[truth.customerA]++;
    if (truth.customerB !== 'none') stats.customerB[truth.customerB]++;
    if (truth.recordsA.length > 1) stats.duplicateAccounts.A++;
    if (truth.recordsB.length > 1) stats.duplicateAccounts.B++;
    if (truth.optedOutAnywhere) stats.optedOutAnywhere++;
    if (truth.stale) stats.stale++;
    for (const account of accounts) {
      if (account.useNickname) {
        stats.nicknameUsers++;
        break;
      }
    }
  };

  const flush = (chunk: Entry[]): void => {
    if (chunk.length === 0) return;
    const telcoRows: { tail: string; account: Account; personId: string }[] = [];
    const satelliteRows: { tail: string; account: Account; personId: string }[] = [];
    for (const { person, accounts } of chunk) {
      for (const account of accounts) {
        if (account.company === 'A') {
          telcoRows.push({ tail: telcoRowTail(person, account, telcoCtx), account, personId: person.id });
        } else {
          satelliteRows.push({ tail: satelliteRowTail(person, account, satelliteCtx), account, personId: person.id });
        }
      }
    }
    const truthParts: string[] = [];
    writeExport(telcoRows, TELCO_SOURCE, sinks.telco, TELCO_EOL, telcoId, truthParts);
    writeExport(satelliteRows, SATELLITE_SOURCE, sinks.satellite, SATELLITE_EOL, satelliteId, truthParts);
    sinks.truth.write(truthParts.join(''));

    const personParts: string[] = [];
    for (const { person, accounts } of chunk) {
      const truth = personTruth(person, accounts, options.staleCutoffDay);
      personParts.push(personLine(truth), '\n');
      observer.person?.(truth);
      campaign.offer(person, truth);
      count(truth, accounts);
    }
    sinks.persons.write(personParts.join(''));
  };

  let chunk: Entry[] = [];
  let index = 0;
  let groupNumber = 0;
  for (const kind of planGroups(options, hard, populationRng)) {
    const groupId = kind === 'single' ? '' : `HG${String(++groupNumber).padStart(6, '0')}`;
    const members = buildGroup(kind, factory, populationRng, index, groupId);
    index += members.length;
    let membership: Membership | null = null;
    for (const person of members) {
      // Hard-case partners often bank with the same company, which is what makes them hard to keep apart.
      membership = membership !== null && accountRng.chance(0.6) ? membership : drawMembership(accountRng, options);
      chunk.push({ person, accounts: buildAccounts(person, membership, accountRng, options) });
    }
    if (chunk.length >= CHUNK_PEOPLE) {
      flush(chunk);
      chunk = [];
    }
  }
  flush(chunk);

  const rows = campaign.finish();
  const campaignParts: string[] = [`${csvLine(CAMPAIGN_HEADER)}\n`];
  const campaignTruthParts: string[] = [`${csvLine(CAMPAIGN_TRUTH_HEADER)}\n`];
  for (const row of rows) {
    campaignParts.push(row.truth.leadId, ',', row.tail, '\n');
    campaignTruthParts.push(campaignTruthLine(row.truth), '\n');
    observer.campaignRow?.(row.truth);
    stats.campaignByCategory[row.truth.category]++;
    if (row.truth.category === 'prospect') stats.prospects++;
    if (row.truth.lookalikeOf !== '') stats.lookalikeProspects++;
  }
  stats.campaignRows = rows.length;
  sinks.campaign.write(campaignParts.join(''));
  sinks.campaignTruth.write(campaignTruthParts.join(''));
  return stats;
}
