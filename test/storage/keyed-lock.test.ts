import { KeyedLock } from '../../lambdas/storage/s3rver-atomic-puts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedLock (the embedded S3 server\'s per-key lock)', () => {
  it('runs sections on one key one at a time, in arrival order; other keys run alongside', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const section = (key: string, name: string) =>
      lock.run(key, async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end`);
        return name;
      });
    const results = await Promise.all([section('a', 'a1'), section('a', 'a2'), section('b', 'b1'), section('a', 'a3')]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    const onA = events.filter((event) => event.startsWith('a'));
    expect(onA).toEqual(['a1:start', 'a1:end', 'a2:start', 'a2:end', 'a3:start', 'a3:end']);
    // b1 started while a1 held key a.
    expect(events.indexOf('b1:start')).toBeLessThan(events.indexOf('a1:end'));
  });

  it('releases the key when a section fails, and passes the failure on', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('a', async () => {
      await tick();
      throw new Error('disk full');
    });
    const next = lock.run('a', async () => 'ran');
    await expect(failing).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('ran');
  });
});
