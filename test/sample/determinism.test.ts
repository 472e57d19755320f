import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample, generateSampleToDir, writeSample, SAMPLE_FILES } from '../../scripts/sample';
import { fixture, FIXTURE_OPTIONS } from './fixture';

const CSV_KEYS = SAMPLE_FILES.map(([key]) => key);

describe('sample generator determinism', () => {
  it('writes identical bytes for the same seed', () => {
    const again = generateSample(FIXTURE_OPTIONS);
    for (const key of CSV_KEYS) expect(again[key]).toBe(fixture().data[key]);
  });

  it('writes different exports for a different seed', () => {
    const other = generateSample({ ...FIXTURE_OPTIONS, seed: FIXTURE_OPTIONS.seed + 1 });
    for (const key of CSV_KEYS) expect(other[key]).not.toBe(fixture().data[key]);
  });

  it('streams to files exactly what writeSample writes from memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-gen-'));
    try {
      const fromMemory = writeSample(join(dir, 'memory'), fixture().data);
      const streamed = generateSampleToDir(FIXTURE_OPTIONS, join(dir, 'stream'));
      expect(streamed.files.map(({ file, bytes, rows }) => ({ file, bytes, rows }))).toEqual(
        fromMemory.map(({ file, bytes, rows }) => ({ file, bytes, rows })),
      );
      for (const file of fromMemory) {
        expect(readFileSync(join(dir, 'stream', file.file)).equals(readFileSync(file.path))).toBe(true);
      }
      expect(streamed.stats).toEqual(fixture().data.stats);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the exports unchanged when only the campaign settings change (independent random streams)', () => {
    const smallerCampaign = generateSample({ ...FIXTURE_OPTIONS, campaignSize: 50 });
    expect(smallerCampaign.telcoCsv).toBe(fixture().data.telcoCsv);
    expect(smallerCampaign.satelliteCsv).toBe(fixture().data.satelliteCsv);
    expect(smallerCampaign.campaignCsv).not.toBe(fixture().data.campaignCsv);
  });

  it('works for a small population and still contains every hard case', () => {
    const small = generateSample({ seed: 1, people: 200 });
    expect(small.stats.people).toBe(200);
    expect(small.persons).toHaveLength(200);
    for (const count of Object.values(small.stats.hardCaseGroups)) expect(count).toBeGreaterThanOrEqual(1);
  });

  it('rejects invalid options with a message naming the option', () => {
    expect(() => generateSample({ seed: 1, people: 0 })).toThrow(/people/);
    expect(() => generateSample({ seed: 1.5, people: 10 })).toThrow(/seed/);
    expect(() => generateSample({ seed: 1, people: 10, shareBoth: 0.8, shareAOnly: 0.3 })).toThrow(/shareAOnly/);
    const unknownRate: Record<string, number> = { typoRate: 0.1 };
    expect(() => generateSample({ seed: 1, people: 10, noise: unknownRate })).toThrow(/typoRate/);
    expect(() => generateSample({ seed: 1, people: 10, asOf: '2026-02-30' })).toThrow(/calendar/);
  });
});
