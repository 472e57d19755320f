import { CrmMergeError } from '../errors';
import { NO_KEYS, ruleKeys, type BlockingRule, type BlockKeys } from './blocking';
import type { MatchFeatures } from './features';
import type { TermValues } from './term-frequencies';

/**
 * What planning needs of a record, derived where the record is made (ingest, one job per source, in parallel): its
 * raw block keys and refine values, and its term-frequency values. The route jobs then read these small lines instead
 * of parsing every record's features. Positional, in the order of the source's own rules (a source knows only
 * its own identifier rules; the run's rule list is the union over sources, see `runRulePositions`).
 */
export interface BlockingInputs {
  key: string;
  /** Raw keys (sorted, unique) per rule of the source. */
  keys: BlockKeys;
  /** Each rule's refine value (appended to a key whose block is over the size cap); '' for a rule without keys. */
  refine: string[];
  terms: TermValues;
}

type BlockingInputsRow = [key: string, keys: BlockKeys, refine: string[], terms: [string | null, string | null, string | null]];

export function blockingInputs(record: MatchFeatures, rules: readonly BlockingRule[]): BlockingInputs {
  const keys = rules.map((rule) => ruleKeys(rule, record));
  const refine = rules.map((rule, r) => (keys[r].length === 0 ? '' : rule.refine(record)));
  return { key: record.key, keys, refine, terms: { first: record.first, lastCompact: record.lastCompact, city: record.city } };
}

export function encodeBlockingInputs(inputs: BlockingInputs): string {
  const { key, keys, refine, terms } = inputs;
  return JSON.stringify([key, keys, refine, [terms.first, terms.lastCompact, terms.city]] satisfies BlockingInputsRow);
}

export function decodeBlockingInputs(line: string): BlockingInputs {
  const row = JSON.parse(line) as BlockingInputsRow;
  if (!Array.isArray(row) || row.length !== 4) throw new CrmMergeError('blocking-inputs line is not a blocking-inputs row');
  const [key, keys, refine, [first, lastCompact, city]] = row;
  return { key, keys, refine, terms: { first, lastCompact, city } };
}

/** For each of the run's rules, its position among a source's rules, or -1 when the source has no such rule. */
export function runRulePositions(runRules: readonly BlockingRule[], sourceRules: readonly BlockingRule[]): number[] {
  const position = new Map(sourceRules.map((rule, i) => [rule.name, i]));
  return runRules.map((rule) => position.get(rule.name) ?? -1);
}

/** The record's raw keys in the run's rule order (what rawBlockKeys gives from the features). */
export function rawKeysOf(inputs: BlockingInputs, positions: readonly number[]): BlockKeys {
  return positions.map((p) => (p === -1 ? (NO_KEYS as string[]) : inputs.keys[p]));
}

/** The record's refine value for a run rule ('-' when its source has no such rule, as the rules' own refine gives). */
export function refineValueOf(inputs: BlockingInputs, positions: readonly number[], rule: number): string {
  const p = positions[rule];
  return p === -1 ? '-' : inputs.refine[p];
}
