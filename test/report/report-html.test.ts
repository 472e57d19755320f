import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { RuleStats } from '../../lambdas/core/matching/blocking';
import { levelWeight, toProbability, toWeight, type ComparisonParameters, type MatchModel } from '../../lambdas/core/matching/model';
import { seededRandom } from '../../lambdas/core/random';
import { renderReportHtml, weightHistogram, type PairExplanation, type ReportData } from '../../lambdas/core/report';
import { ensureChromium } from '../setup/chromium';

// ---------------------------------------------------------------------------------------------------------------
// A realistic fixture: two companies of ~48k and ~32k customers, the engine's comparisons with plausible m and u,
// and weights drawn from a seeded generator so the fixture (and so the rendered file) never changes between runs.
// ---------------------------------------------------------------------------------------------------------------

type LevelSpec = [label: string, m: number, u: number, flags?: { tf?: string; decisive?: true; confirms?: true }];

function comparison(name: string, description: string, levels: LevelSpec[]): ComparisonParameters {
  return {
    name,
    description,
    levels: [
      { label: 'null', m: null, u: null, weight: 0 },
      ...levels.map(([label, m, u, flags]) => ({
        label,
        m,
        u,
        weight: levelWeight(m, u),
        ...(flags?.tf ? { termFrequency: flags.tf } : {}),
        ...(flags?.decisive ? { decisive: true as const } : {}),
        ...(flags?.confirms ? { confirmsIdentity: true as const } : {}),
      })),
    ],
  };
}

function buildModel(): MatchModel {
  const lambda = 2.1e-5;
  const comparisons = [
    comparison('first_name', 'Given name: exact, nickname, one typo, Jaro-Winkler >= 0.92, initial', [
      ['exact', 0.86, 0.0031, { tf: 'first' }],
      ['nickname of the same name', 0.041, 0.00042],
      ['one typo (Damerau-Levenshtein 1)', 0.032, 0.0011],
      ['Jaro-Winkler >= 0.92', 0.018, 0.0042],
      ['initial or middle name', 0.012, 0.021],
      ['all other', 0.037, 0.9704, { decisive: true }],
    ]),
    comparison('surname', 'Surname: exact, Jaro-Winkler bands', [
      ['exact', 0.9, 0.0012, { tf: 'last' }],
      ['Jaro-Winkler >= 0.92', 0.046, 0.0009],
      ['Jaro-Winkler >= 0.80 or one part of the other', 0.031, 0.014],
      ['all other', 0.023, 0.9839],
    ]),
    comparison('date_of_birth', 'Date of birth: exact, one character off, day/month swapped, within a year', [
      ['exact', 0.88, 0.00004],
      ['one character off', 0.05, 0.0008],
      ['day and month swapped', 0.012, 0.00001],
      ['within a year', 0.02, 0.021],
      ['all other', 0.038, 0.97815, { decisive: true }],
    ]),
    comparison('email', 'Email after provider rules: exact, same local part', [
      ['exact', 0.62, 0.000002],
      ['same local part', 0.09, 0.00003],
      ['all other', 0.29, 0.999968],
    ]),
    comparison('phone', 'Phone (E.164): exact, same last 7 digits', [
      ['exact', 0.55, 0.000004],
      ['same last 7 digits', 0.04, 0.00002],
      ['all other', 0.41, 0.999976],
    ]),
    comparison('address', 'Address: same house, same number and street, same postcode', [
      ['same house', 0.71, 0.00011],
      ['same number and street', 0.06, 0.0004],
      ['same postcode', 0.08, 0.0061],
      ['all other', 0.15, 0.99339],
    ]),
    comparison('city', 'City: exact, Jaro-Winkler >= 0.90', [
      ['exact', 0.91, 0.034, { tf: 'city' }],
      ['Jaro-Winkler >= 0.90', 0.03, 0.002],
      ['all other', 0.06, 0.964],
    ]),
    comparison('id_national_id', 'National id: exact, one typo, two typos', [
      ['exact', 0.97, 0.0000001, { confirms: true }],
      ['one typo', 0.02, 0.000003, { confirms: true }],
      ['two typos', 0.004, 0.00004],
      ['all other', 0.006, 0.999957],
    ]),
  ];
  return {
    comparisons,
    lambda,
    candidateMatchShare: 0.0521,
    priorWeight: toWeight(lambda),
    matchProbabilityThreshold: 0.99,
    matchWeightThreshold: toWeight(0.99),
    reviewProbabilityThreshold: 0.5,
    reviewWeightThreshold: 0,
    training: {
      randomPairsSampled: 1_000_000,
      candidatePairs: 412_887,
      emIterations: 23,
      emConverged: true,
      thresholdRule: 'match at probability 0.99, review from 0.5 (the defaults)',
      sessions: [
        { rule: 'same_email', pairs: 18_204, lambda: 0.91, iterations: 9, converged: true, estimated: ['first_name', 'surname', 'date_of_birth', 'phone', 'address', 'city'], expectedMatches: 16_566, m: [] },
        { rule: 'same_name', pairs: 41_318, lambda: 0.34, iterations: 14, converged: true, estimated: ['date_of_birth', 'email', 'phone', 'address', 'city'], expectedMatches: 14_048, m: [] },
      ],
    },
  };
}

