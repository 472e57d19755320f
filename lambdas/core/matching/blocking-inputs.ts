import { ruleKeys, type BlockingRule, type BlockKeys } from './blocking';
import type { MatchFeatures } from './features';
import type { TermValues } from './term-frequencies';

/**
 * What planning needs of a record, derived where the record is made (ingest, one job per source, in parallel): its
 * raw block keys and refine values by rule name, and its term-frequency values. The plan job then reads these small
 * lines instead of parsing every record's features twice. By name, because a source knows only its own identifier
 * rules; the run's rule list is the union over sources.
 */
export interface BlockingInputs {
  key: string;
  /** Raw keys (sorted, unique) by rule name; rules without keys are left out. */
  keys: Record<string, string[]>;
  /** Each keyed rule's refine value (appended to a key whose block is over the size cap). */
  refine: Record<string, string>;
  terms: TermValues;
}

export function blockingInputs(record: MatchFeatures, rules: readonly BlockingRule[]): BlockingInputs {
  const keys: Record<string, string[]> = {};
  const refine: Record<string, string> = {};
  for (const rule of rules) {
    const raw = ruleKeys(rule, record);
    if (raw.length === 0) continue;
    keys[rule.name] = raw;
    refine[rule.name] = rule.refine(record);
  }
  return { key: record.key, keys, refine, terms: { first: record.first, lastCompact: record.lastCompact, city: record.city } };
}

const NO_KEYS: string[] = [];

/** The record's raw keys in the run's rule order (what rawBlockKeys gives from the features). */
export function rawKeysOf(inputs: BlockingInputs, rules: readonly BlockingRule[]): BlockKeys {
  return rules.map((rule) => inputs.keys[rule.name] ?? NO_KEYS);
}
