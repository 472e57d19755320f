/**
 * Nickname resolution: "Bob", "Bobby" and "Robert" are one given name for matching purposes.
 *
 * The data is the public carltonnorthern/nicknames list (see nickname-data.ts). Its "has_nickname" relation is
 * noisy in direction (it says both "robert has_nickname bob" and "bob has_nickname robert"), so direction is
 * decided here:
 * - a name is a *nickname* when the list gives it as the nickname of a longer name ("bob" of "robert"), or when it
 *   only ever appears as someone's nickname ("jimmie");
 * - every other name is *formal*, and so are the names in FORMAL_ANYWAY: standalone given names the list also files
 *   under a longer name ("john" under "jonathan", "mary" under "marion");
 * - a nickname's canonicals are the formal names it is linked to, in either direction; when it is linked only to
 *   other nicknames ("tash" -> "tasha"), those are followed until formal names are reached.
 * Everything is computed once at module load into plain maps; look-ups on the hot path are one map get.
 */
import { NICKNAME_ROWS } from './nickname-data';
import { letterKey, normaliseText } from './text';

/**
 * Given names in their own right that the list files only under another name: "john" under "jonathan" (length rule),
 * "evan" under "evangeline", "erin" under "aaron", "leah" under "ashley" (nickname-only entries). Left to the list they
 * would stop mapping to themselves and, worse, join unrelated people ("Evan" ~ "Eve" through "evangeline"). They map
 * to themselves only, so "Mary" is not made equivalent to "Marion" either; spelling neighbours still meet through
 * Jaro-Winkler in the comparisons.
 */
const FORMAL_ANYWAY: ReadonlySet<string> = new Set([
  // Also listed as nicknames of a longer name.
  'ada', 'adele', 'alan', 'albert', 'alexander', 'amelia', 'amos', 'ann', 'anna', 'august', 'brady', 'carol',
  'casey', 'clara', 'clare', 'clement', 'cole', 'debra', 'delbert', 'delia', 'dennis', 'derick', 'edwin', 'elaine',
  'elbert', 'eliza', 'ella', 'ellen', 'eloise', 'elsie', 'emily', 'emma', 'eric', 'ernest', 'eva', 'flora', 'freda',
  'frieda', 'george', 'hannah', 'helen', 'ian', 'inez', 'jacob', 'jane', 'janet', 'jean', 'joan', 'john', 'jonathan',
  'jonathon', 'june', 'kayla', 'kimberly', 'lenora', 'linda', 'lois', 'louise', 'lucy', 'luke', 'mabel', 'manuel',
  'mariah', 'marie', 'marion', 'mary', 'maud', 'maureen', 'may', 'megan', 'nathan', 'nicole', 'nora', 'orilla',
  'peter', 'phoebe', 'roger', 'roland', 'rosa', 'rose', 'sandra', 'scott', 'selma', 'sophia', 'stacy', 'sybill',
  'tessa', 'waldo', 'wendy', 'wilber', 'wilma',
  // Only ever listed as nicknames.
  'amy', 'angel', 'austin', 'barrett', 'basil', 'bryant', 'carl', 'dina', 'emmanuel', 'erica', 'ericka', 'erick',
  'erika',
  'erin', 'evan', 'eve', 'gary', 'georgia', 'gina', 'heidi', 'hugh', 'ivy', 'jill', 'joy', 'jude', 'justina', 'kara',
  'laura', 'leah', 'leon', 'lloyd', 'loren', 'maria', 'mark', 'mira', 'mona', 'myra', 'neil', 'nichole', 'noah',
  'norah',
  'perry', 'ralph', 'rena', 'rhett', 'ross', 'roy', 'saul', 'stella', 'tracy', 'vernon',
]);

/**
 * crm-merge's own additions to the public list, in its format (formal,nickname,...): common nicknames it lacks,
 * found in customer data. Add here rather than editing the upstream copy, so the copy stays comparable.
 */
const LOCAL_ADDITIONS = [
  'barbara,barb,barbie',
  'katherine,katie,kate,kathy',
  'catherine,kate,katie,cathy,cat',
  'olivia,liv,livvy',
  'evelyn,evie',
  'teresa,terri,tess,tessa',
  'theresa,terri,tess,tessa',
  'isabella,izzy,bella',
  'charlotte,charlie,lottie',
  'eleanor,nell,ellie',
  'guadalupe,lupe',
].join(';');

/** Nicknames the length rule misses because the list pairs them with a formal name of the same length. */
const NICKNAME_ANYWAY: ReadonlySet<string> = new Set(['charlie', 'frankie']);

/**
 * Links in the list that join two different common names in today's data and would make, say, "Bill" match "Bob"
 * (both historically short for Robert) or "Bill" match "Fred". Ignored in both directions.
 */
