import type { CustomerRecord, PersonName } from '../../../lambdas/core/model/record';

/** Changes to a test record; the name can be changed part by part. */
export type RecordChanges = Omit<Partial<CustomerRecord>, 'name'> & { name?: Partial<PersonName> };

/** Test records: realistic defaults, overridden per case. */
export type RecordOverrides = RecordChanges & { source: string; recordId: string };

/** A person template with per-case changes applied on top, merging the name part by part. */
export function withChanges(template: RecordOverrides, changes: RecordChanges = {}): CustomerRecord {
  return customerRecord({ ...template, ...changes, name: { ...template.name, ...changes.name } });
}

export function customerRecord(overrides: RecordOverrides): CustomerRecord {
  const { name, ...rest } = overrides;
  return {
    key: `${overrides.source}:${overrides.recordId}`,
    company: 'A',
    line: 2,
    name: {
      first: 'robert',
      firstCanonical: 'robert',
      middle: null,
      last: 'smith',
      suffix: null,
      firstDisplay: 'Robert',
      lastDisplay: 'Smith',
      ...name,
    },
    emails: [],
    emailsDisplay: [],
    phones: [],
    address: { number: null, street: null, unit: null, city: null, state: null, postcode: null },
    dateOfBirth: null,
    identifiers: {},
    customerSince: null,
    lastActivity: null,
    status: null,
    products: [],
    consent: { optedOut: null, date: null },
    warnings: [],
    ...rest,
  };
}

/** A deterministic shuffle (seeded LCG) so a failing order can be reproduced. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
