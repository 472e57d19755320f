/**
 * Where a benchmark run's precision goes: reads the link files of a run kept by `npm run bench -- --keep` straight
 * from the kept s3rver data directory and the sample's truth, and prints one JSON object: the false links (two
 * different people linked) by blocking rule, by match-weight band and by their most common comparison levels (with
 * how many right links share each pattern), and the false pairs inside the groups the links chain together.
 *
 *   npx tsx scripts/bench/false-links.ts DATA_DIR RUN_ID SAMPLE_DIR [--examples N]
 *
 * DATA_DIR is the kept server data directory the bench printed; SAMPLE_DIR holds the sample's truth.csv
 * (.crm-merge/bench/sample-<people>-<seed>). Never part of `npm test`.
 */
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { defaultBlockingRules } from '../../lambdas/core/matching/blocking';
import { defaultComparisons } from '../../lambdas/core/matching/comparisons';
import type { LinkLine } from '../../lambdas/pipeline/stages/score';
import { loadTruth } from './sample';

async function* linkLines(dir: string): AsyncGenerator<LinkLine> {
  for (const name of readdirSync(dir).filter((file) => file.endsWith('._S3rver_object')).sort())
    for await (const line of createInterface({ input: createReadStream(join(dir, name)), crlfDelay: Infinity }))
      if (line.length > 0) yield JSON.parse(line) as LinkLine;
}

const count = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};
const top = (map: Map<string, number>, n: number): Record<string, number> =>
  Object.fromEntries([...map].sort((a, b) => b[1] - a[1]).slice(0, n));

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { examples: { type: 'string', default: '10' }, identifiers: { type: 'string', default: '' } },
  });
  const [dataDir, runId, sampleDir] = positionals;
  if (!dataDir || !runId || !sampleDir) throw new Error('usage: false-links.ts DATA_DIR RUN_ID SAMPLE_DIR [--examples N]');
  const identifiers = values.identifiers === '' ? [] : values.identifiers.split(',');
  const rules = defaultBlockingRules(identifiers);
  const comparisons = defaultComparisons(identifiers);
  const truth = await loadTruth(sampleDir);
  const linksDir = join(dataDir, 's3', 'crm-merge-work', 'runs', runId, 'links');

  const byRule = new Map<string, number>();
  const byBand = new Map<string, number>();
  const byLevels = new Map<string, number>();
  const trueByLevels = new Map<string, number>();
  const examples: { a: string; b: string; weight: number; rule: string; levels: string }[] = [];
  let links = 0;
  let falseLinks = 0;
  // Union-find over the links as clustered (without the cluster stage's refusals: an upper bound on chaining).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  for await (const line of linkLines(linksDir)) {
    if (line.kind !== 'link') continue;
    links++;
    const ra = find(line.a);
    const rb = find(line.b);
    if (ra !== rb) parent.set(ra, rb);
    const levels = line.levels.map((l, c) => `${comparisons[c].name}=${comparisons[c].levels[l].label}`).join(' ');
    if (truth.get(line.a) === truth.get(line.b)) {
      count(trueByLevels, levels);
      continue;
    }
    falseLinks++;
    count(byRule, rules[line.rule]?.name ?? String(line.rule));
    count(byBand, `${Math.floor(line.weight / 2) * 2}..${Math.floor(line.weight / 2) * 2 + 2}`);
    count(byLevels, levels);
    if (examples.length < Number(values.examples))
      examples.push({ a: line.a, b: line.b, weight: Math.round(line.weight * 100) / 100, rule: rules[line.rule]?.name ?? '', levels });
  }
  // False pairs within the chained groups: pairs of records of different people in one group.
  const groups = new Map<string, Map<string, number>>();
  for (const key of parent.keys()) {
    const root = find(key);
    const people = groups.get(root) ?? new Map<string, number>();
    count(people, truth.get(key) ?? `?${key}`);
    groups.set(root, people);
  }
  let falsePairs = 0;
  for (const people of groups.values()) {
    const sizes = [...people.values()];
    const total = sizes.reduce((a, b) => a + b, 0);
    falsePairs += (total * total - sizes.reduce((a, b) => a + b * b, 0)) / 2;
  }
  process.stdout.write(
    `${JSON.stringify(
      {
        links,
        falseLinks,
        falsePairsInLinkedGroups: falsePairs,
        falseLinksByRule: top(byRule, 20),
        falseLinksByWeight: top(byBand, 20),
        // The false links' commonest level patterns, each with how many right links share it (can a rule separate them?).
        commonestLevels: Object.entries(top(byLevels, 15)).map(([levels, falseCount]) => ({
          levels,
          falseLinks: falseCount,
          rightLinks: trueByLevels.get(levels) ?? 0,
        })),
        examples,
      },
      null,
      1,
    )}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
