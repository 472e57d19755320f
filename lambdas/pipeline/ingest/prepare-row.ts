import { mapRow } from '../../core/ingest/map-row';
import { defaultBlockingRules, type BlockingRule, type BlockKeys } from '../../core/matching/blocking';
import { blockingInputs, encodeBlockingInputs } from '../../core/matching/blocking-inputs';
import { toFeatures } from '../../core/matching/features';
import { encodeFeatures } from '../../core/matching/features-codec';
import { memberHash, type MemberHash } from '../../core/matching/key-counts';
import type { TermValues } from '../../core/matching/term-frequencies';
import type { SourceMapping } from '../../core/model/mapping';
import { encodeReportValues } from '../report-values';

/** What mapping a row needs besides the row: the same in the ingest job and in each of its row workers. */
export interface RowContext {
  mapping: SourceMapping;
  source: string;
  /** "Today" (YYYY-MM-DD), fixed once per job for date plausibility. */
  today: string;
}

/**
 * A data row mapped and encoded: every line ingest writes for it, and what the source's counts take from it; or why
 * it is rejected. Plain data, so a row worker can prepare it and the job write it, in input order.
 */
export type PreparedRow =
  | { ok: false; reason: string }
  | {
      ok: true;
      recordId: string;
      record: string;
      features: string;
      blockingInputs: string;
      key: string;
      reportValues: string;
      /** Raw block keys per rule, for the source's block-key counts. */
      keys: BlockKeys;
      member: MemberHash;
      terms: TermValues;
    };

/** Prepares rows of one source: the mapping's rules built once. */
export class RowPreparer {
  /** The source's blocking rules (its mapping's identifiers decide them): the job counts its keys under them too. */
  readonly rules: readonly BlockingRule[];

  constructor(private readonly context: RowContext) {
    this.rules = defaultBlockingRules(Object.keys(context.mapping.columns.identifiers ?? {}));
  }

  prepare(values: Record<string, string>, line: number): PreparedRow {
    const { mapping, source, today } = this.context;
    const mapped = mapRow(values, { mapping, source, line, today });
    if (!mapped.ok) return { ok: false, reason: mapped.reason };
    const record = { ...mapped.record, company: mapping.company };
    // The index is not encoded: the features line's position in its file is its index.
    const view = toFeatures(record, 0);
    const inputs = blockingInputs(view, this.rules);
    return {
      ok: true,
      recordId: mapped.record.recordId,
      record: JSON.stringify(record),
      features: encodeFeatures(view),
      blockingInputs: encodeBlockingInputs(inputs),
      key: JSON.stringify(view.key),
      reportValues: encodeReportValues(record),
      keys: inputs.keys,
      member: memberHash(view.key),
      terms: { first: view.first, lastCompact: view.lastCompact, city: view.city },
    };
  }
}
