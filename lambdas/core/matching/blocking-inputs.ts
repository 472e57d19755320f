import { CrmMergeError } from '../errors';
import { NO_KEYS, ruleKeys, type BlockingRule, type BlockKeys } from './blocking';
import type { MatchFeatures } from './features';

/**
 * What routing needs of a record, derived where the record is made (ingest, one job per source, in parallel): its
 * raw block keys and refine values. The route jobs then read these small lines instead of parsing every record's
 * features. Positional, in the order of the source's own rules (a source knows only its own identifier rules; the
 * run's rule list is the union over sources, see `runRulePositions`).
 */
export interface BlockingInputs {
  key: string;
  /** Raw keys (sorted, unique) per rule of the source. */
  keys: BlockKeys;
  /** Each rule's refine value (appended to a key whose block is over the size cap); '' for a rule without keys. */
  readonly refine: readonly string[];
}

type KeysPart = [key: string, keys: BlockKeys];

export function blockingInputs(record: MatchFeatures, rules: readonly BlockingRule[]): BlockingInputs {
  const keys = rules.map((rule) => ruleKeys(rule, record));
  const refine = rules.map((rule, r) => (keys[r].length === 0 ? '' : rule.refine(record)));
  return { key: record.key, keys, refine };
}

/**
 * `[key,keys]` TAB `[refine...]`. Route needs a record's refine values only when one of its keys is over the cap
 * (a few records in a hundred), so they sit after a tab (JSON escapes every tab inside a string) and are parsed on
 * first use.
 */
export function encodeBlockingInputs(inputs: BlockingInputs): string {
  return `${JSON.stringify([inputs.key, inputs.keys] satisfies KeysPart)}\t${JSON.stringify(inputs.refine)}`;
}

export function decodeBlockingInputs(line: string): BlockingInputs {
  const tab = line.indexOf('\t');
  if (tab === -1) {
    throw new CrmMergeError(
      'blocking-inputs line is not a blocking-inputs row (keys, a tab, refine values); a run ingested by an earlier version of crm-merge must start again',
    );
  }
  const head = JSON.parse(line.slice(0, tab)) as KeysPart;
  if (!Array.isArray(head) || head.length !== 2) throw new CrmMergeError('blocking-inputs line is not a blocking-inputs row');
  return new DecodedBlockingInputs(head[0], head[1], line.slice(tab + 1));
}

class DecodedBlockingInputs implements BlockingInputs {
  private parsed: string[] | undefined;

  constructor(
    readonly key: string,
    readonly keys: BlockKeys,
    private readonly refineText: string,
  ) {}

  get refine(): readonly string[] {
    if (this.parsed === undefined) {
      const values = JSON.parse(this.refineText) as string[];
      if (!Array.isArray(values) || values.length !== this.keys.length) {
        throw new CrmMergeError('blocking-inputs line has no refine value per rule');
      }
      this.parsed = values;
    }
    return this.parsed;
  }
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