const RULES: [string, string, number, number, number][] = [
  ['same_email', 'same email (provider rules applied)', 18_204, 17_950, 6],
  ['same_phone', 'same phone (E.164)', 2_977, 2_610, 9],
  ['same_national_id', 'same identifier "national_id"', 1_406, 1_402, 2],
  ['same_name', 'same canonical first name and surname', 41_318, 29_417, 214],
  ['name_sounds_any_order', 'same first-name and surname sounds, in either order', 62_901, 21_884, 398],
  ['surname_sound_birth_year', 'same surname sound (Double Metaphone) and birth year', 88_455, 30_112, 400],
  ['first_sound_birth_date', 'same first-name sound and date of birth', 12_840, 9_710, 41],
  ['birth_date_postcode', 'same date of birth and postcode', 1_122, 1_090, 4],
  ['first_sound_postcode', 'same first-name sound and postcode', 96_330, 40_221, 400],
  ['surname_sound_postcode', 'same surname sound and postcode', 80_114, 38_077, 400],
  ['house_in_city', 'same house number, street and city (catches postcode typos)', 4_981, 3_305, 37],
  ['same_house', 'same house number, street and postcode', 2_239, 1_880, 28],
];

function ruleStats(): RuleStats[] {
  return RULES.map(([rule, description, pairs, blocks, largestBlock]) => ({
    rule,
    description,
    pairs,
    blocks,
    largestBlock,
    refinedBlocks: largestBlock >= 400 ? 7 : 0,
    windowedBlocks: rule === 'first_sound_postcode' ? 1 : 0,
  }));
}

/** Normal variates (Box-Muller) from the project's seeded generator. */
function normals(seed: number, n: number, mean: number, sd: number, keep: (w: number) => boolean): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  while (out.length < n) {
    const u = Math.max(1e-12, random.next());
    const w = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
    if (keep(w)) out.push(w);
  }
  return out;
}

/** A pair explained by picking one level per comparison (by label); the weight is exactly prior + contributions. */
function explain(model: MatchModel, a: string, b: string, picks: Record<string, string>): PairExplanation {
  const contributions = model.comparisons.map((c) => {
    const level = c.levels.find((l) => l.label === (picks[c.name] ?? 'null'));
    if (!level) throw new Error(`no level ${picks[c.name]} in ${c.name}`);
    return { comparison: c.name, level: level.label, weight: level.weight };
  });
  const weight = model.priorWeight + contributions.reduce((s, c) => s + c.weight, 0);
  return { a, b, weight, probability: toProbability(weight), contributions };
}

