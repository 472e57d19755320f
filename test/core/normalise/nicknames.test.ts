import {
  areNicknameEquivalent,
  canonicalFirstName,
  canonicalFirstNames,
} from '../../../lambdas/core/normalise/nicknames';
import { NICKNAME_ROWS } from '../../../lambdas/core/normalise/nickname-data';

describe('nickname data', () => {
  it('holds the upstream list (2680 triples grouped by name) with its attribution', () => {
    const rows = NICKNAME_ROWS.split(';');
    expect(rows).toHaveLength(1146);
    const triples = rows.reduce((sum, row) => sum + row.split(',').length - 1, 0);
    expect(triples).toBe(2680);
    expect(rows).toContain('robert,bill,billy,bob,bobby,dob,dobbin,hob,hobkin,rob,robby,rupert');
  });
});

describe('canonicalFirstNames', () => {
  it('maps a formal name to itself', () => {
    expect(canonicalFirstNames('Robert')).toEqual(['robert']);
    expect(canonicalFirstNames('William')).toEqual(['william']);
    expect(canonicalFirstNames('Margaret')).toEqual(['margaret']);
  });

  it('maps an unknown name to its folded self', () => {
    expect(canonicalFirstNames('Xiomara')).toEqual(['xiomara']);
    expect(canonicalFirstNames('  José ')).toEqual(['jose']);
    expect(canonicalFirstNames('Mary Ann')).toEqual(['mary ann']);
  });

  it('resolves nicknames, whatever their case and accents', () => {
    expect(canonicalFirstNames('BOB')).toEqual(['robert']);
    expect(canonicalFirstNames('Liz')).toEqual(['elizabeth']);
    expect(canonicalFirstNames('peggy')).toEqual(['margaret', 'margaretta', 'marguerite']);
  });

  it('returns every meaning of an ambiguous nickname, sorted', () => {
    expect(canonicalFirstNames('Alex')).toEqual(['aleksandr', 'alexander', 'alexandra', 'alexandria', 'alexis']);
    expect(canonicalFirstNames('Sam')).toEqual(['samantha', 'sampson', 'samson', 'samuel', 'samyra']);
    const chris = canonicalFirstNames('Chris');
    expect(chris).toEqual([...chris].sort());
    expect(chris).toEqual(expect.arrayContaining(['christopher', 'christina', 'christine', 'kristopher']));
  });

  it('resolves direction even where the list has it backwards ("bill has_nickname william")', () => {
    expect(canonicalFirstNames('Bill')).toEqual(['william', 'willis']);
    expect(canonicalFirstNames('tony')).toContain('anthony');
  });

  it('ignores the historical Robert-Bill link, so Bill and Bob stay different people', () => {
    expect(canonicalFirstNames('bill')).not.toContain('robert');
    expect(canonicalFirstNames('bob')).toEqual(['robert']);
  });

  it('keeps standalone names that the list files under another name', () => {
    expect(canonicalFirstNames('John')).toEqual(['john']);
    expect(canonicalFirstNames('Mary')).toEqual(['mary']);
    expect(canonicalFirstNames('Evan')).toEqual(['evan']);
    expect(canonicalFirstNames('Erin')).toEqual(['erin']);
  });

  it('follows a nickname of a nickname when no formal name is linked directly', () => {
    expect(canonicalFirstNames('tash')).toEqual(['natasha']);
  });

  it('gives [] for empty input', () => {
    expect(canonicalFirstNames('')).toEqual([]);
    expect(canonicalFirstNames(' - ')).toEqual([]);
  });
});

describe('canonicalFirstName', () => {
  it('gives one deterministic canonical for blocking', () => {
    expect(canonicalFirstName('Bob')).toBe('robert');
    expect(canonicalFirstName('Bobby')).toBe('robert');
    expect(canonicalFirstName('Bill')).toBe('william');
    expect(canonicalFirstName('Beth')).toBe('elizabeth');
    expect(canonicalFirstName('Peggy')).toBe('margaret');
  });

  it('picks the most common meaning of an ambiguous nickname', () => {
    expect(canonicalFirstName('Alex')).toBe('alexander');
    expect(canonicalFirstName('Chris')).toBe('christopher');
    expect(canonicalFirstName('Sam')).toBe('samuel');
    expect(canonicalFirstName('Sally')).toBe('sarah');
    expect(canonicalFirstName('Jack')).toBe('john');
  });

  it('is always one of canonicalFirstNames', () => {
    for (const name of ['al', 'lena', 'kit', 'dee', 'lou', 'ron', 'tina', 'nettie', 'kay', 'bert']) {
      expect(canonicalFirstNames(name)).toContain(canonicalFirstName(name));
    }
  });

  it('maps formal and unknown names to themselves', () => {
    expect(canonicalFirstName('Robert')).toBe('robert');
    expect(canonicalFirstName('Zebulon')).toBe('zebulon');
    expect(canonicalFirstName('')).toBe('');
  });
});

describe('areNicknameEquivalent', () => {
  it.each([
    ['Bob', 'Robert'],
    ['Bobby', 'Bob'],
    ['Bobby', 'ROBERT'],
    ['Liz', 'Elizabeth'],
    ['Liz', 'Beth'],
    ['Beth', 'Betsy'],
    ['Bill', 'William'],
    ['Billy', 'Will'],
    ['Peggy', 'Margaret'],
    ['Peggy', 'Maggie'],
    ['Alex', 'Alexandra'],
    ['Alex', 'Alexander'],
    ['Chris', 'Christina'],
    ['Sam', 'Samantha'],
    ['José', 'jose'],
  ])('%s ~ %s', (a, b) => {
    expect(areNicknameEquivalent(a, b)).toBe(true);
    expect(areNicknameEquivalent(b, a)).toBe(true);
  });

  it.each([
    ['Bill', 'Bob'],
    ['Evan', 'Eve'],
    ['John', 'Jane'],
    ['Robert', 'Roberta'],
    ['Alexander', 'Alexandra'],
    ['Mary', 'Marion'],
  ])('%s is not %s', (a, b) => {
    expect(areNicknameEquivalent(a, b)).toBe(false);
  });

  it('is false for empty names', () => {
    expect(areNicknameEquivalent('', '')).toBe(false);
    expect(areNicknameEquivalent('bob', '')).toBe(false);
  });
});