const IGNORED_LINKS: ReadonlyArray<readonly [string, string]> = [
  ['robert', 'bill'],
  ['robert', 'billy'],
  ['bill', 'fred'],
  ['billy', 'fred'],
  ['will', 'fred'],
  ['willie', 'fred'],
];

/**
 * For blocking, an ambiguous nickname needs one canonical: the meaning most common in current English-language data.
 * Only names where the generic ranking (see rankCanonicals) picks a rarer meaning are listed.
 */
const PREFERRED_CANONICAL: ReadonlyMap<string, string> = new Map([
  ['alex', 'alexander'], ['al', 'albert'], ['beth', 'elizabeth'], ['chris', 'christopher'], ['sam', 'samuel'],
  ['sammy', 'samuel'], ['tony', 'anthony'], ['ted', 'edward'], ['teddy', 'edward'], ['jerry', 'gerald'],
  ['terry', 'terence'], ['jack', 'john'], ['jody', 'joseph'], ['joey', 'joseph'], ['kate', 'katherine'],
  ['kay', 'katherine'], ['kit', 'christopher'], ['bert', 'albert'], ['dick', 'richard'], ['sandy', 'alexander'],
  ['meg', 'margaret'], ['maggie', 'margaret'], ['mike', 'michael'], ['harry', 'harold'], ['hank', 'henry'],
  ['vic', 'victor'], ['val', 'valerie'], ['gus', 'augustus'], ['tina', 'christina'], ['frank', 'francis'],
  ['frankie', 'francis'], ['mel', 'melissa'], ['milly', 'mildred'], ['lena', 'helena'], ['andy', 'andrew'],
  ['randy', 'randall'], ['jeff', 'jeffrey'], ['rod', 'rodney'], ['cindy', 'cynthia'], ['mandy', 'amanda'],
  ['abby', 'abigail'], ['abbie', 'abigail'], ['allie', 'allison'], ['ally', 'allison'], ['ali', 'allison'],
  ['dotty', 'dorothy'], ['nettie', 'annette'], ['wally', 'walter'], ['zach', 'zachary'], ['zack', 'zachary'],
  ['zak', 'zachary'], ['zeke', 'ezekiel'], ['izzy', 'isidore'], ['issy', 'isabella'], ['bella', 'isabella'],
  ['belle', 'isabella'], ['gail', 'abigail'], ['cassie', 'cassandra'], ['carrie', 'caroline'], ['lynn', 'linda'],
  ['ollie', 'oliver'], ['mae', 'mary'], ['molly', 'mary'], ['polly', 'mary'], ['jake', 'jacob'], ['jay', 'jacob'],
  ['kim', 'kimberly'], ['debbie', 'deborah'], ['deb', 'deborah'], ['lil', 'lillian'], ['maddie', 'madeline'],
  ['roz', 'rosalyn'], ['rosie', 'rose'], ['em', 'emily'], ['abe', 'abraham'], ['sally', 'sarah'],
  ['gerry', 'gerald'], ['winnie', 'winifred'], ['chet', 'chester'],
]);

interface Graph {
  /** name1 -> name2 values ("has_nickname"), links from IGNORED_LINKS removed. */
  readonly out: Map<string, Set<string>>;
  readonly into: Map<string, Set<string>>;
}

function addLink(map: Map<string, Set<string>>, from: string, to: string): void {
  let targets = map.get(from);
  if (!targets) {
    targets = new Set();
    map.set(from, targets);
  }
  targets.add(to);
}

function buildGraph(rows: string): Graph {
  const ignored = new Set(IGNORED_LINKS.flatMap(([a, b]) => [`${a}>${b}`, `${b}>${a}`]));
  const out = new Map<string, Set<string>>();
  const into = new Map<string, Set<string>>();
  for (const row of rows.split(';')) {
    const [formalRaw, ...nicknamesRaw] = row.split(',');
    const formal = letterKey(formalRaw ?? '');
    if (formal === '') continue;
    for (const nicknameRaw of nicknamesRaw) {
      const nickname = letterKey(nicknameRaw);
      if (nickname === '' || nickname === formal || ignored.has(`${formal}>${nickname}`)) continue;
      addLink(out, formal, nickname);
      addLink(into, nickname, formal);
    }
  }
  return { out, into };
}

function isNicknameIn(graph: Graph, name: string): boolean {
  if (FORMAL_ANYWAY.has(name)) return false;
  if (NICKNAME_ANYWAY.has(name)) return true;
  const parents = graph.into.get(name);
  if (!parents) return false;
  if (!graph.out.has(name)) return true;
  for (const parent of parents) if (parent.length > name.length) return true;
  return false;
}