const LINK_PICKS: Record<string, string>[] = [
  { first_name: 'exact', surname: 'exact', date_of_birth: 'exact', email: 'exact', phone: 'all other', address: 'same house', city: 'exact' },
  { first_name: 'nickname of the same name', surname: 'exact', date_of_birth: 'exact', email: 'all other', phone: 'exact', city: 'exact' },
  { first_name: 'exact', surname: 'Jaro-Winkler >= 0.92', date_of_birth: 'day and month swapped', address: 'same house', city: 'exact' },
  { first_name: 'exact', surname: 'exact', date_of_birth: 'exact', address: 'same postcode', city: 'exact', id_national_id: 'exact' },
  { first_name: 'one typo (Damerau-Levenshtein 1)', surname: 'exact', email: 'same local part', phone: 'exact', address: 'same house', city: 'exact' },
  { first_name: 'exact', surname: 'exact', date_of_birth: 'one character off', email: 'exact', phone: 'exact', address: 'all other', city: 'all other' },
];

const REVIEW_PICKS: Record<string, string>[] = [
  { first_name: 'exact', surname: 'exact', date_of_birth: 'within a year', address: 'all other', city: 'exact' },
  { first_name: 'initial or middle name', surname: 'exact', date_of_birth: 'exact', address: 'all other', city: 'all other' },
  {
    first_name: 'one typo (Damerau-Levenshtein 1)',
    surname: 'Jaro-Winkler >= 0.80 or one part of the other',
    date_of_birth: 'exact',
    email: 'all other',
    phone: 'all other',
    address: 'all other',
    city: 'exact',
  },
];

function fixture(): ReportData {
  const model = buildModel();
  const linkWeights = normals(11, 21_340, 19, 6, (w) => w >= model.matchWeightThreshold && w < 48);
  const reviewWeights = normals(12, 1_186, 3, 2.4, (w) => w >= model.reviewWeightThreshold && w < model.matchWeightThreshold);
  const apartWeights = normals(13, 412, 4, 5, (w) => w >= model.reviewWeightThreshold && w < 30);
  return {
    runId: '2024-06-30T02-00-00Z-7f3a',
    asOf: '2024-06-30',
    engineVersion: 'crm-merge 0.1.0',
    generatedAt: '2024-06-30T02:41:17.000Z',
    sources: [
      { source: 'telco', company: 'Northwind Telecom', rowsRead: 48_210, rowsRejected: 131, rowsInProfiles: 48_079, balanced: true },
      { source: 'energy', company: 'Contoso Energy', rowsRead: 31_877, rowsRejected: 58, rowsInProfiles: 31_819, balanced: true },
    ],
    blocking: { rules: ruleStats(), candidatePairs: RULES.reduce((s, r) => s + r[2], 0) },
    model,
    weightHistogram: {
      binWidth: 1,
      links: weightHistogram(linkWeights, 1),
      review: weightHistogram(reviewWeights, 1),
      apart: weightHistogram(apartWeights, 1),
    },
    waterfalls: {
      links: LINK_PICKS.map((p, i) => explain(model, `energy:E${104_220 + i * 37}`, `telco:T-${88_310 + i * 53}`, p)),
      review: REVIEW_PICKS.map((p, i) => explain(model, `energy:E${120_004 + i * 11}`, `telco:T-${90_112 + i * 7}`, p)),
    },
    clusterSizes: { '1': 37_522, '2': 20_318, '3': 472, '4': 61, '5': 9, '6': 2 },
    dataQuality: [
      {
        source: 'telco',
        rows: 48_079,
        missing: { email: 6_320, phone: 1_204, date_of_birth: 3_911, address: 902, national_id: 29_733 },
        invalid: { email: 412, phone: 688, date_of_birth: 57, address: 214, national_id: 18 },
        duplicatesWithinCompany: 1_284,
        stale: 5_702,
      },
      {
        source: 'energy',
        rows: 31_819,
        missing: { email: 2_140, phone: 4_466, date_of_birth: 611, address: 120 },
        invalid: { email: 97, phone: 1_023, date_of_birth: 12 },
        duplicatesWithinCompany: 403,
        stale: 2_377,
      },
    ],
    suppressions: {},
    refusedJoins: 7,
  };
}

