import { CHROMIUM_PATH, ensureChromium, type ChromiumSystem } from '../setup/chromium';

/** A fake machine: which paths exist, whether we are root, and what each command does. */
function fakeSystem(options: { present: string[]; root: boolean; fail?: string; installs?: boolean }): ChromiumSystem & { commands: string[] } {
  const present = new Set(options.present);
  const commands: string[] = [];
  return {
    commands,
    isExecutable: (path) => present.has(path),
    isRoot: () => options.root,
    run(command, args) {
      const line = [command, ...args].join(' ');
      commands.push(line);
      if (options.fail && line.includes(options.fail)) return 'exited with status 100';
      if (line.endsWith('install -y chromium') && options.installs !== false) present.add(CHROMIUM_PATH);
      return null;
    },
    log: () => undefined,
  };
}

describe('ensureChromium', () => {
  it('returns the installed Chromium without running anything', () => {
    const system = fakeSystem({ present: [CHROMIUM_PATH], root: false });
    expect(ensureChromium(system)).toBe(CHROMIUM_PATH);
    expect(system.commands).toEqual([]);
  });

  it("installs Debian's chromium package with apt-get when it is missing", () => {
    const system = fakeSystem({ present: ['/usr/bin/apt-get'], root: true });
    expect(ensureChromium(system)).toBe(CHROMIUM_PATH);
    expect(system.commands).toEqual(['apt-get update', 'apt-get install -y chromium']);
  });

  it('goes through non-interactive sudo when not root', () => {
    const system = fakeSystem({ present: ['/usr/bin/apt-get', '/usr/bin/sudo'], root: false });
    ensureChromium(system);
    expect(system.commands).toEqual(['sudo -n apt-get update', 'sudo -n apt-get install -y chromium']);
  });

  it('fails clearly when it cannot install', () => {
    expect(() => ensureChromium(fakeSystem({ present: [], root: true }))).toThrow(/apt-get is not available.*sudo apt-get install -y chromium/);
    expect(() => ensureChromium(fakeSystem({ present: ['/usr/bin/apt-get'], root: false }))).toThrow(/needs root and sudo is not available/);
    const offline = fakeSystem({ present: ['/usr/bin/apt-get'], root: true, fail: 'update' });
    expect(() => ensureChromium(offline)).toThrow(/apt-get update exited with status 100/);
    expect(offline.commands).toEqual(['apt-get update']);
    expect(() => ensureChromium(fakeSystem({ present: ['/usr/bin/apt-get'], root: true, fail: 'install' }))).toThrow(/apt-get install -y chromium exited/);
    expect(() => ensureChromium(fakeSystem({ present: ['/usr/bin/apt-get'], root: true, installs: false }))).toThrow(/still missing/);
  });
});