/** Names a nickname points up to: names listing it as a nickname, and longer names it (wrongly) lists as its own. */
function upwardNeighbours(graph: Graph, name: string): string[] {
  const result = [...(graph.into.get(name) ?? [])];
  for (const target of graph.out.get(name) ?? []) if (target.length > name.length) result.push(target);
  return result;
}

function resolveCanonicals(graph: Graph, name: string, nickname: (n: string) => boolean): string[] {
  if (!nickname(name)) return [name];
  const seen = new Set<string>([name]);
  let frontier = [name];
  while (frontier.length > 0) {
    const formal = new Set<string>();
    const next: string[] = [];
    for (const current of frontier) {
      for (const neighbour of upwardNeighbours(graph, current)) {
        if (seen.has(neighbour)) continue;
        seen.add(neighbour);
        if (nickname(neighbour)) next.push(neighbour);
        else formal.add(neighbour);
      }
    }
    if (formal.size > 0) return [...formal].sort();
    frontier = next;
  }
  return [name];
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Generic choice among several canonicals: the one sharing the longest prefix with the nickname ("frankie" ->
 * "francis" over "frank"... both share "fran"), then the one with the most nicknames (a proxy for how common the
 * name is), then alphabetical so the result never depends on data order.
 */
function rankCanonicals(nickname: string, canonicals: readonly string[], graph: Graph): string {
  let best = canonicals[0] as string;
  let bestPrefix = -1;
  let bestFamily = -1;
  for (const candidate of canonicals) {
    const prefix = commonPrefixLength(nickname, candidate);
    const family = graph.out.get(candidate)?.size ?? 0;
    if (prefix > bestPrefix || (prefix === bestPrefix && family > bestFamily)) {
      best = candidate;
      bestPrefix = prefix;
      bestFamily = family;
    }
  }
  return best;
}

interface NicknameIndex {
  readonly canonicals: ReadonlyMap<string, readonly string[]>;
  readonly preferred: ReadonlyMap<string, string>;
}

function buildIndex(): NicknameIndex {
  const graph = buildGraph(`${NICKNAME_ROWS};${LOCAL_ADDITIONS}`);
  const nicknameCache = new Map<string, boolean>();
  const nickname = (name: string): boolean => {
    let result = nicknameCache.get(name);
    if (result === undefined) {
      result = isNicknameIn(graph, name);
      nicknameCache.set(name, result);
    }
    return result;
  };
  const canonicals = new Map<string, readonly string[]>();
  const preferred = new Map<string, string>();
  const names = new Set([...graph.out.keys(), ...graph.into.keys()]);
  for (const name of names) {
    const resolved = Object.freeze(resolveCanonicals(graph, name, nickname));
    canonicals.set(name, resolved);
    const wanted = PREFERRED_CANONICAL.get(name);
    const choice =
      resolved.length === 1
        ? (resolved[0] as string)
        : wanted !== undefined && resolved.includes(wanted)
          ? wanted
          : rankCanonicals(name, resolved, graph);
    preferred.set(name, choice);
  }
  return { canonicals, preferred };
}

const INDEX = buildIndex();

/**
 * The formal given names a first name may stand for, sorted. A formal or unknown name maps to itself
 * ("robert" -> ["robert"], "xiomara" -> ["xiomara"]); a nickname maps to its formal names ("bob" -> ["robert"],
 * "alex" -> ["aleksandr", "alexander", "alexandra", "alexandria", "alexis"]). Input is folded first, so "BOB" and
 * "Bób" work. Empty input gives [].
 */
export function canonicalFirstNames(name: string): readonly string[] {
  const key = letterKey(name);
  if (key === '') return [];
  const known = INDEX.canonicals.get(key);
  if (known) return known;
  return [normaliseText(name)];
}

/**
 * One canonical for blocking: the only canonical when there is one, else the most common meaning ("alex" ->
 * "alexander", "bill" -> "william"). Deterministic. Empty input gives "".
 */
export function canonicalFirstName(name: string): string {
  const key = letterKey(name);
  if (key === '') return '';
  return INDEX.preferred.get(key) ?? normaliseText(name);
}

/**
 * True when two first names can be the same person's: equal after folding, or sharing a canonical
 * ("bob" ~ "bobby" ~ "robert", "liz" ~ "beth" via "elizabeth", "alex" ~ "sandy" via "alexander").
 */
export function areNicknameEquivalent(a: string, b: string): boolean {
  const keyA = letterKey(a);
  const keyB = letterKey(b);
  if (keyA === '' || keyB === '') return false;
  if (keyA === keyB) return true;
  const familyA = INDEX.canonicals.get(keyA) ?? [keyA];
  const familyB = INDEX.canonicals.get(keyB) ?? [keyB];
  if (familyA.includes(keyB) || familyB.includes(keyA)) return true;
  for (const candidate of familyA) if (familyB.includes(candidate)) return true;
  return false;
}