// ---------------------------------------------------------------------------------------------------------------

const SECTIONS = ['overview', 'blocking', 'model', 'weights', 'waterfalls', 'clusters', 'quality', 'suppressions'];

describe('renderReportHtml', () => {
  const data = fixture();
  const html = renderReportHtml(data);

  it('is one HTML document with every section, in order', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    const positions = SECTIONS.map((id) => html.indexOf(`<section id="${id}"`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const id of SECTIONS) expect(html).toContain(`href="#${id}"`);
  });

  it('shows the run, the accounting per source, every rule, comparison and level', () => {
    for (const text of ['2024-06-30T02-00-00Z-7f3a', 'crm-merge 0.1.0', '2024-06-30T02:41:17.000Z', 'Northwind Telecom', '48,210', '48,079'])
      expect(html).toContain(text);
    for (const rule of RULES) expect(html).toContain(`>${rule[0]}<`);
    for (const c of data.model.comparisons) {
      expect(html).toContain(`data-comparison="${c.name}"`);
      for (const level of c.levels) expect(html).toContain(level.label.replace('>', '&gt;'));
    }
    expect(html).toContain('vetoes links');
    expect(html).toContain('confirms identity');
    expect(html).not.toContain('UNBALANCED');
    expect(html).toContain('No suppressions in this run');
  });

  it('draws the review and match thresholds on the histogram at the model weights', () => {
    const histogram = html.slice(html.indexOf('data-chart="weight-histogram"'));
    const chart = histogram.slice(0, histogram.indexOf('</svg>'));
    expect(chart).toContain(`data-threshold="match" data-weight="${data.model.matchWeightThreshold}"`);
    expect(chart).toContain(`data-threshold="review" data-weight="${data.model.reviewWeightThreshold}"`);
    expect(chart).toContain('match \u2265 +6.63');
  });

  it('uses sampled pairs that really are links and review-band pairs', () => {
    for (const pair of data.waterfalls.links) expect(pair.weight).toBeGreaterThanOrEqual(data.model.matchWeightThreshold);
    for (const pair of data.waterfalls.review) {
      expect(pair.weight).toBeGreaterThanOrEqual(data.model.reviewWeightThreshold);
      expect(pair.weight).toBeLessThan(data.model.matchWeightThreshold);
    }
  });

  it('has one chart per sampled pair', () => {
    expect(html.match(/data-chart="waterfall"/g)).toHaveLength(LINK_PICKS.length + REVIEW_PICKS.length);
    expect(html.match(/data-pair="link"/g)).toHaveLength(LINK_PICKS.length);
    expect(html.match(/data-pair="review"/g)).toHaveLength(REVIEW_PICKS.length);
    // Every contribution adds up, so no pair needs an "other adjustments" step.
    expect(html).not.toContain('other adjustments');
  });

  it('shows unitemised weight as its own waterfall step', () => {
    const pair = { ...data.waterfalls.links[0], weight: data.waterfalls.links[0].weight + 1.5 };
    const out = renderReportHtml({ ...data, waterfalls: { links: [pair], review: [] } });
    expect(out).toContain('other adjustments');
    expect(out).toContain('No pairs sampled.');
  });

  it('highlights a source whose rows do not balance', () => {
    const sources = [{ ...data.sources[0], rowsInProfiles: data.sources[0].rowsInProfiles - 3, balanced: false }, data.sources[1]];
    const out = renderReportHtml({ ...data, sources });
    expect(out).toContain('<tr class="unbalanced">');
    expect(out).toContain('UNBALANCED: 3 row(s) unaccounted for');
    expect(out).toContain('role="alert"');
    // A wrong flag alone is enough to flag the source.
    expect(renderReportHtml({ ...data, sources: [{ ...data.sources[0], balanced: false }] })).toContain('UNBALANCED');
  });

  it('lists suppressions largest first whatever order they come in', () => {
    const a = renderReportHtml({ ...data, suppressions: { opted_out: 40, existing_customer_A: 310, stale: 40 } });
    const b = renderReportHtml({ ...data, suppressions: { stale: 40, existing_customer_A: 310, opted_out: 40 } });
    expect(a).toBe(b);
    expect(a).toContain('data-chart="suppressions"');
    expect(a.indexOf('>existing_customer_A<')).toBeLessThan(a.indexOf('>opted_out<'));
    expect(a.indexOf('>opted_out<')).toBeLessThan(a.indexOf('>stale<'));
  });

  it('is deterministic', () => {
    expect(renderReportHtml(fixture())).toBe(html);
  });

  it('references nothing outside the file', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\/\/[a-z0-9-]+\./i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|use|image)\b/i);
    expect(html).not.toMatch(/\b(src|srcset|xlink:href|action)=/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    // The only links are the table of contents' in-page anchors.
    for (const [, target] of html.matchAll(/href="([^"]*)"/g)) expect(target).toMatch(/^#[a-z]+$/);
    expect(html).toContain('http-equiv="Content-Security-Policy" content="default-src \'none\'');
  });

  it('escapes data inserted into the page', () => {
    const evil = '<script>alert("x")</script>';
    const out = renderReportHtml({
      ...data,
      runId: `run-${evil}`,
      sources: [{ ...data.sources[0], source: evil, company: 'Tom & Jerry\'s "Co"' }, data.sources[1]],
      blocking: { ...data.blocking, rules: [{ ...data.blocking.rules[0], rule: '<b>rule</b>', description: '<img src=x onerror=alert(1)>' }] },
      waterfalls: { links: [{ ...data.waterfalls.links[0], a: `${evil}:1` }], review: [] },
      dataQuality: [{ ...data.dataQuality[0], source: evil, missing: { [evil]: 3 } }],
      suppressions: { [`existing_customer_${evil}`]: 2 },
    });
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).not.toContain('<b>rule</b>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(out).toContain('Tom &amp; Jerry&#39;s &quot;Co&quot;');
    expect(out).toContain('&lt;b&gt;rule&lt;/b&gt;');
  });
});

// ---------------------------------------------------------------------------------------------------------------

const ARTIFACTS = resolve(__dirname, '../../test-artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the report in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    dir = mkdtempSync(join(tmpdir(), 'crm-merge-report-'));
    // launch() rejects a --user-data-dir argument: it always starts Chromium on a fresh temporary profile of its
    // own (and deletes it on close), which is what a fresh --user-data-dir would give.
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders every chart at a real size, fetches nothing, and is screenshotted', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(fixture()));
    const url = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(url, { waitUntil: 'load' });

    const charts = await page.locator('svg.chart').evaluateAll((nodes) =>
      nodes.map((node) => {
        const box = node.getBoundingClientRect();
        return { kind: node.getAttribute('data-chart'), width: box.width, height: box.height, shapes: node.querySelectorAll('rect, line').length };
      }),
    );
    // blocking, model weights, histogram, cluster sizes, and one waterfall per sampled pair.
    expect(charts).toHaveLength(4 + LINK_PICKS.length + REVIEW_PICKS.length);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.shapes).toBeGreaterThan(3);
    }
    const thresholds = await page.locator('svg[data-chart="weight-histogram"] g.threshold line').evaluateAll((nodes) =>
      nodes.map((n) => n.getBoundingClientRect().height),
    );
    expect(thresholds).toHaveLength(2);
    for (const height of thresholds) expect(height).toBeGreaterThan(100);

    expect(requests).toEqual([url]);
    expect(consoleErrors).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  });
});
